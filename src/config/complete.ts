import { gatesOf } from "./gates.js";
import { completeRender } from "./render.js";
import type { Principals, StagegateConfig } from "./types.js";

/**
 * Completes schema-validated, default-filled data into a StagegateConfig:
 * environment names, inherited namespaces, `@org/team` → `org/team`, and no
 * duplicate principals. Mutates and returns its argument.
 */
export function completeConfig(data: Record<string, unknown>): StagegateConfig {
  delete data._extends; // resolved by whoever fetched the file
  const config = data as unknown as StagegateConfig;
  completePrincipals(config.policy.approvers);
  for (const [name, env] of Object.entries(config.environments)) {
    env.name = name;
    env.namespaces ??= [...config.policies.namespaces];
    const render = completeRender(env.render);
    if (render) env.render = render;
    else delete env.render;
    completePrincipals(env.override.allowed);
    completePrincipals(env.freeze.allowed);
    const approvals = gatesOf(env).approvals;
    if (approvals) completePrincipals(approvals.from);
  }
  return config;
}

/** "@org/team" and "org/team" are the same team; logins and teams appear once. */
export function normaliseTeam(team: string): string {
  return team.startsWith("@") ? team.slice(1) : team;
}

function completePrincipals(p: Principals): void {
  p.users = unique(p.users, (u) => u.toLowerCase());
  p.teams = unique(p.teams.map(normaliseTeam), (t) => t.toLowerCase());
}

// GitHub logins and org/team names are case-insensitive: keep the first spelling.
function unique(items: string[], keyOf: (s: string) => string): string[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = keyOf(item);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

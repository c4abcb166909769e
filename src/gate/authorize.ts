import type { EnvironmentConfig, Principals } from "../config/types.js";
import type { AccessFacts } from "./access.js";

export type Authorization = { ok: true } | { ok: false; reason: string };

/** What is being asked: every command needs write; some also need an environment's allowlist. */
export type AuthorizeRequest =
  | { kind: "write" }
  | { kind: "override"; env: EnvironmentConfig; prAuthor: string }
  | { kind: "freeze"; env: EnvironmentConfig };

/**
 * May `user` do this? At least write permission on the repository, then the
 * environment's allowlist (users, or active members of teams). Fails closed:
 * an empty allowlist admits nobody.
 */
export async function authorize(
  source: AccessFacts,
  repo: { owner: string; repo: string },
  user: string,
  request: AuthorizeRequest,
): Promise<Authorization> {
  const permission = await source.permission(user);
  if (permission !== "write" && permission !== "admin")
    return { ok: false, reason: `needs write permission on ${repo.owner}/${repo.repo}` };
  if (request.kind === "write") return { ok: true };

  const env = request.env;
  const key = request.kind === "override" ? "override" : "freeze";
  const setting = `environments.${env.name}.${key}.allowed`;
  if (request.kind === "override" && !env.override.allow_author && sameUser(user, request.prAuthor)) {
    return {
      ok: false,
      reason: `the pull request's author may not override it (environments.${env.name}.override.allow_author is false)`,
    };
  }
  const allowed = request.kind === "override" ? env.override.allowed : env.freeze.allowed;
  if (allowed.users.length === 0 && allowed.teams.length === 0)
    return { ok: false, reason: `nobody may ${key} ${env.name}: ${setting} is empty` };
  if (await inPrincipals(source, user, allowed)) return { ok: true };
  return { ok: false, reason: `needs to be one of ${describePrincipals(allowed)} (${setting})` };
}

/** Listed by name, or an active member of a listed team. */
export async function inPrincipals(source: AccessFacts, user: string, principals: Principals): Promise<boolean> {
  if (principals.users.some((u) => sameUser(u.replace(/^@/, ""), user))) return true;
  for (const team of principals.teams) {
    const t = parseTeam(team);
    if (t && (await source.isTeamMember(t.org, t.slug, user))) return true;
  }
  return false;
}

/** `@alice, @org/sre` */
export function describePrincipals(p: Principals): string {
  return [...p.users, ...p.teams].map((x) => `@${x.replace(/^@/, "")}`).join(", ");
}

/** `org/team` or `@org/team`; undefined when malformed (the config schema should prevent it). */
export function parseTeam(team: string): { org: string; slug: string } | undefined {
  const m = /^@?([^/\s]+)\/([^/\s]+)$/.exec(team.trim());
  return m ? { org: m[1], slug: m[2] } : undefined;
}

export const sameUser = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

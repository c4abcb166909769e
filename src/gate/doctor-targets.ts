import { checkName, POLICY_CHECK } from "../config/targeting.js";
import type { StagegateConfig } from "../config/types.js";

export interface DoctorTarget {
  branch: string;
  environments: string[];
  /** Check names the branch's protection should require. */
  checks: string[];
}

const GLOB = /[*?[\]{}!]/;

/**
 * The branches `stagegate doctor` audits: each environment's literal branches, and — for environments with only
 * `paths` (directory per environment) — the default branch, which also needs `stagegate / policy`. Branch globs
 * (`release/*`) name no branch to read; they are returned apart. `only` narrows to one environment.
 */
export function doctorTargets(
  config: StagegateConfig,
  defaultBranch: string,
  only?: string,
): { targets: DoctorTarget[]; globs: string[] } {
  const byBranch = new Map<string, DoctorTarget>();
  const globs: string[] = [];
  const add = (branch: string, env: string, checks: string[]) => {
    const t = byBranch.get(branch) ?? { branch, environments: [], checks: [] };
    t.environments.push(env);
    for (const c of checks) if (!t.checks.includes(c)) t.checks.push(c);
    byBranch.set(branch, t);
  };
  for (const env of Object.values(config.environments)) {
    if (only && env.name.toLowerCase() !== only.toLowerCase()) continue;
    if (env.branches.length === 0) {
      if (env.paths.length) add(defaultBranch, env.name, [checkName(env.name), POLICY_CHECK]);
      continue;
    }
    for (const b of env.branches) {
      if (GLOB.test(b)) globs.push(`${b} (${env.name})`);
      else add(b, env.name, [checkName(env.name)]);
    }
  }
  return { targets: [...byBranch.values()], globs };
}

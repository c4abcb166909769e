import picomatch from "picomatch";
import type { EnvironmentConfig, StagegateConfig } from "../config/types.js";

/**
 * The environments a pull request into `baseRef` must report on. An
 * environment with `branches` is mapped by the base branch; one with only
 * `paths` (directory per environment) is mapped by every PR into the default
 * branch. Mapped environments always get a check run — success when none of
 * their files changed — so branch protection can require it.
 */
export function environmentsForPullRequest(
  config: StagegateConfig,
  baseRef: string,
  defaultBranch: string,
): EnvironmentConfig[] {
  return Object.values(config.environments).filter((env) =>
    env.branches.length > 0
      ? env.branches.some((g) => picomatch(g, { dot: true })(baseRef))
      : env.paths.length > 0 && baseRef === defaultBranch,
  );
}

/** Check run name for an environment; branch protection requires exactly this. */
export const checkName = (environment: string) => `stagegate / ${environment}`;
export const CONFIG_CHECK = "stagegate / config";

/**
 * Whether a change concerns an environment enough for its PR-level gates to
 * apply: a PR into its branch always does; in directory-per-environment
 * repositories only when a changed file lies under its paths (a PR that only
 * touches staging does not need production's approvals).
 */
export function gatesApply(env: EnvironmentConfig, changed: string[]): boolean {
  if (env.branches.length > 0) return true;
  const inside = picomatch(env.paths, { dot: true });
  return changed.some((p) => inside(p));
}

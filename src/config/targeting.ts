import picomatch from "picomatch";
import { environmentsForChange, environmentsForPaths, manifestFilesFor } from "./environments.js";
import { DEFAULT_CONFIG_FILE } from "./load.js";
import type { EnvironmentConfig, StagegateConfig } from "./types.js";

/**
 * Targeting, in one place and pure: which environments a pull request, a
 * push, a merge group or a policy change touches, and what the check runs
 * are called. Handlers and commands ask here; nothing else decides it.
 */

/** Check run name for an environment; branch protection requires exactly this. */
export const checkName = (environment: string) => `stagegate / ${environment}`;
export const CONFIG_CHECK = "stagegate / config";
export const POLICY_CHECK = "stagegate / policy";

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

/**
 * Whether a change concerns an environment enough for its PR-level gates to
 * apply: a PR into its branch always does; in directory-per-environment
 * repositories only when a changed file lies under its paths (a PR that only
 * touches staging does not need production's approvals).
 */
export function gatesApply(env: EnvironmentConfig, changed: string[], reads?: ReadonlySet<string>): boolean {
  if (env.branches.length > 0) return true;
  // A file the environment's render reads (a shared base) changes what it runs as much as its own files.
  if (reads && changed.some((p) => reads.has(p))) return true;
  const inside = picomatch(env.paths, { dot: true });
  return changed.some((p) => inside(p));
}

/**
 * Environments a pull request does not touch at all (no manifests, no gates, no file their renders read):
 * green at once. `readsOf` gives the files an environment's entry points read, undefined when unknown.
 */
export function untouchedBy(
  envs: EnvironmentConfig[],
  touched: string[],
  readsOf: (env: EnvironmentConfig) => ReadonlySet<string> | undefined = () => new Set(),
): EnvironmentConfig[] {
  return envs.filter((env) => {
    const reads = env.render ? readsOf(env) : undefined;
    if (env.render && !reads) return false;
    return manifestFilesFor(env, touched).length === 0 && !gatesApply(env, touched, reads);
  });
}

/**
 * The environments a command on a PR acts on: the mapped ones; in
 * directory-per-environment repositories only those whose files it changes
 * (all mapped ones when it changes none of them).
 */
export function commandTargets(
  config: StagegateConfig,
  baseRef: string,
  defaultBranch: string,
  touched: string[] | undefined,
): EnvironmentConfig[] {
  const mapped = environmentsForPullRequest(config, baseRef, defaultBranch);
  if (!touched) return mapped;
  const hit = new Set(environmentsForChange(config, baseRef, touched).map((e) => e.name));
  const narrowed = mapped.filter((e) => hit.has(e.name));
  return narrowed.length ? narrowed : mapped;
}

/** Whether `commandTargets` needs the PR's changed files to decide. */
export function commandTargetsNeedFiles(config: StagegateConfig, baseRef: string, defaultBranch: string): boolean {
  const mapped = environmentsForPullRequest(config, baseRef, defaultBranch);
  return mapped.length > 1 && mapped.some((e) => e.paths.length > 0);
}

/**
 * Whether a push changes what open PRs into `branch` would land in: always
 * for a branch an environment maps by `branches`; for the default branch of a
 * directory-per-environment repository only when the push touched an
 * environment's paths, or a manifest anywhere for an environment that renders
 * (its bases may be anywhere) — a README change re-evaluates nothing.
 */
export function pushTargets(
  config: StagegateConfig,
  branch: string,
  defaultBranch: string,
  changed: string[],
  truncated: boolean,
): boolean {
  const touched = new Set(environmentsForPaths(config, changed));
  // What a render reads is only known by reading the tree: any manifest-like file may be a shared base.
  const rendersFrom = (env: EnvironmentConfig) =>
    env.render !== undefined && manifestFilesFor({ ...env, paths: [] }, changed).length > 0;
  return environmentsForPullRequest(config, branch, defaultBranch).some(
    (env) => env.branches.length > 0 || truncated || touched.has(env) || rendersFrom(env),
  );
}

/** Environments promoted from an environment that `branch` maps to (`promote_from`). */
export function downstreamOf(config: StagegateConfig, branch: string, defaultBranch: string): EnvironmentConfig[] {
  const sources = new Set(environmentsForPullRequest(config, branch, defaultBranch).map((env) => env.name));
  return Object.values(config.environments).filter(
    (env) => env.promote_from !== undefined && sources.has(env.promote_from),
  );
}

/** Whether a PR into `baseRef` targets one of `envs`. */
export function intoAny(
  config: StagegateConfig,
  baseRef: string,
  defaultBranch: string,
  envs: EnvironmentConfig[],
): boolean {
  const names = new Set(envs.map((e) => e.name));
  return environmentsForPullRequest(config, baseRef, defaultBranch).some((e) => names.has(e.name));
}

/** The config file, Rego anywhere, and the data and schema files the config names. */
export function isPolicyFile(path: string, config: StagegateConfig | undefined): boolean {
  if (path === DEFAULT_CONFIG_FILE || path.endsWith(".rego")) return true;
  if (!config) return false;
  const under = (dir: string) => path === dir || path.startsWith(dir.replace(/\/?$/, "/"));
  return (
    config.policies.paths.some(under) ||
    config.policies.data.some((d) => d === path || picomatch(d, { dot: true })(path)) ||
    config.schemas.custom.some((c) => c.schema === path)
  );
}

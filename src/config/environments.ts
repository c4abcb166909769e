import picomatch from "picomatch";
import type { EnvironmentConfig, StagegateConfig } from "./types.js";

/**
 * Which environments a change targets, and which of its files are manifests.
 * Pure. Globs use picomatch: `*` stays within one path segment, `**` spans
 * segments. Manifest globs skip dot-directories (`.github/`) unless named;
 * `paths` and `ignore` match dot-files too.
 */

type Matcher = (s: string) => boolean;
const cache = new Map<string, Matcher>();

function matcher(globs: string[], dot: boolean, nocase = false): Matcher {
  const key = `${dot ? 1 : 0}${nocase ? 1 : 0}\0${globs.join("\0")}`;
  let m = cache.get(key);
  if (!m) {
    m = globs.length === 0 ? () => false : picomatch(globs, { dot, nocase });
    if (cache.size > 500) cache.clear(); // configs change rarely; keep the cache bounded anyway
    cache.set(key, m);
  }
  return m;
}

/** Environments whose `branches` globs match the pull request's base branch, in file order. */
export function environmentsForBranch(config: StagegateConfig, baseBranch: string): EnvironmentConfig[] {
  return Object.values(config.environments).filter((env) => matcher(env.branches, true)(baseBranch));
}

/** Environments whose `paths` globs match at least one changed file (directory-per-environment repos). */
export function environmentsForPaths(config: StagegateConfig, changedPaths: string[]): EnvironmentConfig[] {
  return Object.values(config.environments).filter((env) => touches(env, changedPaths));
}

/**
 * Environments a pull request targets: every given condition of an
 * environment must hold — its `branches` match the base branch (when it has
 * branches) and a changed file matches its `paths` (when it has paths).
 */
export function environmentsForChange(
  config: StagegateConfig,
  baseBranch: string,
  changedPaths: string[],
): EnvironmentConfig[] {
  return Object.values(config.environments).filter(
    (env) =>
      (env.branches.length > 0 || env.paths.length > 0) &&
      (env.branches.length === 0 || matcher(env.branches, true)(baseBranch)) &&
      (env.paths.length === 0 || touches(env, changedPaths)),
  );
}

/** The files to check for `env`: matching `manifests`, not `ignore`d, and inside `paths` when it has paths. */
export function manifestFilesFor(env: EnvironmentConfig, paths: string[]): string[] {
  // File types match case-insensitively (`app.YAML` is a manifest), as the parser's own check does.
  const isManifest = matcher(env.manifests, false, true);
  const ignored = matcher(env.ignore, true);
  const inside = env.paths.length === 0 ? () => true : matcher(env.paths, true);
  return paths.filter((p) => isManifest(p) && !ignored(p) && inside(p));
}

function touches(env: EnvironmentConfig, changedPaths: string[]): boolean {
  if (env.paths.length === 0) return false;
  const m = matcher(env.paths, true);
  return changedPaths.some((p) => m(p));
}

/** Built-in library names → Rego packages; a stricter level includes the levels below it. */
const LIBRARY: Record<string, string[]> = {
  "pod-security-baseline": ["pod_security_baseline"],
  "pod-security-restricted": ["pod_security_baseline", "pod_security_restricted"],
  images: ["images"],
  resources: ["resources"],
  probes: ["probes"],
  argocd: ["argocd"],
  flux: ["flux"],
};

export const LIBRARY_NAMES = Object.keys(LIBRARY);
export const LIBRARY_PREFIX = "stagegate.lib.";

/**
 * "pod-security-baseline" → "stagegate.lib.pod_security_baseline"; deduplicated, in order. Throws on an unknown name.
 */
export function libraryNamespaces(names: string[]): string[] {
  const out: string[] = [];
  for (const name of names) {
    const packages = Object.hasOwn(LIBRARY, name) ? LIBRARY[name] : undefined;
    if (!packages) {
      throw new Error(`unknown library package ${JSON.stringify(name)} (known: ${LIBRARY_NAMES.join(", ")})`);
    }
    for (const p of packages) {
      const ns = LIBRARY_PREFIX + p;
      if (!out.includes(ns)) out.push(ns);
    }
  }
  return out;
}

/** The Rego namespaces to evaluate for `env`: its own (or the default) and the library's, top-level plus its own. */
export function namespacesFor(
  config: StagegateConfig,
  env: EnvironmentConfig,
): { namespaces: string[]; library: string[] } {
  return {
    namespaces: [...env.namespaces],
    library: libraryNamespaces([...config.policies.library, ...env.library]),
  };
}

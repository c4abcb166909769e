import { namespacesFor } from "../config/environments.js";
import { gateNamespacesFor } from "./gates.js";
import type { StagegateConfig } from "../config/types.js";
import { compilePolicies, type CompiledPolicy } from "../policy/compile.js";
import { isRegoFile, isRegoTestFile, libraryModules, type PolicySource } from "../policy/sources.js";
import { runPolicyTests, type PolicyTestRun } from "../policy/tests.js";
import type { RepoReader } from "./sources.js";

/**
 * What `stagegate build` / `stagegate test` and the `stagegate / policy` check
 * share: which namespaces a config evaluates, and how its policy set is
 * compiled and unit-tested. The sources come from disk or from a commit.
 */

export interface NamespaceGlobs {
  /** Repository namespaces (globs) evaluated by some environment. */
  namespaces: string[];
  /** Built-in library packages enabled by some environment. */
  library: string[];
  /** PR-level namespaces: the built-in gates in use and the environments' own `gates.policies`. */
  gates: string[];
}

/** The union over every environment of the namespaces, library packages and gates it evaluates. */
export function namespaceGlobs(config: StagegateConfig): NamespaceGlobs {
  const namespaces = new Set<string>();
  const library = new Set<string>();
  const gates = new Set<string>();
  for (const env of Object.values(config.environments)) {
    const ns = namespacesFor(config, env);
    ns.namespaces.forEach((n) => namespaces.add(n));
    ns.library.forEach((n) => library.add(n));
    const g = gateNamespacesFor(env);
    [...g.builtin, ...g.custom].forEach((n) => gates.add(n));
  }
  return { namespaces: [...namespaces], library: [...library], gates: [...gates] };
}

/** The repository's sources plus the built-in library and gates (draft and freeze apply everywhere). */
function withLibrary(sources: PolicySource[]): PolicySource[] {
  return [...sources, ...libraryModules()];
}

/**
 * Compiles the policy set a config evaluates — the same set the engine, the
 * CLI and the policy check use, so they share one cache entry. Throws
 * PolicyError with located problems.
 */
export function compilePolicySet(
  config: StagegateConfig,
  sources: PolicySource[],
  options: { cacheDir?: string | false } = {},
): Promise<CompiledPolicy> {
  const globs = namespaceGlobs(config);
  return compilePolicies(withLibrary(sources), {
    namespaces: [...globs.namespaces, ...globs.library, ...globs.gates],
    cacheDir: options.cacheDir,
  });
}

/** Runs the `*_test.rego` among `sources` (which hold the policies too) with opa test. */
export function testPolicySet(
  config: StagegateConfig,
  sources: PolicySource[],
  data: Record<string, unknown> = {},
): Promise<PolicyTestRun> {
  return runPolicyTests(withLibrary(sources), data);
}

/**
 * The Rego files under the config's policy paths, read through a RepoReader
 * (a commit on GitHub, or the working tree), sorted and deduplicated.
 */
export async function readPolicySources(
  config: StagegateConfig,
  reader: RepoReader,
  which: "policies" | "tests" | "all" = "policies",
): Promise<PolicySource[]> {
  const seen = new Map<string, PolicySource>();
  for (const dir of config.policies.paths) {
    for (const path of await reader.listFiles(dir)) {
      if (!isRegoFile(path) || seen.has(path)) continue;
      if (which === "policies" && isRegoTestFile(path)) continue;
      if (which === "tests" && !isRegoTestFile(path)) continue;
      const content = await reader.readFile(path);
      if (content !== undefined) seen.set(path, { path, content });
    }
  }
  return [...seen.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

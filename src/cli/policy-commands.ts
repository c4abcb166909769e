import { namespacesFor } from "../config/environments.js";
import { compilePolicies } from "../policy/compile.js";
import { PolicyError, type PolicyProblem } from "../policy/inspect.js";
import { libraryModules, readRegoFiles } from "../policy/sources.js";
import { runPolicyTests } from "../policy/tests.js";
import type { CliArgs } from "./args.js";
import { loadProject, type Project } from "./project.js";

type Out = (s: string) => void;

/** `stagegate build`: compile and validate the policies the config names. */
export async function buildCommand(args: CliArgs, cwd: string, out: Out, err: Out): Promise<number> {
  const project = loadProject(args, cwd);
  const sources = readRegoFiles(project.config.policies.paths, project.root);
  const globs = namespaceGlobs(project);
  try {
    const compiled = await compilePolicies([...sources, ...(globs.library.length ? libraryModules() : [])], {
      namespaces: [...globs.namespaces, ...globs.library],
      cacheDir: args.cache ? undefined : false,
    });
    const namespaces = Object.entries(compiled.namespaces);
    out(`compiled ${sources.length} module(s); ${namespaces.length} namespace(s) evaluated:`);
    for (const [ns, rules] of namespaces) out(`  ${ns}: ${rules.map((r) => r.name).join(", ") || "(no deny/violation/warn rules)"}`);
    if (namespaces.length === 0) err(`warning: no namespace matches ${globs.namespaces.join(", ")}: nothing would be checked`);
    out(`policy hash ${compiled.hash.slice(0, 12)}`);
    return 0;
  } catch (e) {
    if (e instanceof PolicyError) {
      printProblems(e, err);
      return 2;
    }
    throw e;
  }
}

/** `stagegate test`: run the policies' *_test.rego with opa test. */
export async function testCommand(args: CliArgs, cwd: string, out: Out, err: Out): Promise<number> {
  const project = loadProject(args, cwd);
  const sources = readRegoFiles(project.config.policies.paths, project.root, "all");
  const globs = namespaceGlobs(project);
  if (!sources.some((s) => s.path.endsWith("_test.rego"))) {
    err(`no *_test.rego files under ${project.config.policies.paths.join(", ")}`);
    return 2;
  }
  const run = await runPolicyTests([...sources, ...(globs.library.length ? libraryModules() : [])]);
  if (run.errors.length) {
    printProblems(new PolicyError("policies do not compile", run.errors), err);
    return 2;
  }
  if (args.output === "json") out(JSON.stringify(run.results, null, 2));
  let failed = 0;
  for (const r of run.results) {
    if (r.outcome === "fail" || r.outcome === "error") failed++;
    if (args.output !== "json") {
      const tag = { pass: "PASS", fail: "FAIL", error: "ERROR", skip: "SKIP" }[r.outcome];
      out(`${tag} ${r.file}:${r.line} ${r.package}.${r.name}${r.message ? ` — ${r.message}` : ""}`);
    }
  }
  if (args.output !== "json") out(`${run.results.length - failed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

function namespaceGlobs(project: Project): { namespaces: string[]; library: string[] } {
  const namespaces = new Set<string>();
  const library = new Set<string>();
  for (const env of Object.values(project.config.environments)) {
    const ns = namespacesFor(project.config, env);
    ns.namespaces.forEach((n) => namespaces.add(n));
    ns.library.forEach((n) => library.add(n));
  }
  return { namespaces: [...namespaces], library: [...library] };
}

export function printProblems(e: PolicyError, err: Out): void {
  if (e.problems.length === 0) err(`error: ${e.message}`);
  for (const p of e.problems) err(`${p.file}:${p.line}:${p.column}: ${p.code}: ${p.message}`);
}

export type { PolicyProblem };

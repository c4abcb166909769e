import { compilePolicySet, namespaceGlobs, testPolicySet } from "../gate/policy-set.js";
import { PolicyError, type PolicyProblem } from "../policy/inspect.js";
import { regoV0ToV1 } from "../policy/rego-v0.js";
import { readRegoFiles } from "../policy/sources.js";
import { loadDataPaths } from "./check-data.js";
import type { CliArgs } from "./args.js";
import { loadProject } from "./project.js";

type Out = (s: string) => void;

/** `stagegate build`: compile and validate the policies the config names. */
export async function buildCommand(args: CliArgs, cwd: string, out: Out, err: Out): Promise<number> {
  const project = loadProject(args, cwd);
  let sources = readRegoFiles(project.config.policies.paths, project.root);
  if (args.regoVersion === "v0") sources = await regoV0ToV1(sources);
  const globs = namespaceGlobs(project.config);
  try {
    // The same compilation as the `stagegate / policy` check and the engine.
    const compiled = await compilePolicySet(project.config, sources, { cacheDir: args.cache ? undefined : false });
    const namespaces = Object.entries(compiled.namespaces);
    out(`compiled ${sources.length} module(s); ${namespaces.length} namespace(s) evaluated:`);
    for (const [ns, rules] of namespaces)
      out(`  ${ns}: ${rules.map((r) => r.name).join(", ") || "(no deny/violation/warn rules)"}`);
    if (namespaces.length === 0)
      err(`warning: no namespace matches ${globs.namespaces.join(", ")}: nothing would be checked`);
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

/** `stagegate test`: run the policies' test rules with opa test, as `conftest verify`. */
export async function testCommand(args: CliArgs, cwd: string, out: Out, err: Out): Promise<number> {
  const project = loadProject(args, cwd);
  let sources = readRegoFiles(project.config.policies.paths, project.root, "all");
  if (sources.length === 0) {
    err(`no .rego files under ${project.config.policies.paths.join(", ")}`);
    return 2;
  }
  // As `conftest verify`: every test_ rule in any file runs (opa test), with --data and --rego-version.
  if (args.regoVersion === "v0") sources = await regoV0ToV1(sources);
  const run = await testPolicySet(project.config, sources, loadDataPaths(args.data, cwd));
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

export function printProblems(e: PolicyError, err: Out): void {
  if (e.problems.length === 0) err(`error: ${e.message}`);
  for (const p of e.problems) err(`${p.file}:${p.line}:${p.column}: ${p.code}: ${p.message}`);
}

export type { PolicyProblem };

import { readFileSync } from "node:fs";
import { environmentsForPaths, namespacesFor } from "../config/environments.js";
import { Engine } from "../gate/engine.js";
import { checkEnvironments } from "./check-pool.js";
import { readPolicyInputs } from "../gate/sources.js";
import { isBlocking, type Verdict } from "../gate/verdict.js";
import type { SourceFile } from "../manifests/parse.js";
import { formatVerdicts, isOutputFormat } from "../report/format.js";
import { schemaSummary } from "../schema/summary.js";
import { UsageError, type CliArgs } from "./args.js";
import { applyPolicyFlags } from "./check-data.js";
import { checkCombined } from "./check-combine.js";
import { readCheckInputs, type CheckInputs } from "./check-inputs.js";
import { loadProject, type Project } from "./project.js";
import { VERSION } from "./version.js";

export async function checkCommand(args: CliArgs, cwd: string, out: (s: string) => void): Promise<number> {
  if (!isOutputFormat(args.output))
    throw new UsageError(`unknown output format "${args.output}" (text, json, sarif, junit, github)`);
  const project = loadProject(args, cwd);
  const read = readCheckInputs(project, args.paths, cwd, () => readFileSync(0));
  const files = read.files;
  const environments = pickEnvironments(project, args.env, files);
  const inputs = await readPolicyInputs(project.config, project.reader);
  await applyPolicyFlags(inputs, args, cwd);
  const library = environments.flatMap(
    (env) => namespacesFor(project.config, project.config.environments[env]).library,
  );
  if (inputs.policies.length === 0 && library.length === 0) {
    // As conftest: checking against no policy at all is a mistake, not a pass.
    throw new UsageError(
      `no policies found under ${project.config.policies.paths.join(", ")}: pass --policy DIR, or enable ` +
        `library packages in the config`,
    );
  }
  const engine = await Engine.create(project.config, inputs, args.cache ? {} : { cacheDir: false });
  // Large inputs on several threads (check-pool.ts); one clock for every evaluation of the run.
  const now = BigInt(Date.now()) * 1_000_000n;
  const verdicts = args.combine
    ? environments.map((env) => checkCombined(engine, inputs, env, files, read.display, now))
    : await checkEnvironments(engine, inputs, environments, files, { now });
  if (verdicts.every((v) => v.filesChecked === 0 && v.findings.length === 0)) {
    throw new UsageError(
      `none of the given files is a manifest of ${environments.join(", ")} (its \`manifests\` and \`paths\` ` +
        `globs, e.g. **/*.yaml under the environment's directory): nothing was checked`,
    );
  }
  const sources = engine.ruleSources();
  const ruleSources: Record<string, { file: string; line: number }> = {};
  for (const v of verdicts) {
    for (const f of [...v.findings, ...v.exemptions]) {
      const src = f.namespace && f.rule ? sources[`${f.namespace}.${f.rule}`] : undefined;
      if (src) ruleSources[f.ruleId] = { file: src.file, line: src.line };
    }
  }
  if (args.stdinFilename !== undefined)
    for (const [path, shown] of read.display) if (shown === "-") read.display.set(path, args.stdinFilename);
  showPaths(verdicts, read);
  // As conftest: only the text output leaves them out; the structured outputs keep them.
  if (args.suppressExceptions && args.output === "text") for (const v of verdicts) v.exemptions = [];
  out(formatVerdicts(args.output, verdicts, { toolVersion: VERSION, ruleSources }));
  if (args.summary && args.output === "text") out(schemaSummary(verdicts));
  if (args.noFail) return 0;
  if (verdicts.some(isBlocking)) return 1;
  return args.failOnWarn && verdicts.some((v) => v.findings.some((f) => f.severity === "warning")) ? 1 : 0;
}

/** Findings name files as the user gave them (conftest), not by the stand-in paths they were checked under. */
function showPaths(verdicts: Verdict[], read: CheckInputs): void {
  if (read.display.size === 0) return;
  for (const v of verdicts) {
    for (const f of [...v.findings, ...v.exemptions]) {
      const shown = read.display.get(f.location.file);
      if (shown !== undefined) f.location = { ...f.location, file: shown };
    }
  }
}

/** --env, else the only environment, else those whose path globs match the files. */
function pickEnvironments(project: Project, env: string | undefined, files: SourceFile[]): string[] {
  const names = Object.keys(project.config.environments);
  if (env) {
    if (!names.includes(env)) throw new UsageError(`unknown environment "${env}" (configured: ${names.join(", ")})`);
    return [env];
  }
  if (names.length === 1) return names;
  const matched = environmentsForPaths(
    project.config,
    files.map((f) => f.path),
  ).map((e) => e.name);
  if (matched.length) return matched;
  throw new UsageError(`the config has several environments (${names.join(", ")}); choose one with --env`);
}

export type { Verdict };

import { readFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import { environmentsForPaths, namespacesFor } from "../config/environments.js";
import { Engine } from "../gate/engine.js";
import { checkEnvironments } from "./check-pool.js";
import { readPolicyInputs } from "../gate/sources.js";
import { isBlocking, type Verdict } from "../gate/verdict.js";
import type { SourceFile } from "../manifests/parse.js";
import { formatVerdicts, isOutputFormat } from "../report/format.js";
import { UsageError, type CliArgs } from "./args.js";
import { toPosix, walkFiles } from "./disk-reader.js";
import { loadProject, type Project } from "./project.js";
import { VERSION } from "./version.js";

export async function checkCommand(args: CliArgs, cwd: string, out: (s: string) => void): Promise<number> {
  if (!isOutputFormat(args.output))
    throw new UsageError(`unknown output format "${args.output}" (text, json, sarif, junit, github)`);
  const project = loadProject(args, cwd);
  const files = readFiles(project, args.paths.length ? args.paths : [project.root], cwd);
  const environments = pickEnvironments(project, args.env, files);
  const inputs = await readPolicyInputs(project.config, project.reader);
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
  const verdicts = await checkEnvironments(engine, inputs, environments, files, {
    now: BigInt(Date.now()) * 1_000_000n,
  });
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
  out(formatVerdicts(args.output, verdicts, { toolVersion: VERSION, ruleSources }));
  return verdicts.some(isBlocking) ? 1 : 0;
}

function readFiles(project: Project, paths: string[], cwd: string): SourceFile[] {
  const files: SourceFile[] = [];
  for (const p of paths) {
    const abs = resolve(cwd, p);
    const found = walkFiles(abs);
    if (found.length === 0) throw new UsageError(`no such file or directory: ${p}`);
    for (const f of found)
      files.push({ path: toPosix(relative(project.root, f)), content: new Uint8Array(readFileSync(f)) });
  }
  return files;
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

/**
 * `stagegate check --render [dirs...]`: renders each kustomize directory and judges the objects it would
 * apply with the same engine as `check`, findings placed on the source lines that produced them.
 */
import { statSync } from "node:fs";
import { resolve } from "node:path";
import { environmentsForPaths, namespacesFor } from "../config/environments.js";
import { Engine } from "../gate/engine.js";
import { readPolicyInputs } from "../gate/sources.js";
import { applyPolicyFlags } from "./check-data.js";
import { isBlocking, type Verdict } from "../gate/verdict.js";
import { ToolchainError } from "../policy/toolchain.js";
import { renderEntry, type RenderedEntry } from "../render/render.js";
import { RenderToolError } from "../render/toolchain.js";
import { formatVerdicts, isOutputFormat } from "../report/format.js";
import { UsageError, type CliArgs } from "./args.js";
import { diskRenderReader } from "./disk-reader.js";
import { loadProject, type Project } from "./project.js";
import type { Finding } from "../types.js";
import { VERSION } from "./version.js";

export async function checkRenderCommand(args: CliArgs, cwd: string, out: (s: string) => void): Promise<number> {
  if (!isOutputFormat(args.output))
    throw new UsageError(`unknown output format "${args.output}" (text, json, sarif, junit, github)`);
  const project = loadProject(args, cwd);
  const entries = (args.paths.length ? args.paths : ["."]).map((p) => entryPoint(project, p, cwd));
  const targets = new Map<string, string[]>(); // environment → entry points
  for (const entry of entries) {
    for (const env of environmentsOf(project, args.env, entry)) targets.set(env, [...(targets.get(env) ?? []), entry]);
  }
  const environments = [...targets.keys()];
  const inputs = await readPolicyInputs(project.config, project.reader);
  await applyPolicyFlags(inputs, args, cwd);
  const library = environments.flatMap(
    (env) => namespacesFor(project.config, project.config.environments[env]).library,
  );
  if (inputs.policies.length === 0 && library.length === 0) {
    throw new UsageError(
      `no policies found under ${project.config.policies.paths.join(", ")}: ` +
        "pass --policy DIR, or enable library packages in the config",
    );
  }
  const rendered = new Map<string, RenderedEntry>();
  try {
    for (const entry of entries) rendered.set(entry, await renderEntry(diskRenderReader(project.root), entry));
  } catch (e) {
    if (e instanceof RenderToolError) throw new ToolchainError(e.message);
    throw e;
  }
  const engine = await Engine.create(project.config, inputs, args.cache ? {} : { cacheDir: false });
  const verdicts: Verdict[] = environments.map((env) => {
    const mine = targets.get(env)!.map((e) => rendered.get(e)!);
    const verdict = engine.checkParsed(
      env,
      mine.flatMap((r) => r.files),
    );
    for (const r of mine) r.annotate([...verdict.findings, ...verdict.exemptions]);
    // Two entry points of one environment that include the same base report its problems once.
    return { ...verdict, findings: unique(verdict.findings), exemptions: unique(verdict.exemptions) };
  });
  out(formatVerdicts(args.output, verdicts, { toolVersion: VERSION, ruleSources: ruleSources(engine, verdicts) }));
  return verdicts.some(isBlocking) ? 1 : 0;
}

/** A directory given on the command line, repository-relative. */
export function entryPoint(project: Project, path: string, cwd: string): string {
  if (!statSync(resolve(cwd, path), { throwIfNoEntry: false })?.isDirectory())
    throw new UsageError(`--render takes kustomize or Helm chart directories: ${path} is not a directory`);
  const rel = project.rel(path);
  if (rel === ".." || rel.startsWith("../"))
    throw new UsageError(`${path} is outside the repository (${project.root}): run stagegate from inside it`);
  return rel;
}

/** --env, else the only environment, else those whose path globs match the entry point's directory. */
export function environmentsOf(project: Project, env: string | undefined, entry: string): string[] {
  const names = Object.keys(project.config.environments);
  if (env) {
    if (!names.includes(env)) throw new UsageError(`unknown environment "${env}" (configured: ${names.join(", ")})`);
    return [env];
  }
  if (names.length === 1) return names;
  const probe = entry === "." ? "kustomization.yaml" : `${entry}/kustomization.yaml`;
  const matched = environmentsForPaths(project.config, [probe]).map((e) => e.name);
  if (matched.length) return matched;
  throw new UsageError(`no environment's paths match ${entry} (${names.join(", ")}); choose one with --env`);
}

function unique<T extends Finding>(findings: T[]): T[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const l = f.location;
    const key = JSON.stringify([f.ruleId, l.file, l.line, l.column, f.message]);
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

export function ruleSources(engine: Engine, verdicts: Verdict[]): Record<string, { file: string; line: number }> {
  const sources = engine.ruleSources();
  const out: Record<string, { file: string; line: number }> = {};
  for (const v of verdicts) {
    for (const f of [...v.findings, ...v.exemptions]) {
      const src = f.namespace && f.rule ? sources[`${f.namespace}.${f.rule}`] : undefined;
      if (src) out[f.ruleId] = { file: src.file, line: src.line };
    }
  }
  return out;
}

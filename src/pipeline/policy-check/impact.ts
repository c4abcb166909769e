import { manifestFilesFor } from "../../config/environments.js";
import type { EnvironmentConfig } from "../../config/types.js";
import type { Engine } from "../../gate/engine.js";
import type { GitHubClient } from "../../github/client.js";
import type { SourceFile } from "../../manifests/parse.js";
import type { Finding } from "../../types.js";

/** Most manifest files previewed per environment, whatever `limits.max_files` allows. */
export const IMPACT_FILE_CAP = 2000;

/** One failing (document, rule) pair. */
export interface ImpactEntry {
  file: string;
  /** 0-based document index in the file; -1 for findings about the whole file. */
  documentIndex: number;
  ruleId: string;
  line: number;
  message: string;
}

export interface EnvironmentImpact {
  environment: string;
  /** Branch whose head was previewed, when there is one. */
  ref?: string;
  sha?: string;
  files: number;
  /** True when the environment has more manifest files than were previewed. */
  capped: boolean;
  totalFiles: number;
  newlyFailing: ImpactEntry[];
  noLongerFailing: ImpactEntry[];
  /** Why the environment was not (fully) previewed. */
  note?: string;
}

const isGlob = (s: string) => /[*?[\]{}()!+@]/.test(s);

/**
 * The branch holding an environment's current content: its first literal `branches` entry, or the default branch for
 * path-only environments.
 */
export function environmentBranch(env: EnvironmentConfig, defaultBranch: string): string | undefined {
  if (env.branches.length > 0) return env.branches.find((b) => !isGlob(b));
  return env.paths.length > 0 ? defaultBranch : undefined;
}

const keyOf = (e: ImpactEntry) => `${e.file}\0${e.documentIndex}\0${e.ruleId}`;

/** Failing findings as (file, document, rule) entries, one per key, in input order. */
export function failingEntries(findings: Finding[]): ImpactEntry[] {
  const out = new Map<string, ImpactEntry>();
  for (const f of findings) {
    if (f.severity !== "failure") continue;
    const e: ImpactEntry = {
      file: f.location.file,
      documentIndex: f.documentIndex ?? -1,
      ruleId: f.ruleId,
      line: f.location.line,
      message: f.message,
    };
    if (!out.has(keyOf(e))) out.set(keyOf(e), e);
  }
  return [...out.values()];
}

/** What merging would change: failures only the proposed policies report, and failures they no longer report. */
export function diffFailures(
  current: Finding[],
  proposed: Finding[],
): { newlyFailing: ImpactEntry[]; noLongerFailing: ImpactEntry[] } {
  const before = failingEntries(current);
  const after = failingEntries(proposed);
  const beforeKeys = new Set(before.map(keyOf));
  const afterKeys = new Set(after.map(keyOf));
  return {
    newlyFailing: after.filter((e) => !beforeKeys.has(keyOf(e))),
    noLongerFailing: before.filter((e) => !afterKeys.has(keyOf(e))),
  };
}

/**
 * Evaluates the proposed and the current policies on the current content of
 * every environment of the proposed config. Each commit's tree is listed once
 * and its manifests read in one batched pass; at most `IMPACT_FILE_CAP` (and
 * `limits.max_files`) files per environment. Policies run in worker threads
 * (Engine.checkAsync): an evaluation over its budget rejects with BudgetError.
 */
export async function previewImpact(
  client: GitHubClient,
  defaultBranch: { name: string; sha: string },
  proposed: Engine,
  current: Engine | undefined,
  now: bigint,
): Promise<EnvironmentImpact[]> {
  const config = proposed.config;
  const cap = Math.min(IMPACT_FILE_CAP, config.limits.max_files, current?.config.limits.max_files ?? Infinity);
  const plans: Array<{ impact: EnvironmentImpact; env: EnvironmentConfig; paths: string[] }> = [];
  const shaOfBranch = new Map<string, Promise<string | undefined>>([
    [defaultBranch.name, Promise.resolve(defaultBranch.sha)],
  ]);
  const trees = new Map<string, Promise<string[]>>();

  for (const env of Object.values(config.environments)) {
    const impact: EnvironmentImpact = {
      environment: env.name,
      files: 0,
      totalFiles: 0,
      capped: false,
      newlyFailing: [],
      noLongerFailing: [],
    };
    plans.push({ impact, env, paths: [] });
    const ref = environmentBranch(env, defaultBranch.name);
    if (!ref) {
      impact.note = "no literal branch in `branches` to preview";
      continue;
    }
    impact.ref = ref;
    if (!shaOfBranch.has(ref)) shaOfBranch.set(ref, client.branchSha(ref));
    const sha = await shaOfBranch.get(ref)!;
    if (!sha) {
      impact.note = `branch \`${ref}\` does not exist`;
      continue;
    }
    impact.sha = sha;
    if (!trees.has(sha))
      trees.set(
        sha,
        client.tree(sha).then((t) => t.map((e) => e.path)),
      );
    const all = manifestFilesFor(env, await trees.get(sha)!).sort();
    impact.totalFiles = all.length;
    impact.capped = all.length > cap;
    plans[plans.length - 1].paths = all.slice(0, cap);
    impact.files = Math.min(all.length, cap);
  }

  // One batched read per commit, shared by the environments on it.
  const wanted = new Map<string, Set<string>>();
  for (const p of plans)
    if (p.impact.sha)
      for (const path of p.paths)
        (wanted.get(p.impact.sha) ?? wanted.set(p.impact.sha, new Set()).get(p.impact.sha)!).add(path);
  const contents = new Map<string, Map<string, string>>();
  for (const [sha, paths] of wanted) {
    const read = await client.readFiles(sha, [...paths]);
    const texts = new Map<string, string>();
    for (const [path, bytes] of read) if (bytes !== undefined) texts.set(path, new TextDecoder().decode(bytes));
    contents.set(sha, texts);
  }

  for (const { impact, env, paths } of plans) {
    if (!impact.sha) continue;
    const texts = contents.get(impact.sha) ?? new Map<string, string>();
    const files: SourceFile[] = paths.filter((p) => texts.has(p)).map((p) => ({ path: p, content: texts.get(p)! }));
    // In worker threads under the engines' budgets: the proposed policies are untrusted code.
    const after = (await proposed.checkAsync(env.name, files, { now: () => now })).findings;
    const known = current !== undefined && Object.hasOwn(current.config.environments, env.name);
    const before = known ? (await current.checkAsync(env.name, files, { now: () => now })).findings : [];
    if (!known)
      impact.note = current
        ? "new environment: not evaluated by the current policies"
        : "no current policies to compare with";
    Object.assign(impact, diffFailures(before, after));
  }
  return plans.map((p) => p.impact);
}

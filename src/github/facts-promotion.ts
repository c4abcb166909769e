import picomatch from "picomatch";
import type { EnvironmentConfig, StagegateConfig } from "../config/types.js";
import { gatesOf } from "../config/gates.js";
import { defaultPathMap, mapPath, sameContent } from "../gate/content-compare.js";
import type { PromotionFacts } from "../gate/pr-input.js";
import type { GitHubClient } from "./client.js";
import type { ChangedFile, PullRequest } from "./types.js";

/**
 * Promotion facts: whether the PR's change already went through the source
 * stage, whether the source stage reported it healthy (`verified_by`), and
 * since when it has been there (`soak`).
 */

/** Mapped files whose source-side history is read for `soak` (one request each). */
export const MAX_SOAK_FILES = 20;

export class FactsError extends Error {}

export interface PromotionRequest {
  pr: PullRequest;
  files: ChangedFile[];
  env: EnvironmentConfig;
  config: StagegateConfig;
  verification: boolean;
  soak: boolean;
}

/** A plain branch name (no glob characters), usable as a ref. */
function plainBranch(env: EnvironmentConfig): string | undefined {
  const b = env.branches[0];
  return b !== undefined && !/[*?[\]{}()!+@]/.test(b) ? b : undefined;
}

export function promotionMode(env: EnvironmentConfig, source: EnvironmentConfig): "commits" | "content" {
  const configured = gatesOf(env).promotion?.mode;
  if (configured) return configured;
  const from = plainBranch(source);
  // branch per environment → commits; directory per environment (same branch) → content
  return from !== undefined && from !== plainBranch(env) && env.branches.length > 0 ? "commits" : "content";
}

export async function gatherPromotion(client: GitHubClient, req: PromotionRequest): Promise<PromotionFacts> {
  const { env, config } = req;
  const sourceName = env.promote_from!;
  const source = config.environments[sourceName];
  if (!source) throw new FactsError(`promote_from names unknown environment ${JSON.stringify(sourceName)}`);
  const mode = promotionMode(env, source);
  const facts: PromotionFacts = {
    source: sourceName,
    mode,
    commits_not_in_source: [],
    files_not_in_source: [],
    verification: [],
    in_source_since_ns: null,
  };
  let sourceRef: string;
  if (mode === "commits") {
    const branch = plainBranch(source);
    if (!branch)
      throw new FactsError(
        `promotion from ${sourceName} by commits needs a plain branch name as the first of ${sourceName}'s \`branches\``,
      );
    const ahead = await compareCommits(client, branch, req.pr.headSha);
    facts.commits_not_in_source = ahead.commits;
    sourceRef = ahead.baseSha ?? branch;
    if (req.soak && ahead.commits.length === 0)
      facts.in_source_since_ns = await commitsSoak(client, req.pr.headSha, sourceRef);
  } else {
    // the source stage's content: its own branch when it has one, else the branch the PR merges into
    const branch = plainBranch(source) ?? req.pr.baseRef;
    const pathMap = gatesOf(env).promotion?.path_map ?? defaultPathMap(source.paths, env.paths);
    if (!pathMap && plainBranch(source) === undefined) {
      throw new FactsError(`cannot map ${env.name}'s files to ${sourceName}'s: set gates.promotion.path_map`);
    }
    sourceRef = (await client.branchSha(branch)) ?? branch;
    const mapped = await contentFacts(client, req, pathMap ?? { from: "", to: "" }, sourceRef);
    facts.files_not_in_source = mapped.missing;
    if (req.soak && mapped.missing.length === 0)
      facts.in_source_since_ns = await contentSoak(client, mapped.sourcePaths, sourceRef);
  }
  if (req.verification) facts.verification = await verification(client, sourceRef, gatesOf(env).verified_by ?? []);
  return facts;
}

async function compareCommits(
  client: GitHubClient,
  base: string,
  head: string,
): Promise<{ commits: string[]; baseSha: string | undefined }> {
  let data;
  try {
    ({ data } = await client.octokit.rest.repos.compareCommitsWithBasehead({
      ...client.repo,
      basehead: `${base}...${head}`,
      per_page: 100,
    }));
  } catch (err) {
    if ((err as { status?: number }).status === 404)
      throw new FactsError(
        `cannot compare ${head.slice(0, 7)} with branch ${base}: not found (does the source stage's branch exist?)`,
      );
    throw err;
  }
  const shas = (data.commits ?? []).map((c) => c.sha);
  // GitHub lists at most 250 commits of a comparison; the policy lists a few anyway
  return { commits: data.ahead_by > 0 ? shas : [], baseSha: data.base_commit?.sha };
}

/**
 * Commits mode, approximate: the PR head reached the source branch with the
 * first source commit that has the head as a parent (a merge or the next
 * commit of a fast-forward), else the oldest source commit after the head;
 * when the source branch is at the head itself, the head's committer date.
 */
async function commitsSoak(client: GitHubClient, headSha: string, sourceSha: string): Promise<number | null> {
  const { data } = await client.octokit.rest.repos.compareCommitsWithBasehead({
    ...client.repo,
    basehead: `${headSha}...${sourceSha}`,
    per_page: 100,
  });
  if (data.behind_by > 0) return null; // the head is not contained in the source
  const commits = data.commits ?? [];
  const child = commits.find((c) => c.parents.some((p) => p.sha === headSha)) ?? commits[0];
  const date = child ? child.commit.committer?.date : data.base_commit?.commit.committer?.date;
  return typeof date === "string" ? Date.parse(date) * 1e6 : null;
}

interface ContentResult {
  missing: PromotionFacts["files_not_in_source"];
  sourcePaths: string[];
}

/** Two reads in all: the PR's side at its head, the source side at `sourceRef` (batched by readFiles). */
async function contentFacts(
  client: GitHubClient,
  req: PromotionRequest,
  pathMap: { from: string; to: string },
  sourceRef: string,
): Promise<ContentResult> {
  const ignore = gatesOf(req.env).promotion?.ignore_fields ?? [];
  const inEnv = filesOfEnvironment(req.env, req.files);
  const pairs = inEnv.map((f) => ({ file: f, source: mapPath(f.path, pathMap) }));
  const missing: ContentResult["missing"] = [];
  const mappable = pairs.filter((p): p is { file: ChangedFile; source: string } => p.source !== null);
  for (const p of pairs) if (p.source === null) missing.push({ path: p.file.path, source_path: "", reason: "missing" });
  const kept = mappable.filter((p) => p.file.status !== "removed");
  const ours = kept.length
    ? await client.readFiles(
        req.pr.headSha,
        kept.map((p) => p.file.path),
      )
    : new Map<string, Uint8Array | undefined>();
  const theirs = mappable.length
    ? await client.readFiles(
        sourceRef,
        mappable.map((p) => p.source),
      )
    : new Map<string, Uint8Array | undefined>();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  for (const { file, source } of mappable) {
    const src = theirs.get(source);
    if (file.status === "removed") {
      if (src !== undefined) missing.push({ path: file.path, source_path: source, reason: "different" });
      continue;
    }
    const own = ours.get(file.path);
    if (src === undefined) missing.push({ path: file.path, source_path: source, reason: "missing" });
    else if (own === undefined || !sameContent(text(own), text(src), ignore))
      missing.push({ path: file.path, source_path: source, reason: "different" });
  }
  return { missing, sourcePaths: kept.map((p) => p.source) };
}

/** The PR's files that belong to `env`: inside its `paths` (all files when it has none). */
function filesOfEnvironment(env: EnvironmentConfig, files: ChangedFile[]): ChangedFile[] {
  if (env.paths.length === 0) return files;
  return files.filter((f) => env.paths.some((g) => globPrefixMatch(g, f.path)));
}

function globPrefixMatch(glob: string, path: string): boolean {
  return picomatch(glob, { dot: true })(path);
}

/**
 * Content mode: the latest commit on the source ref touching each mapped
 * source path (one request per file, first MAX_SOAK_FILES files only); the
 * content was complete in the source stage when the last of them landed.
 */
async function contentSoak(client: GitHubClient, sourcePaths: string[], sourceRef: string): Promise<number | null> {
  let latest: number | null = null;
  for (const path of sourcePaths.slice(0, MAX_SOAK_FILES)) {
    const { data } = await client.octokit.rest.repos.listCommits({ ...client.repo, sha: sourceRef, path, per_page: 1 });
    const date = data[0]?.commit.committer?.date;
    if (typeof date !== "string") return null;
    const ns = Date.parse(date) * 1e6;
    if (latest === null || ns > latest) latest = ns;
  }
  return latest;
}

type VerificationState = PromotionFacts["verification"][number]["state"];
const RANK: Record<VerificationState, number> = { success: 0, pending: 1, missing: 2, failure: 3 };

/** `verified_by` contexts on the source stage's commit: the combined status and the check runs (two requests). */
async function verification(
  client: GitHubClient,
  ref: string,
  contexts: string[],
): Promise<PromotionFacts["verification"]> {
  if (contexts.length === 0) return [];
  const [status, checks] = await Promise.all([
    client.octokit.rest.repos.getCombinedStatusForRef({ ...client.repo, ref, per_page: 100 }),
    client.octokit.rest.checks.listForRef({ ...client.repo, ref, per_page: 100 }),
  ]);
  const sha = status.data.sha || checks.data.check_runs[0]?.head_sha || ref;
  return contexts.map((context) => {
    const states: VerificationState[] = [];
    for (const s of status.data.statuses) {
      if (s.context === context)
        states.push(s.state === "success" ? "success" : s.state === "pending" ? "pending" : "failure");
    }
    // the latest run of each name (highest id) decides
    const run = checks.data.check_runs.filter((r) => r.name === context).sort((a, b) => b.id - a.id)[0];
    if (run) {
      if (run.status !== "completed") states.push("pending");
      else states.push(["success", "neutral", "skipped"].includes(run.conclusion ?? "") ? "success" : "failure");
    }
    const state = states.length ? states.reduce((a, b) => (RANK[b] > RANK[a] ? b : a)) : "missing";
    return { context, state, sha };
  });
}

import { manifestFilesFor } from "../config/environments.js";
import { gatesApply } from "../config/targeting.js";
import type { EnvironmentConfig, StagegateConfig } from "../config/types.js";
import { groupGateInput, type JudgeInput, type Unreadable } from "../gate/judge.js";
import { deriveOverride } from "../gate/overrides.js";
import type { OverrideRecord } from "../gate/verdict.js";
import { freezeFacts } from "../gather/freeze-facts.js";
import { gatherPrInput } from "../gather/pr-input.js";
import type { PullFacts } from "../gather/pull-facts.js";
import type { GitHubClient } from "../github/client.js";
import type { SourceFile } from "../manifests/parse.js";
import type { Deadline } from "./deadline.js";
import type { Subject } from "./subject.js";

/**
 * The gather phase: every GitHub read one evaluation needs, each raced
 * against the evaluation's deadline. The client memoises reads, so a fact two
 * environments need costs one request.
 */

/** The changed manifests at the evaluated commit, and what could not be read as one (with the reason). */
export interface Manifests {
  files: SourceFile[];
  unreadable: Unreadable[];
  /** The commit actually read (the head, when the test merge commit turned out stale). */
  contentSha: string;
  note?: string;
}

/**
 * The changed manifests of every environment at the evaluated commit. The
 * entries are looked at first (one request, which also names the commit's
 * parents): only regular files within `limits.max_file_bytes` are downloaded;
 * symlinks, submodules and oversized files are reported, never read. A test
 * merge commit that does not contain the PR's current head (GitHub can serve
 * one computed before the latest push) is not trusted: the head is read instead.
 */
export async function readManifests(
  client: GitHubClient,
  subject: Subject,
  envs: EnvironmentConfig[],
  maxFileBytes: number,
): Promise<Manifests> {
  const wanted = new Set<string>();
  for (const env of envs) for (const p of manifestFilesFor(env, subject.changed)) wanted.add(p);
  if (wanted.size === 0) return { files: [], unreadable: [], contentSha: subject.contentSha };
  const paths = [...wanted].sort();
  let contentSha = subject.contentSha;
  let note: string | undefined;
  const first = await client.entries(contentSha, paths);
  let entries = first.entries;
  const head = subject.pull?.pr.headSha;
  if (head && contentSha !== head && first.parents[1] !== head) {
    note =
      `GitHub's test merge commit \`${contentSha.slice(0, 7)}\` does not contain the head \`${head.slice(0, 7)}\` ` +
      `(it was computed before the latest push), so the head commit was evaluated.`;
    contentSha = head;
    entries = (await client.entries(contentSha, paths)).entries;
  }
  const unreadable: Unreadable[] = [];
  const readable: string[] = [];
  for (const path of paths) {
    const entry = entries.get(path);
    if (!entry) unreadable.push({ path, why: "missing" });
    else if (entry.kind !== "file") unreadable.push({ path, why: entry.kind });
    else if (entry.size > maxFileBytes) unreadable.push({ path, why: "too-large", size: entry.size });
    else readable.push(path);
  }
  const files: SourceFile[] = [];
  const contents = readable.length ? await client.readFiles(contentSha, readable) : new Map();
  for (const [path, content] of contents) {
    if (content !== undefined) files.push({ path, content });
    else unreadable.push({ path, why: "missing" });
  }
  return { files, unreadable, contentSha, ...(note ? { note } : {}) };
}

/** The PR-level facts one environment's gates are judged on, if any apply. */
export async function gatherGateInput(
  facts: PullFacts,
  ctx: {
    config: StagegateConfig;
    env: EnvironmentConfig;
    subject: Subject;
    appId: number;
    nowMs: number;
    /** Files the environment's render reads: a change to one of them applies its gates. */
    reads?: ReadonlySet<string>;
  },
  deadline: Deadline,
): Promise<JudgeInput["gates"]> {
  const { env, subject, nowMs } = ctx;
  if (!subject.pull) {
    // A merge group has no pull request of its own, but a freeze still stops it: the queue must not merge into a
    // frozen environment.
    const freeze = await deadline.race("reading freezes", freezeFacts(facts, env, ctx.appId, nowMs));
    return { kind: "group", input: groupGateInput(env, subject, freeze, nowMs) };
  }
  if (!gatesApply(env, subject.touched, ctx.reads)) return undefined;
  const input = await deadline.race(
    "gathering pull request facts",
    gatherPrInput(facts, { ...subject.pull, env, config: ctx.config, appId: ctx.appId, nowMs }),
  );
  return { kind: "pull", input };
}

/** The override in force on the PR's head, when one could matter (overriders are configured). */
export async function gatherOverride(
  client: GitHubClient,
  ctx: { config: StagegateConfig; env: EnvironmentConfig; subject: Subject; appId: number },
  deadline: Deadline,
): Promise<OverrideRecord | undefined> {
  const allowed = ctx.env.override.allowed;
  if (!ctx.subject.pull || allowed.users.length + allowed.teams.length === 0) return undefined;
  const pr = ctx.subject.pull.pr;
  return deadline.race(
    "reading overrides",
    deriveOverride(client.issues, client.access, client.repo, {
      pr,
      env: ctx.env.name,
      config: ctx.config,
      appId: ctx.appId,
    }),
  );
}

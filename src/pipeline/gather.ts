import { manifestFilesFor } from "../config/environments.js";
import { gatesApply } from "../config/targeting.js";
import type { EnvironmentConfig, StagegateConfig } from "../config/types.js";
import type { JudgeInput } from "../gate/judge.js";
import { groupGateInput } from "../gate/judge.js";
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

/** The changed manifests of every environment at the evaluated commit, in batched reads. */
export async function readManifests(
  client: GitHubClient,
  subject: Subject,
  envs: EnvironmentConfig[],
): Promise<{ files: SourceFile[]; unreadable: string[] }> {
  const wanted = new Set<string>();
  for (const env of envs) for (const p of manifestFilesFor(env, subject.changed)) wanted.add(p);
  if (wanted.size === 0) return { files: [], unreadable: [] };
  const contents = await client.readFiles(subject.contentSha, [...wanted].sort());
  const files: SourceFile[] = [];
  const unreadable: string[] = [];
  for (const [path, content] of contents) {
    if (content !== undefined) files.push({ path, content });
    else unreadable.push(path);
  }
  return { files, unreadable };
}

/** The PR-level facts one environment's gates are judged on, if any apply. */
export async function gatherGateInput(
  facts: PullFacts,
  ctx: { config: StagegateConfig; env: EnvironmentConfig; subject: Subject; appId: number; nowMs: number },
  deadline: Deadline,
): Promise<JudgeInput["gates"]> {
  const { env, subject, nowMs } = ctx;
  if (!subject.pull) {
    // A merge group has no pull request of its own, but a freeze still stops it: the queue must not merge into a
    // frozen environment.
    const freeze = await deadline.race("reading freezes", freezeFacts(facts, env, ctx.appId, nowMs));
    return { kind: "group", input: groupGateInput(env, subject, freeze, nowMs) };
  }
  if (!gatesApply(env, subject.touched)) return undefined;
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

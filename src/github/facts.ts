import { environmentsForPaths } from "../config/environments.js";
import { gatesOf } from "../config/gates.js";
import type { EnvironmentConfig, StagegateConfig } from "../config/types.js";
import { activeFreezes } from "../gate/freeze.js";
import type { FreezeFacts, PrInput } from "../gate/pr-input.js";
import type { GitHubClient } from "./client.js";
import { gatherReviewFacts } from "./facts-graphql.js";
import { gatherPromotion } from "./facts-promotion.js";
import { manualFreezes } from "./freeze-issues.js";
import type { ChangedFile, PullRequest } from "./types.js";

export { FREEZE_LABEL, freezeMarker, parseFreezeMarker, type FreezeMarker } from "./freeze-issues.js";
export { FactsError } from "./facts-promotion.js";

/**
 * The pull request's facts for PR-level policies (PrInput), gathered from
 * GitHub only as far as the environment's configured gates need them:
 *
 * - reviews, commits, team members: ONE GraphQL query;
 * - promotion: one compare (commits mode) or two batched file reads (content mode);
 * - verified_by: the combined status and the check runs of the source stage's commit;
 * - soak: one compare (commits mode) or one commit listing per file, at most 20 (content mode);
 * - manual freezes: one issue listing. Scheduled windows cost nothing.
 */

export interface FactsNeeds {
  reviews: boolean;
  commits: boolean;
  promotion: boolean;
  verification: boolean;
  soak: boolean;
  /** Teams (`org/slug`) whose members must be known. */
  teams: string[];
  freeze: boolean;
}

export function needsFor(env: EnvironmentConfig): FactsNeeds {
  const g = gatesOf(env);
  // the environment's own PR-level Rego rules may read anything: give them reviews and commits
  const custom = (g.policies ?? []).length > 0;
  const promotes = typeof env.promote_from === "string" && env.promote_from !== "";
  return {
    reviews: g.approvals !== undefined || custom,
    commits: g.signed_commits === true || custom,
    promotion: promotes,
    verification: promotes && (g.verified_by ?? []).length > 0,
    soak: promotes && typeof g.soak === "string",
    teams: g.approvals ? [...g.approvals.from.teams] : [],
    // manual freezes (`/gate freeze`) may apply to any environment
    freeze: true,
  };
}

export async function gatherPrInput(
  client: GitHubClient,
  opts: {
    pr: PullRequest;
    files: ChangedFile[];
    env: EnvironmentConfig;
    config: StagegateConfig;
    appId: number;
    nowMs: number;
  },
): Promise<PrInput> {
  const { pr, env, config } = opts;
  const needs = needsFor(env);
  const input: PrInput = {
    environment: { name: env.name, mode: env.mode, source: env.promote_from ?? null },
    pull_request: {
      number: pr.number,
      title: pr.title,
      body: pr.body,
      author: pr.author,
      author_association: pr.authorAssociation,
      draft: pr.draft,
      labels: pr.labels,
      base: { ref: pr.baseRef, sha: pr.baseSha },
      head: { ref: pr.headRef, sha: pr.headSha },
      fork: pr.fork,
    },
    files: opts.files.map((f) => ({
      path: f.path,
      status: f.status,
      previous_path: f.previousPath ?? null,
      additions: f.additions,
      deletions: f.deletions,
      environment: environmentOf(config, env, f.path),
    })),
    gates: env.gates,
    now_ns: opts.nowMs * 1e6,
  };

  const [review, promotion, freeze] = await Promise.all([
    gatherReviewFacts(client, {
      number: pr.number,
      headSha: pr.headSha,
      reviews: needs.reviews || needs.teams.length > 0,
      commits: needs.commits,
      teams: needs.teams,
    }),
    needs.promotion
      ? gatherPromotion(client, {
          pr,
          files: opts.files,
          env,
          config,
          verification: needs.verification,
          soak: needs.soak,
        })
      : Promise.resolve(undefined),
    needs.freeze ? freezeFacts(client, env, opts.appId, opts.nowMs) : Promise.resolve(undefined),
  ]);
  if (review.reviews) input.reviews = review.reviews;
  if (review.commits) input.commits = review.commits;
  if (promotion) input.promotion = promotion;
  if (freeze) input.freeze = freeze;
  return input;
}

/** Scheduled windows (pure) and manual freeze issues (one request). */
export async function freezeFacts(
  client: GitHubClient,
  env: EnvironmentConfig,
  appId: number,
  nowMs: number,
): Promise<FreezeFacts> {
  const active: FreezeFacts["active"] = activeFreezes(env.freeze.windows, nowMs).map((f) => ({
    kind: "schedule",
    reason: f.reason,
    until_ns: Number.isFinite(f.untilMs) ? f.untilMs * 1e6 : null,
    by: null,
    url: null,
    // The gate's message shows the end of the window in the window's own time zone.
    timezone: f.timezone,
    window: f.window.startsWith("cron") ? "cron" : "weekly",
  }));
  active.push(...(await manualFreezes(client, env.name, appId)));
  return { frozen: active.length > 0, active };
}

/** The environment whose `paths` contain the file; in branch-per-environment repos, the PR's environment. */
function environmentOf(config: StagegateConfig, env: EnvironmentConfig, path: string): string | null {
  const byPath = environmentsForPaths(config, [path]);
  if (byPath.some((e) => e.name === env.name)) return env.name;
  if (byPath.length > 0) return byPath[0].name;
  return env.paths.length === 0 ? env.name : null;
}

import { environmentsForPaths } from "../config/environments.js";
import type { EnvironmentConfig, StagegateConfig } from "../config/types.js";
import type { PrInput } from "../gate/pr-input.js";
import { freezeFacts } from "./freeze-facts.js";
import { needsFor } from "./needs.js";
import { gatherPromotion } from "./promotion.js";
import type { PullFacts, PullFile, PullInfo } from "./pull-facts.js";
import { gatherReviewFacts } from "./reviews.js";

/**
 * The pull request's facts for PR-level policies (gate/pr-input.ts's PrInput),
 * read only as far as the environment's configured gates need them:
 *
 * - reviews, commits, team members: one `pullActivity` read; the permission of
 *   each reviewer whose approval could count (memoised per delivery);
 * - promotion: one comparison (commits mode) or two file reads (content mode);
 * - verified_by: the CI reports of the source stage's commit;
 * - soak: one comparison (commits mode) or one history read per file, at most 20 (content mode);
 * - manual freezes: one issue listing. Scheduled windows cost nothing.
 */

export interface PrInputRequest {
  pr: PullInfo;
  files: PullFile[];
  env: EnvironmentConfig;
  config: StagegateConfig;
  appId: number;
  nowMs: number;
}

export async function gatherPrInput(facts: PullFacts, opts: PrInputRequest): Promise<PrInput> {
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
    gatherReviewFacts(facts, {
      number: pr.number,
      headSha: pr.headSha,
      reviews: needs.reviews || needs.teams.length > 0,
      commits: needs.commits,
      teams: needs.teams,
      permissions: needs.permissions ? { ...needs.permissions, author: pr.author } : undefined,
    }),
    needs.promotion
      ? gatherPromotion(facts, {
          pr,
          files: opts.files,
          env,
          config,
          verification: needs.verification,
          soak: needs.soak,
        })
      : Promise.resolve(undefined),
    needs.freeze ? freezeFacts(facts, env, opts.appId, opts.nowMs) : Promise.resolve(undefined),
  ]);
  if (review.reviews) input.reviews = review.reviews;
  if (review.commits) input.commits = review.commits;
  if (review.commitsTotal !== undefined) input.commits_total = review.commitsTotal;
  if (promotion) input.promotion = promotion;
  if (freeze) input.freeze = freeze;
  return input;
}

/** The environment whose `paths` contain the file; in branch-per-environment repos, the PR's environment. */
function environmentOf(config: StagegateConfig, env: EnvironmentConfig, path: string): string | null {
  const byPath = environmentsForPaths(config, [path]);
  if (byPath.some((e) => e.name === env.name)) return env.name;
  if (byPath.length > 0) return byPath[0].name;
  return env.paths.length === 0 ? env.name : null;
}

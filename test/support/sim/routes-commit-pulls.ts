/**
 * GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls: the pull requests that introduced a commit — merged ones
 * whose merge commit it is, and those (open or merged) whose own commits include it.
 */
import { pullJson } from "./present.js";
import type { PullState, RepoState } from "./state.js";
import { paginate, repoOf, type RouteContext, type RouteTable } from "./routes.js";

function introduces(repo: RepoState, pr: PullState, sha: string): boolean {
  if (pr.mergeCommitSha === sha) return true;
  if (!pr.headSha || !pr.baseSha) return false;
  const own = repo.git.commitsBetween(repo.git.mergeBase(pr.baseSha, pr.headSha), pr.headSha);
  return own.some((c) => c.sha === sha);
}

function commitPulls(ctx: RouteContext) {
  const repo = repoOf(ctx);
  const sha = repo.resolveOr404(ctx.params.commit_sha).sha;
  const pulls = [...repo.pulls.values()].filter((pr) => introduces(repo, pr, sha));
  return paginate(
    ctx,
    pulls.map((pr) => pullJson(repo, pr, false)),
  );
}

export const commitPullRoutes: RouteTable = {
  "GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls": commitPulls,
};

/** Pull requests: list, get (with test merge), files, commits, reviews, create. */
import { diffTrees } from "./git.js";
import { commitJson, fileJson, pullJson, userJson } from "./present.js";
import { HttpError, nodeId, type PullState, type RepoState } from "./state.js";
import { intParam, ok, paginate, repoOf, type RouteContext, type RouteTable } from "./routes.js";

function listPulls(ctx: RouteContext) {
  const repo = repoOf(ctx);
  const state = ctx.query.get("state") ?? "open";
  const base = ctx.query.get("base");
  const head = ctx.query.get("head");
  let pulls = [...repo.pulls.values()].filter((p) => state === "all" || p.state === state);
  if (base) pulls = pulls.filter((p) => p.baseRef === base);
  if (head) pulls = pulls.filter((p) => `${p.fork ? p.author : repo.owner}:${p.headRef}` === head);
  const sort = ctx.query.get("sort") ?? "created";
  const key = (p: PullState) => (sort === "updated" ? p.updatedAt : p.createdAt);
  const direction = ctx.query.get("direction") ?? "desc";
  pulls.sort(
    (a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.number - b.number) * (direction === "asc" ? 1 : -1),
  );
  return paginate(
    ctx,
    pulls.map((p) => pullJson(repo, p, false)),
  );
}

function prFiles(repo: RepoState, pr: PullState) {
  const mb = repo.git.mergeBase(pr.baseSha, pr.headSha);
  const before = mb ? repo.git.commits.get(mb)!.files : new Map<string, string>();
  return diffTrees(repo.git, before, repo.git.commits.get(pr.headSha)!.files);
}

function reviewJson(repo: RepoState, pr: PullState, r: PullState["reviews"][number]) {
  return {
    id: r.id,
    node_id: nodeId("PRR_", r.id),
    user: userJson(r.user, repo.sim.url),
    body: r.body,
    state: r.state,
    html_url: `https://github.com/${repo.fullName}/pull/${pr.number}#pullrequestreview-${r.id}`,
    pull_request_url: `${repo.sim.url}/repos/${repo.fullName}/pulls/${pr.number}`,
    submitted_at: r.submittedAt,
    commit_id: r.commitId,
    author_association: repo.permissionOf(r.user) === "admin" ? "OWNER" : "MEMBER",
  };
}

function createPull(ctx: RouteContext) {
  const repo = repoOf(ctx);
  const b = ctx.body as { title?: string; head: string; base: string; body?: string; draft?: boolean };
  if (!b.title)
    throw new HttpError(422, "Validation Failed", [{ resource: "PullRequest", code: "missing_field", field: "title" }]);
  const [owner, branch] = b.head.includes(":") ? b.head.split(":", 2) : [repo.owner, b.head];
  if (owner.toLowerCase() !== repo.owner.toLowerCase() || !repo.branches.has(branch)) {
    throw new HttpError(422, "Validation Failed", [{ resource: "PullRequest", code: "invalid", field: "head" }]);
  }
  if (!repo.branches.has(b.base))
    throw new HttpError(422, "Validation Failed", [{ resource: "PullRequest", code: "invalid", field: "base" }]);
  const pr = repo.openPullRequest({
    head: branch,
    base: b.base,
    title: b.title,
    body: b.body,
    draft: b.draft,
    author: ctx.state.botLogin,
  });
  return ok(pullJson(repo, pr, true), 201);
}

export const pullRoutes: RouteTable = {
  "GET /repos/{owner}/{repo}/pulls": listPulls,
  "POST /repos/{owner}/{repo}/pulls": createPull,
  "GET /repos/{owner}/{repo}/pulls/{pull_number}": (ctx) => {
    const repo = repoOf(ctx);
    return ok(pullJson(repo, repo.pull(intParam(ctx, "pull_number")), true));
  },
  "GET /repos/{owner}/{repo}/pulls/{pull_number}/files": (ctx) => {
    const repo = repoOf(ctx);
    const pr = repo.pull(intParam(ctx, "pull_number"));
    // GitHub lists at most 3000 files of a pull request
    return paginate(
      ctx,
      prFiles(repo, pr).map((f) => fileJson(repo, pr.headSha, f)),
      3000,
    );
  },
  "GET /repos/{owner}/{repo}/pulls/{pull_number}/commits": (ctx) => {
    const repo = repoOf(ctx);
    const pr = repo.pull(intParam(ctx, "pull_number"));
    const commits = repo.git.commitsBetween(repo.git.mergeBase(pr.baseSha, pr.headSha), pr.headSha);
    return paginate(
      ctx,
      commits.map((c) => commitJson(repo, c)),
      250,
    );
  },
  "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews": (ctx) => {
    const repo = repoOf(ctx);
    const pr = repo.pull(intParam(ctx, "pull_number"));
    return paginate(
      ctx,
      pr.reviews.map((r) => reviewJson(repo, pr, r)),
    );
  },
};

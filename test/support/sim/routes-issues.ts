/** Issues, issue comments, reactions and commit statuses. */
import { commentJson, issueJson, repoJson, statusJson } from "./present.js";
import { HttpError, type IssueRecord } from "./state.js";
import { intParam, ok, paginate, repoOf, type RouteContext, type RouteTable } from "./routes.js";
import type { SimStatus } from "./types.js";

function findComment(ctx: RouteContext) {
  const repo = repoOf(ctx);
  const c = repo.commentList.find((x) => x.id === Number(ctx.params.comment_id));
  if (!c) throw new HttpError(404, "Not Found");
  return { repo, c };
}

function labelNames(labels: unknown): string[] {
  return Array.isArray(labels)
    ? labels.map((l) => (typeof l === "string" ? l : String((l as { name?: string }).name ?? ""))).filter(Boolean)
    : [];
}

function patchIssue(ctx: RouteContext) {
  const repo = repoOf(ctx);
  const issue = repo.issue(intParam(ctx, "issue_number"));
  const b = ctx.body as { title?: string; body?: string | null; state?: "open" | "closed"; labels?: unknown[] };
  if (b.title !== undefined) issue.title = b.title;
  if (b.body !== undefined) issue.body = b.body ?? "";
  if (b.labels !== undefined) {
    issue.labels.splice(0, issue.labels.length, ...labelNames(b.labels));
  }
  issue.updatedAt = ctx.state.now().toISOString();
  if (b.state !== undefined && b.state !== issue.state) {
    if (issue.isPullRequest) {
      if (b.state === "closed") repo.closePullRequest(issue.number);
      else throw new HttpError(422, "Reopening pull requests is not supported by the simulator");
    }
    issue.state = b.state;
    issue.closedAt = b.state === "closed" ? issue.updatedAt : null;
  }
  return ok(issueJson(repo, issue));
}

function listIssues(ctx: RouteContext) {
  const repo = repoOf(ctx);
  const state = ctx.query.get("state") ?? "open";
  const labels = (ctx.query.get("labels") ?? "")
    .split(",")
    .map((l) => l.trim())
    .filter(Boolean);
  const creator = ctx.query.get("creator");
  let issues: IssueRecord[] = repo.issues().filter((i) => state === "all" || i.state === state);
  issues = issues.filter((i) => labels.every((l) => i.labels.includes(l)));
  if (creator) issues = issues.filter((i) => i.author === creator);
  const direction = ctx.query.get("direction") ?? "desc";
  issues.sort((a, b) => (a.number - b.number) * (direction === "asc" ? 1 : -1));
  return paginate(
    ctx,
    issues.map((i) => issueJson(repo, i)),
  );
}

function combinedStatus(ctx: RouteContext) {
  const repo = repoOf(ctx);
  const commit = repo.resolveOr404(ctx.params.ref);
  const latest = new Map<string, SimStatus>();
  for (const s of repo.statuses(commit.sha)) latest.set(s.context, s);
  const statuses = [...latest.values()];
  const state = statuses.some((s) => s.state === "error" || s.state === "failure")
    ? "failure"
    : statuses.length === 0 || statuses.some((s) => s.state === "pending")
      ? "pending"
      : "success";
  return ok({
    state,
    statuses: statuses.map((s) => statusJson(repo, s)),
    sha: commit.sha,
    total_count: statuses.length,
    repository: repoJson(repo),
  });
}

export const issueRoutes: RouteTable = {
  "POST /repos/{owner}/{repo}/issues/{issue_number}/comments": (ctx) => {
    const repo = repoOf(ctx);
    const appId = ctx.caller.appId;
    const c = repo.addComment(
      intParam(ctx, "issue_number"),
      ctx.state.botLoginOf(appId),
      (ctx.body as { body: string }).body,
      appId,
    );
    return ok(commentJson(repo, c), 201);
  },
  "GET /repos/{owner}/{repo}/issues/{issue_number}/comments": (ctx) => {
    const repo = repoOf(ctx);
    repo.issue(intParam(ctx, "issue_number"));
    return paginate(
      ctx,
      repo.comments(intParam(ctx, "issue_number")).map((c) => commentJson(repo, c)),
    );
  },
  "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}": (ctx) => {
    const { repo, c } = findComment(ctx);
    // an installation may edit only its own bot's comments
    if (c.author !== ctx.state.botLoginOf(ctx.caller.appId))
      throw new HttpError(403, "Resource not accessible by integration");
    c.body = (ctx.body as { body: string }).body;
    c.updatedAt = ctx.state.now().toISOString();
    return ok(commentJson(repo, c));
  },
  "POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions": (ctx) => {
    const { c } = findComment(ctx);
    const content = (ctx.body as { content: string }).content;
    const user = ctx.state.botLogin;
    const existing = c.reactions.find((r) => r.user === user && r.content === content);
    const reaction = existing ?? { id: ctx.state.nextId(), content, user };
    if (!existing) c.reactions.push(reaction);
    const at = ctx.state.now().toISOString();
    return ok(
      { id: reaction.id, node_id: `REA_${reaction.id}`, user: { login: user, type: "Bot" }, content, created_at: at },
      existing ? 200 : 201,
    );
  },
  "POST /repos/{owner}/{repo}/issues": (ctx) => {
    const repo = repoOf(ctx);
    const b = ctx.body as { title: string | number; body?: string | null; labels?: unknown[] };
    const appId = ctx.caller.appId;
    const issue = repo.createIssue({
      title: String(b.title),
      body: b.body ?? "",
      author: ctx.state.botLoginOf(appId),
      labels: labelNames(b.labels),
      appId,
    });
    return ok(issueJson(repo, issue), 201);
  },
  "GET /repos/{owner}/{repo}/issues": listIssues,
  "GET /repos/{owner}/{repo}/issues/{issue_number}": (ctx) => {
    const repo = repoOf(ctx);
    return ok(issueJson(repo, repo.issue(intParam(ctx, "issue_number"))));
  },
  "PATCH /repos/{owner}/{repo}/issues/{issue_number}": patchIssue,
  "POST /repos/{owner}/{repo}/issues/{issue_number}/labels": (ctx) => {
    const repo = repoOf(ctx);
    const issue = repo.issue(intParam(ctx, "issue_number"));
    const b = ctx.body as { labels?: unknown[] } | unknown[];
    for (const l of labelNames(Array.isArray(b) ? b : b?.labels)) if (!issue.labels.includes(l)) issue.labels.push(l);
    return ok(issue.labels.map((name) => ({ name })));
  },
  "POST /repos/{owner}/{repo}/statuses/{sha}": (ctx) => {
    const repo = repoOf(ctx);
    const commit = repo.resolve(ctx.params.sha);
    if (!commit || commit.sha !== ctx.params.sha)
      throw new HttpError(422, "No commit found for SHA: " + ctx.params.sha);
    const b = ctx.body as { state: SimStatus["state"]; context?: string; description?: string; target_url?: string };
    const s: SimStatus = {
      id: ctx.state.nextId(),
      sha: commit.sha,
      state: b.state,
      context: b.context ?? "default",
      description: b.description ?? null,
      targetUrl: b.target_url ?? null,
      createdAt: ctx.state.now().toISOString(),
    };
    repo.statusList.push(s);
    return ok(statusJson(repo, s), 201);
  },
  "GET /repos/{owner}/{repo}/commits/{ref}/status": combinedStatus,
  // every status, newest first (verified_by reads who posted each)
  "GET /repos/{owner}/{repo}/commits/{ref}/statuses": (ctx) => {
    const repo = repoOf(ctx);
    const commit = repo.resolveOr404(ctx.params.ref);
    return paginate(
      ctx,
      [...repo.statuses(commit.sha)].reverse().map((s) => statusJson(repo, s)),
    );
  },
};

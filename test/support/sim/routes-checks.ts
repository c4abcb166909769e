/** Check runs: create, update (annotations accumulate), get, annotations, list for a ref. */
import { checkRunJson } from "./present.js";
import { HttpError, nodeId, type CheckRunRecord } from "./state.js";
import { intParam, ok, paginate, repoOf, type RouteContext, type RouteTable } from "./routes.js";
import type { SimAnnotation } from "./types.js";

interface CheckRunBody {
  name?: string;
  head_sha?: string;
  details_url?: string;
  external_id?: string;
  status?: "queued" | "in_progress" | "completed";
  started_at?: string;
  conclusion?: string;
  completed_at?: string;
  output?: { title?: string; summary?: string; text?: string; annotations?: SimAnnotation[] };
  actions?: Array<{ label: string; description: string; identifier: string }>;
}

function apply(run: CheckRunRecord, b: CheckRunBody, now: string): void {
  run.updates.push(b);
  if (b.name !== undefined) run.name = b.name;
  if (b.details_url !== undefined) run.detailsUrl = b.details_url;
  if (b.external_id !== undefined) run.externalId = b.external_id;
  if (b.started_at !== undefined) run.startedAt = b.started_at;
  if (b.status !== undefined) run.status = b.status;
  // a conclusion completes the run, as on GitHub
  if (b.conclusion !== undefined) {
    run.conclusion = b.conclusion;
    run.status = "completed";
  }
  if (run.status === "completed") run.completedAt = b.completed_at ?? run.completedAt ?? now;
  if (b.output) {
    run.output = {
      title: b.output.title ?? run.output.title,
      summary: b.output.summary ?? run.output.summary,
      text: b.output.text ?? run.output.text,
    };
    if (b.output.annotations) run.annotations.push(...b.output.annotations);
  }
  if (b.actions !== undefined) run.actions = b.actions;
}

function findRun(ctx: RouteContext): CheckRunRecord {
  const repo = repoOf(ctx);
  const run = ctx.state.checkRuns.get(intParam(ctx, "check_run_id"));
  if (!run || run.repo !== repo) throw new HttpError(404, "Not Found");
  return run;
}

function create(ctx: RouteContext) {
  const repo = repoOf(ctx);
  const b = ctx.body as CheckRunBody;
  const commit = repo.resolve(b.head_sha!);
  if (!commit || commit.sha !== b.head_sha) throw new HttpError(422, "No commit found for SHA: " + b.head_sha);
  const id = ctx.state.nextId();
  const now = ctx.state.now().toISOString();
  const run: CheckRunRecord = {
    id,
    nodeId: nodeId("CR_", id),
    repo,
    createdAt: now,
    name: b.name!,
    headSha: commit.sha,
    status: "queued",
    conclusion: null,
    appId: ctx.caller.appId,
    detailsUrl: null,
    externalId: null,
    startedAt: now,
    completedAt: null,
    output: { title: null, summary: null, text: null },
    annotations: [],
    actions: [],
    updates: [],
  };
  apply(run, b, now);
  ctx.state.checkRuns.set(id, run);
  ctx.state.checkRunWrites.push({ id, created: true, body: b });
  return ok(checkRunJson(run), 201);
}

function update(ctx: RouteContext) {
  const run = findRun(ctx);
  if (run.appId !== ctx.caller.appId)
    throw new HttpError(
      403,
      "Invalid app_id `" + ctx.caller.appId + "` - check run can only be modified by the GitHub App that created it.",
    );
  apply(run, ctx.body as CheckRunBody, ctx.state.now().toISOString());
  ctx.state.checkRunWrites.push({ id: run.id, created: false, body: ctx.body });
  return ok(checkRunJson(run));
}

function listForRef(ctx: RouteContext) {
  const repo = repoOf(ctx);
  const commit = repo.resolveOr404(ctx.params.ref);
  let runs = repo.checkRuns(commit.sha);
  const name = ctx.query.get("check_name");
  const status = ctx.query.get("status");
  const appId = ctx.query.get("app_id");
  if (name) runs = runs.filter((r) => r.name === name);
  if (status) runs = runs.filter((r) => r.status === status);
  if (appId) runs = runs.filter((r) => r.appId === Number(appId));
  if ((ctx.query.get("filter") ?? "latest") === "latest") {
    const latest = new Map<string, CheckRunRecord>();
    for (const r of runs)
      if ((latest.get(`${r.appId}/${r.name}`)?.id ?? 0) < r.id) latest.set(`${r.appId}/${r.name}`, r);
    runs = [...latest.values()];
  }
  runs.sort((a, b) => b.id - a.id);
  const page = paginate(ctx, runs.map(checkRunJson));
  return { ...page, body: { total_count: runs.length, check_runs: page.body } };
}

export const checkRoutes: RouteTable = {
  "POST /repos/{owner}/{repo}/check-runs": create,
  "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}": update,
  "GET /repos/{owner}/{repo}/check-runs/{check_run_id}": (ctx) => ok(checkRunJson(findRun(ctx))),
  "GET /repos/{owner}/{repo}/check-runs/{check_run_id}/annotations": (ctx) => {
    const run = findRun(ctx);
    return paginate(
      ctx,
      run.annotations.map((a) => ({
        path: a.path,
        start_line: a.start_line,
        end_line: a.end_line,
        start_column: a.start_column ?? null,
        end_column: a.end_column ?? null,
        annotation_level: a.annotation_level,
        title: a.title ?? null,
        message: a.message,
        raw_details: a.raw_details ?? null,
        blob_href: `https://github.com/${run.repo.fullName}/blob/${run.headSha}/${a.path}`,
      })),
    );
  },
  "GET /repos/{owner}/{repo}/commits/{ref}/check-runs": listForRef,
};

/** Git data writes: commits read by sha, trees built on a base tree, commits of a tree (as `/gate promote` uses). */
import type { FileMap } from "./git.js";
import { actor, HttpError, type RepoState } from "./state.js";
import { ok, repoOf, type RouteContext, type RouteTable } from "./routes.js";
import { gitCommitJson } from "./present.js";

/** Every blob under tree `sha`, by path. */
function flatten(repo: RepoState, sha: string, prefix = "", out: FileMap = new Map()): FileMap {
  const entries = repo.git.trees.get(sha);
  if (!entries) throw new HttpError(422, `Invalid tree info: tree ${sha} does not exist`);
  for (const e of entries) {
    if (e.type === "blob") out.set(prefix + e.path, e.sha);
    else flatten(repo, e.sha, `${prefix}${e.path}/`, out);
  }
  return out;
}

interface TreeBody {
  base_tree?: string;
  tree: Array<{ path: string; mode: string; type: string; sha?: string | null; content?: string }>;
}

function createTree(ctx: RouteContext) {
  const repo = repoOf(ctx);
  const b = ctx.body as TreeBody;
  const files: FileMap = b.base_tree ? flatten(repo, b.base_tree) : new Map();
  for (const e of b.tree) {
    if (e.type !== "blob") throw new HttpError(422, "The simulator only supports blob tree entries");
    if (e.content !== undefined) files.set(e.path, repo.git.putBlob(e.content));
    else if (e.sha === null) files.delete(e.path);
    else if (e.sha && repo.git.blobs.has(e.sha)) files.set(e.path, e.sha);
    else throw new HttpError(422, `Invalid tree info: blob ${e.sha} does not exist`);
  }
  const sha = repo.git.putTree(files);
  const api = `${ctx.state.url}/repos/${repo.fullName}`;
  const tree = [...files].map(([path, blob]) => ({ path, mode: "100644", type: "blob", sha: blob }));
  return ok({ sha, url: `${api}/git/trees/${sha}`, truncated: false, tree }, 201);
}

function createCommit(ctx: RouteContext) {
  const repo = repoOf(ctx);
  const b = ctx.body as { message: string; tree: string; parents?: string[] };
  const parents = b.parents ?? [];
  for (const p of parents) if (!repo.git.commits.has(p)) throw new HttpError(422, `Parent ${p} does not exist`);
  const files = flatten(repo, b.tree);
  const by = actor(ctx.state.botLoginOf(ctx.caller.appId));
  const c = repo.git.putCommit(files, parents, b.message, by, ctx.state.now(), true);
  return ok({ sha: c.sha, ...gitCommitJson(repo, c), parents: parents.map((sha) => ({ sha })) }, 201);
}

export const gitRoutes: RouteTable = {
  "GET /repos/{owner}/{repo}/git/commits/{commit_sha}": (ctx) => {
    const repo = repoOf(ctx);
    const c = repo.git.commits.get(ctx.params.commit_sha);
    if (!c) throw new HttpError(404, "Not Found");
    return ok({ sha: c.sha, ...gitCommitJson(repo, c), parents: c.parents.map((sha) => ({ sha })) });
  },
  "POST /repos/{owner}/{repo}/git/trees": createTree,
  "POST /repos/{owner}/{repo}/git/commits": createCommit,
};

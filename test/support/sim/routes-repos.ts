/** Repository, contents, git database, commits, compare, permissions and teams. */
import { diffTrees, type CommitObject, type TreeEntry } from "./git.js";
import { commitJson, fileJson, repoJson, userJson } from "./present.js";
import { HttpError, nodeId, type RepoState } from "./state.js";
import { ok, paginate, repoOf, type RouteContext, type RouteTable } from "./routes.js";

const WEB = "https://github.com";

/** Entries of the directory at `dir` ("" for the root) of a commit, or undefined. */
function treeAt(repo: RepoState, commit: CommitObject, dir: string): { sha: string; entries: TreeEntry[] } | undefined {
  let sha = commit.treeSha;
  for (const part of dir.split("/").filter(Boolean)) {
    const next = repo.git.trees.get(sha)?.find((e) => e.path === part && e.type === "tree");
    if (!next) return undefined;
    sha = next.sha;
  }
  const entries = repo.git.trees.get(sha);
  return entries ? { sha, entries } : undefined;
}

function contentEntry(repo: RepoState, ref: string, path: string, e: TreeEntry) {
  const api = `${repo.sim.url}/repos/${repo.fullName}`;
  const encoded = path.split("/").map(encodeURIComponent).join("/");
  const kind = e.type === "tree" ? "dir" : "file";
  return {
    type: kind,
    name: path.split("/").pop()!,
    path,
    sha: e.sha,
    size: e.type === "blob" ? repo.git.blobs.get(e.sha)!.length : 0,
    url: `${api}/contents/${encoded}?ref=${encodeURIComponent(ref)}`,
    html_url: `${WEB}/${repo.fullName}/${kind === "dir" ? "tree" : "blob"}/${ref}/${encoded}`,
    git_url: `${api}/git/${e.type === "tree" ? "trees" : "blobs"}/${e.sha}`,
    download_url: kind === "file" ? `https://raw.githubusercontent.com/${repo.fullName}/${ref}/${encoded}` : null,
  };
}

function getContents(ctx: RouteContext) {
  const repo = repoOf(ctx);
  const ref = ctx.query.get("ref") ?? repo.defaultBranch;
  const commit = repo.resolve(ref);
  if (!commit) throw new HttpError(404, `No commit found for the ref ${ref}`);
  const path = (ctx.params.path ?? "").replace(/^\/+|\/+$/g, "");
  const blob = commit.files.get(path);
  if (blob !== undefined) {
    const content = repo.git.blobs.get(blob)!;
    if (/vnd\.github(\.v3)?\.raw/.test(ctx.accept))
      return { status: 200, raw: content, headers: { "content-type": "application/vnd.github.raw; charset=utf-8" } };
    const entry = contentEntry(repo, ref, path, { path, mode: "100644", type: "blob", sha: blob });
    // GitHub wraps base64 content at 60 characters per line
    const b64 = content.toString("base64").replace(/(.{60})/g, "$1\n");
    return ok({
      ...entry,
      content: content.length > 1024 * 1024 ? "" : b64,
      encoding: content.length > 1024 * 1024 ? "none" : "base64",
    });
  }
  const dir = treeAt(repo, commit, path);
  if (!dir) throw new HttpError(404, "Not Found");
  return ok(dir.entries.map((e) => contentEntry(repo, ref, path ? `${path}/${e.path}` : e.path, e)));
}

function getTree(ctx: RouteContext) {
  const repo = repoOf(ctx);
  const key = ctx.params.tree_sha;
  const rootSha = repo.git.trees.has(key) ? key : repo.resolve(key)?.treeSha;
  if (!rootSha) throw new HttpError(404, "Not Found");
  const api = `${repo.sim.url}/repos/${repo.fullName}`;
  const recursive = ctx.query.has("recursive");
  const out: unknown[] = [];
  const walk = (sha: string, prefix: string) => {
    for (const e of repo.git.trees.get(sha) ?? []) {
      const path = prefix + e.path;
      out.push({
        path,
        mode: e.mode,
        type: e.type,
        sha: e.sha,
        ...(e.type === "blob" ? { size: repo.git.blobs.get(e.sha)!.length } : {}),
        url: `${api}/git/${e.type === "tree" ? "trees" : "blobs"}/${e.sha}`,
      });
      if (recursive && e.type === "tree") walk(e.sha, path + "/");
    }
  };
  walk(rootSha, "");
  const limit = 100_000;
  return ok({
    sha: rootSha,
    url: `${api}/git/trees/${rootSha}`,
    tree: out.slice(0, limit),
    truncated: out.length > limit,
  });
}

function getBlob(ctx: RouteContext) {
  const repo = repoOf(ctx);
  const sha = ctx.params.file_sha;
  const content = repo.git.blobs.get(sha);
  if (!content) throw new HttpError(404, "Not Found");
  return ok({
    sha,
    node_id: nodeId("B_", parseInt(sha.slice(0, 8), 16)),
    size: content.length,
    url: `${repo.sim.url}/repos/${repo.fullName}/git/blobs/${sha}`,
    content: content.toString("base64").replace(/(.{60})/g, "$1\n"),
    encoding: "base64",
  });
}

function getCommit(ctx: RouteContext) {
  const repo = repoOf(ctx);
  const c = repo.resolveOr404(ctx.params.ref);
  const parent = c.parents[0] ? repo.git.commits.get(c.parents[0])!.files : new Map<string, string>();
  return ok(commitJson(repo, c, diffTrees(repo.git, parent, c.files)));
}

function getBranch(ctx: RouteContext) {
  const repo = repoOf(ctx);
  const sha = repo.branches.get(ctx.params.branch);
  if (!sha) throw new HttpError(404, "Branch not found");
  const api = `${repo.sim.url}/repos/${repo.fullName}`;
  return ok({
    name: ctx.params.branch,
    commit: commitJson(repo, repo.git.commits.get(sha)!),
    _links: { self: `${api}/branches/${ctx.params.branch}`, html: `${WEB}/${repo.fullName}/tree/${ctx.params.branch}` },
    protected: false,
    protection: { enabled: false, required_status_checks: { enforcement_level: "off", contexts: [], checks: [] } },
    protection_url: `${api}/branches/${ctx.params.branch}/protection`,
  });
}

function refJson(repo: RepoState, branch: string, sha: string) {
  const api = `${repo.sim.url}/repos/${repo.fullName}`;
  return {
    ref: `refs/heads/${branch}`,
    node_id: nodeId("REF_", parseInt(sha.slice(0, 8), 16)),
    url: `${api}/git/refs/heads/${branch}`,
    object: { sha, type: "commit", url: `${api}/git/commits/${sha}` },
  };
}

function getRef(ctx: RouteContext) {
  const repo = repoOf(ctx);
  const m = /^heads\/(.+)$/.exec(ctx.params.ref);
  const sha = m ? repo.branches.get(m[1]) : undefined;
  if (!m || !sha) throw new HttpError(404, "Not Found");
  return ok(refJson(repo, m[1], sha));
}

function createRef(ctx: RouteContext) {
  const repo = repoOf(ctx);
  const { ref, sha } = ctx.body as { ref: string; sha: string };
  if (!/^refs\/[^/]+\/.+/.test(ref))
    throw new HttpError(422, "Reference name must start with 'refs/' and have at least two slashes.");
  const m = /^refs\/heads\/(.+)$/.exec(ref);
  if (!m) throw new HttpError(422, "The simulator only supports refs/heads/* references.");
  if (repo.branches.has(m[1])) throw new HttpError(422, "Reference already exists");
  if (!repo.git.commits.has(sha)) throw new HttpError(422, "Object does not exist");
  repo.branches.set(m[1], sha);
  return ok(refJson(repo, m[1], sha), 201);
}

function compare(ctx: RouteContext) {
  const repo = repoOf(ctx);
  // the description also lists the legacy `{base}...{head}` template for the same endpoint
  const basehead = ctx.params.basehead ?? `${ctx.params.base}...${ctx.params.head}`;
  const parts = basehead.split("...");
  if (parts.length !== 2 || !parts[0] || !parts[1]) throw new HttpError(404, "Not Found");
  const strip = (r: string) => r.replace(/^[^:]+:/, "");
  const base = repo.resolveOr404(strip(parts[0]));
  const head = repo.resolveOr404(strip(parts[1]));
  const mbSha = repo.git.mergeBase(base.sha, head.sha);
  const ahead = repo.git.commitsBetween(base.sha, head.sha);
  const behind = repo.git.commitsBetween(head.sha, base.sha);
  const status =
    ahead.length === 0 && behind.length === 0
      ? "identical"
      : behind.length === 0
        ? "ahead"
        : ahead.length === 0
          ? "behind"
          : "diverged";
  const mb = mbSha ? repo.git.commits.get(mbSha)! : undefined;
  const files = diffTrees(repo.git, mb?.files ?? new Map(), head.files);
  const api = `${repo.sim.url}/repos/${repo.fullName}`;
  return ok({
    url: `${api}/compare/${basehead}`,
    html_url: `${WEB}/${repo.fullName}/compare/${basehead}`,
    permalink_url: `${WEB}/${repo.fullName}/compare/${base.sha}...${head.sha}`,
    diff_url: `${WEB}/${repo.fullName}/compare/${basehead}.diff`,
    base_commit: commitJson(repo, base),
    merge_base_commit: mb ? commitJson(repo, mb) : null,
    status,
    ahead_by: ahead.length,
    behind_by: behind.length,
    total_commits: ahead.length,
    commits: ahead.slice(0, 250).map((c) => commitJson(repo, c)),
    files: files.slice(0, 300).map((f) => fileJson(repo, head.sha, f)),
  });
}

function permission(ctx: RouteContext) {
  const repo = repoOf(ctx);
  const p = repo.permissionOf(ctx.params.username);
  return ok({
    permission: p,
    role_name: p,
    user: {
      ...userJson(ctx.params.username, repo.sim.url),
      permissions: { admin: p === "admin", push: p === "admin" || p === "write", pull: p !== "none" },
    },
  });
}

function teamMembership(ctx: RouteContext) {
  const members = ctx.state.teams.get(`${ctx.params.org}/${ctx.params.team_slug}`.toLowerCase());
  if (!members?.has(ctx.params.username.toLowerCase())) throw new HttpError(404, "Not Found");
  return ok({
    url: `${ctx.state.url}/orgs/${ctx.params.org}/teams/${ctx.params.team_slug}/memberships/${ctx.params.username}`,
    role: "member",
    state: "active",
  });
}

function listCommits(ctx: RouteContext) {
  const repo = repoOf(ctx);
  const head = repo.resolveOr404(ctx.query.get("sha") ?? repo.defaultBranch);
  return paginate(
    ctx,
    repo.git
      .commitsBetween(undefined, head.sha)
      .reverse()
      .map((c) => commitJson(repo, c)),
  );
}

export const repoRoutes: RouteTable = {
  "GET /repos/{owner}/{repo}": (ctx) => ok(repoJson(repoOf(ctx))),
  "GET /repos/{owner}/{repo}/contents/{path}": getContents,
  "GET /repos/{owner}/{repo}/git/trees/{tree_sha}": getTree,
  "GET /repos/{owner}/{repo}/git/blobs/{file_sha}": getBlob,
  "GET /repos/{owner}/{repo}/commits": listCommits,
  "GET /repos/{owner}/{repo}/commits/{ref}": getCommit,
  "GET /repos/{owner}/{repo}/branches/{branch}": getBranch,
  "GET /repos/{owner}/{repo}/git/ref/{ref}": getRef,
  "POST /repos/{owner}/{repo}/git/refs": createRef,
  "GET /repos/{owner}/{repo}/compare/{basehead}": compare,
  "GET /repos/{owner}/{repo}/compare/{base}...{head}": compare,
  "GET /repos/{owner}/{repo}/collaborators/{username}/permission": permission,
  "GET /orgs/{org}/teams/{team_slug}/memberships/{username}": teamMembership,
};

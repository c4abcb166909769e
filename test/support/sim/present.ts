/**
 * State → GitHub's JSON shapes (the fields a real response has that apps read).
 */
import { diffTrees, type CommitObject, type FileChange } from "./git.js";
import {
  nodeId,
  userId,
  type CheckRunRecord,
  type CommentRecord,
  type IssueRecord,
  type PullState,
  type RepoState,
} from "./state.js";
import type { SimStatus } from "./types.js";

const WEB = "https://github.com";

export function userJson(login: string, api = "") {
  const bot = login.endsWith("[bot]");
  const id = userId(login);
  return {
    login,
    id,
    node_id: nodeId(bot ? "BOT_" : "U_", id),
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    url: `${api}/users/${encodeURIComponent(login)}`,
    html_url: `${WEB}/${bot ? "apps/" + login.replace(/\[bot\]$/, "") : login}`,
    type: bot ? "Bot" : "User",
    site_admin: false,
  };
}

export function repoJson(repo: RepoState) {
  const api = `${repo.sim.url}/repos/${repo.fullName}`;
  return {
    id: repo.id,
    node_id: nodeId("R_", repo.id),
    name: repo.name,
    full_name: repo.fullName,
    private: repo.isPrivate,
    owner: { ...userJson(repo.owner, repo.sim.url), type: "Organization" },
    html_url: `${WEB}/${repo.fullName}`,
    description: null,
    fork: false,
    url: api,
    default_branch: repo.defaultBranch,
    visibility: repo.isPrivate ? "private" : "public",
    archived: false,
    disabled: false,
    created_at: repo.createdAt,
    updated_at: repo.createdAt,
    pushed_at: repo.createdAt,
    clone_url: `${WEB}/${repo.fullName}.git`,
    allow_merge_commit: true,
    allow_squash_merge: true,
    allow_rebase_merge: true,
    permissions: { admin: false, maintain: false, push: true, triage: true, pull: true },
  };
}

export function verificationJson(c: CommitObject) {
  return c.verified
    ? {
        verified: true,
        reason: "valid",
        signature: "-----BEGIN PGP SIGNATURE-----\n\nsimulated\n-----END PGP SIGNATURE-----\n",
        payload: `tree ${c.treeSha}\n`,
        verified_at: c.date,
      }
    : { verified: false, reason: "unsigned", signature: null, payload: null, verified_at: null };
}

export function gitCommitJson(repo: RepoState, c: CommitObject) {
  const api = `${repo.sim.url}/repos/${repo.fullName}`;
  const who = { name: c.author.name, email: c.author.email, date: c.date };
  return {
    author: who,
    committer: who,
    message: c.message,
    tree: { sha: c.treeSha, url: `${api}/git/trees/${c.treeSha}` },
    url: `${api}/git/commits/${c.sha}`,
    comment_count: 0,
    verification: verificationJson(c),
  };
}

export function commitJson(repo: RepoState, c: CommitObject, files?: FileChange[]) {
  const api = `${repo.sim.url}/repos/${repo.fullName}`;
  const out: Record<string, unknown> = {
    sha: c.sha,
    node_id: nodeId("C_", parseInt(c.sha.slice(0, 8), 16)),
    commit: gitCommitJson(repo, c),
    url: `${api}/commits/${c.sha}`,
    html_url: `${WEB}/${repo.fullName}/commit/${c.sha}`,
    comments_url: `${api}/commits/${c.sha}/comments`,
    author: userJson(c.author.login, repo.sim.url),
    committer: userJson(c.author.login === "web-flow" ? "web-flow" : c.author.login, repo.sim.url),
    parents: c.parents.map((p) => ({
      sha: p,
      url: `${api}/commits/${p}`,
      html_url: `${WEB}/${repo.fullName}/commit/${p}`,
    })),
  };
  if (files) {
    out.files = files.map((f) => fileJson(repo, c.sha, f));
    const additions = files.reduce((n, f) => n + f.additions, 0);
    const deletions = files.reduce((n, f) => n + f.deletions, 0);
    out.stats = { total: additions + deletions, additions, deletions };
  }
  return out;
}

export function fileJson(repo: RepoState, ref: string, f: FileChange) {
  const path = f.filename.split("/").map(encodeURIComponent).join("/");
  return {
    sha: f.sha,
    filename: f.filename,
    status: f.status,
    additions: f.additions,
    deletions: f.deletions,
    changes: f.changes,
    blob_url: `${WEB}/${repo.fullName}/blob/${ref}/${path}`,
    raw_url: `${WEB}/${repo.fullName}/raw/${ref}/${path}`,
    contents_url: `${repo.sim.url}/repos/${repo.fullName}/contents/${path}?ref=${ref}`,
    ...(f.patch !== undefined ? { patch: f.patch } : {}),
    ...(f.previous_filename !== undefined ? { previous_filename: f.previous_filename } : {}),
  };
}

function labelJson(repo: RepoState, name: string) {
  const id = userId(`${repo.fullName}#${name}`);
  return {
    id,
    node_id: nodeId("LA_", id),
    url: `${repo.sim.url}/repos/${repo.fullName}/labels/${encodeURIComponent(name)}`,
    name,
    color: "ededed",
    default: false,
    description: null,
  };
}

function branchRefJson(repo: RepoState, ref: string, sha: string, fork: boolean, author: string) {
  const repoBody = repoJson(repo);
  const owner = fork ? author : repo.owner;
  return {
    label: `${owner}:${ref}`,
    ref,
    sha,
    user: userJson(owner, repo.sim.url),
    repo: fork
      ? {
          ...repoBody,
          id: repo.id + 1_000_000,
          node_id: nodeId("R_", repo.id + 1_000_000),
          full_name: `${author}/${repo.name}`,
          owner: userJson(author, repo.sim.url),
          fork: true,
          html_url: `${WEB}/${author}/${repo.name}`,
        }
      : repoBody,
  };
}

export function pullJson(repo: RepoState, pr: PullState, detailed: boolean) {
  const api = `${repo.sim.url}/repos/${repo.fullName}`;
  const out: Record<string, unknown> = {
    url: `${api}/pulls/${pr.number}`,
    id: pr.id,
    node_id: nodeId("PR_", pr.id),
    html_url: `${WEB}/${repo.fullName}/pull/${pr.number}`,
    diff_url: `${WEB}/${repo.fullName}/pull/${pr.number}.diff`,
    issue_url: `${api}/issues/${pr.number}`,
    number: pr.number,
    state: pr.state,
    locked: false,
    title: pr.title,
    user: userJson(pr.author, repo.sim.url),
    body: pr.body || null,
    labels: pr.labels.map((l) => labelJson(repo, l)),
    created_at: pr.createdAt,
    updated_at: pr.updatedAt,
    closed_at: pr.closedAt,
    merged_at: pr.merged ? pr.closedAt : null,
    merge_commit_sha: pr.mergeCommitSha,
    assignees: [],
    requested_reviewers: [],
    draft: pr.draft,
    head: branchRefJson(repo, pr.headRef, pr.headSha, pr.fork, pr.author),
    base: branchRefJson(repo, pr.baseRef, pr.baseSha, false, pr.author),
    author_association: pr.fork ? "CONTRIBUTOR" : repo.permissionOf(pr.author) === "admin" ? "OWNER" : "MEMBER",
    auto_merge: null,
  };
  if (detailed) {
    const mb = repo.git.mergeBase(pr.baseSha, pr.headSha);
    const commits = repo.git.commitsBetween(mb, pr.headSha);
    // As GitHub counts them for the PR's file list: merge base → head.
    const files = diffTrees(
      repo.git,
      mb ? repo.git.commits.get(mb)!.files : new Map<string, string>(),
      repo.git.commits.get(pr.headSha)!.files,
    );
    let mergeable: boolean | null = null;
    let mergeableState = "unknown";
    if (pr.state === "open") {
      const test = repo.testMerge(pr);
      mergeable = test.sha !== null;
      mergeableState = test.sha === null ? "dirty" : pr.draft ? "draft" : "clean";
      out.merge_commit_sha = test.sha;
    }
    Object.assign(out, {
      merged: pr.merged,
      mergeable,
      rebaseable: mergeable,
      mergeable_state: mergeableState,
      merged_by: pr.merged ? userJson(pr.author, repo.sim.url) : null,
      comments: repo.comments(pr.number).length,
      review_comments: 0,
      maintainer_can_modify: false,
      commits: commits.length,
      additions: files.reduce((n, f) => n + f.additions, 0),
      deletions: files.reduce((n, f) => n + f.deletions, 0),
      changed_files: files.length,
    });
  }
  return out;
}

export function checkRunJson(run: CheckRunRecord) {
  const repo = run.repo;
  const api = `${repo.sim.url}/repos/${repo.fullName}`;
  return {
    id: run.id,
    node_id: run.nodeId,
    head_sha: run.headSha,
    external_id: run.externalId ?? "",
    url: `${api}/check-runs/${run.id}`,
    html_url: `${WEB}/${repo.fullName}/runs/${run.id}`,
    details_url: run.detailsUrl ?? `${WEB}/${repo.fullName}/runs/${run.id}`,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.startedAt,
    completed_at: run.completedAt,
    output: {
      title: run.output.title,
      summary: run.output.summary,
      text: run.output.text,
      annotations_count: run.annotations.length,
      annotations_url: `${api}/check-runs/${run.id}/annotations`,
    },
    name: run.name,
    check_suite: { id: run.id + 5_000_000 },
    app: appJson(repo.sim.url, run.appId, repo.sim.slugOf(run.appId)),
    pull_requests: [...repo.pulls.values()]
      .filter((p) => p.state === "open" && p.headSha === run.headSha)
      .map((p) => ({
        url: `${api}/pulls/${p.number}`,
        id: p.id,
        number: p.number,
        head: { ref: p.headRef, sha: p.headSha, repo: { id: repo.id, url: api, name: repo.name } },
        base: { ref: p.baseRef, sha: p.baseSha, repo: { id: repo.id, url: api, name: repo.name } },
      })),
  };
}

export function appJson(api: string, id: number, slug: string) {
  return {
    id,
    slug,
    node_id: nodeId("A_", id),
    client_id: `Iv1.sim${id}`,
    owner: userJson("stagegate-org", api),
    name: slug,
    description: "",
    external_url: "https://example.invalid",
    html_url: `${WEB}/apps/${slug}`,
    created_at: "2025-01-01T00:00:00Z",
    updated_at: "2025-01-01T00:00:00Z",
    permissions: {
      checks: "write",
      contents: "read",
      issues: "write",
      pull_requests: "write",
      metadata: "read",
      members: "read",
      statuses: "write",
    },
    events: ["check_run", "check_suite", "issue_comment", "merge_group", "pull_request", "pull_request_review", "push"],
  };
}

/** GitHub's `performed_via_github_app`: the app whose installation token made the item, else null. */
function performedVia(repo: RepoState, appId: number | null) {
  return appId === null ? null : appJson(repo.sim.url, appId, repo.sim.slugOf(appId));
}

export function commentJson(repo: RepoState, c: CommentRecord) {
  const api = `${repo.sim.url}/repos/${repo.fullName}`;
  const counts: Record<string, number> = {
    "+1": 0,
    "-1": 0,
    laugh: 0,
    hooray: 0,
    confused: 0,
    heart: 0,
    rocket: 0,
    eyes: 0,
  };
  for (const r of c.reactions) counts[r.content] = (counts[r.content] ?? 0) + 1;
  return {
    id: c.id,
    node_id: c.nodeId,
    url: `${api}/issues/comments/${c.id}`,
    html_url: `${WEB}/${repo.fullName}/issues/${c.issueNumber}#issuecomment-${c.id}`,
    issue_url: `${api}/issues/${c.issueNumber}`,
    body: c.body,
    user: userJson(c.author, repo.sim.url),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    performed_via_github_app: performedVia(repo, c.appId),
    author_association: c.author.endsWith("[bot]")
      ? "NONE"
      : repo.permissionOf(c.author) === "admin"
        ? "OWNER"
        : repo.permissionOf(c.author) === "write"
          ? "MEMBER"
          : "NONE",
    reactions: { url: `${api}/issues/comments/${c.id}/reactions`, total_count: c.reactions.length, ...counts },
  };
}

export function issueJson(repo: RepoState, i: IssueRecord) {
  const api = `${repo.sim.url}/repos/${repo.fullName}`;
  return {
    id: i.id,
    node_id: nodeId(i.isPullRequest ? "PR_" : "I_", i.id),
    url: `${api}/issues/${i.number}`,
    html_url: `${WEB}/${repo.fullName}/${i.isPullRequest ? "pull" : "issues"}/${i.number}`,
    number: i.number,
    state: i.state,
    state_reason: i.state === "closed" ? "completed" : null,
    title: i.title,
    body: i.body || null,
    user: userJson(i.author, repo.sim.url),
    labels: i.labels.map((l) => labelJson(repo, l)),
    assignees: [],
    locked: false,
    comments: repo.comments(i.number).length,
    created_at: i.createdAt,
    updated_at: i.updatedAt,
    closed_at: i.closedAt,
    performed_via_github_app: performedVia(repo, i.appId),
    author_association: "MEMBER",
    ...(i.isPullRequest
      ? { pull_request: { url: `${api}/pulls/${i.number}`, html_url: `${WEB}/${repo.fullName}/pull/${i.number}` } }
      : {}),
  };
}

export function statusJson(repo: RepoState, s: SimStatus) {
  return {
    id: s.id,
    node_id: nodeId("SC_", s.id),
    url: `${repo.sim.url}/repos/${repo.fullName}/statuses/${s.sha}`,
    state: s.state,
    description: s.description,
    target_url: s.targetUrl,
    context: s.context,
    created_at: s.createdAt,
    updated_at: s.createdAt,
    creator: userJson(repo.sim.botLogin, repo.sim.url),
  };
}

import type { PullRequest, RepoId } from "./types.js";

/** A pull request as GitHub's REST API returns it, as far as we read it. */
export interface RawPull {
  number: number;
  title: string;
  body: string | null;
  user: { login: string } | null;
  author_association: string;
  draft?: boolean;
  state: string;
  base: { ref: string; sha: string; repo: { full_name: string } | null };
  head: { ref: string; sha: string; repo: { full_name: string } | null };
  labels: Array<{ name?: string }>;
  mergeable?: boolean | null;
  merge_commit_sha: string | null;
  changed_files?: number;
}

export function toPullRequest(p: RawPull, repo: RepoId): PullRequest {
  const full = `${repo.owner}/${repo.repo}`.toLowerCase();
  return {
    number: p.number,
    title: p.title,
    body: p.body ?? "",
    author: p.user?.login ?? "ghost",
    authorAssociation: p.author_association,
    draft: Boolean(p.draft),
    state: p.state === "open" ? "open" : "closed",
    baseRef: p.base.ref,
    baseSha: p.base.sha,
    headRef: p.head.ref,
    headSha: p.head.sha,
    fork: (p.head.repo?.full_name ?? "").toLowerCase() !== full,
    labels: p.labels.map((l) => l.name ?? "").filter(Boolean),
    mergeable: p.mergeable ?? null,
    mergeCommitSha: p.merge_commit_sha,
    ...(typeof p.changed_files === "number" ? { changedFiles: p.changed_files } : {}),
  };
}

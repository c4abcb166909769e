/**
 * What people do to a branch outside any pull request: a force push that rewrites its history onto an older
 * commit, as `git push --force` would. (A plain direct push is `RepoState.commit`.)
 */
import type { FileContent } from "./types.js";
import { actor, type RepoState } from "./state.js";

/**
 * Points `branch` at a new commit made on top of `onto` (dropping whatever came after it), with `files` changed
 * (null deletes). Returns the new head.
 */
export function forcePush(
  repo: RepoState,
  branch: string,
  onto: string,
  files: Record<string, FileContent | null>,
  opts: { message?: string; author?: string } = {},
): string {
  const base = repo.git.commits.get(onto);
  if (!base) throw new Error(`forcePush: unknown commit ${onto} in ${repo.fullName}`);
  const tree = new Map(base.files);
  for (const [path, content] of Object.entries(files)) {
    if (content === null) tree.delete(path);
    else tree.set(path, repo.git.putBlob(content));
  }
  const c = repo.git.putCommit(
    tree,
    [onto],
    opts.message ?? "Rewrite",
    actor(opts.author ?? repo.owner),
    repo.sim.now(),
    false,
  );
  repo.branches.set(branch, c.sha);
  return c.sha;
}

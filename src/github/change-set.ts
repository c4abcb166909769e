import type { ChangedFile, TreeEntry } from "./types.js";

/**
 * The files that differ between two trees: what a change set is when
 * GitHub's file list of a pull request stops at 3,000 entries. Renames show
 * as a removal and an addition; line counts are unknown (0).
 */
export function diffTrees(base: TreeEntry[], head: TreeEntry[]): ChangedFile[] {
  const before = new Map(base.map((e) => [e.path, e.sha]));
  const out: ChangedFile[] = [];
  for (const e of head) {
    const old = before.get(e.path);
    if (old === e.sha) continue;
    out.push({ path: e.path, status: old === undefined ? "added" : "modified", additions: 0, deletions: 0 });
  }
  const after = new Set(head.map((e) => e.path));
  for (const e of base) {
    if (!after.has(e.path)) out.push({ path: e.path, status: "removed", additions: 0, deletions: 0 });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

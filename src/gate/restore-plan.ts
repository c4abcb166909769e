/**
 * What `/gate restore` writes in a directory-per-environment repository:
 * only the environment's files go back to the gated commit's, so other
 * environments and everything else on the default branch stay as they are.
 * Pure; blob ids are reused, so no content is uploaded.
 */

export interface BlobEntry {
  path: string;
  sha: string;
}

/** Tree entries (blob id, or null to delete) that make `head`'s files under `inside` equal to `target`'s. */
export function restoreEntries(
  head: BlobEntry[],
  target: BlobEntry[],
  inside: (path: string) => boolean,
): Array<{ path: string; sha: string | null }> {
  const now = new Map(head.filter((e) => inside(e.path)).map((e) => [e.path, e.sha]));
  const then = new Map(target.filter((e) => inside(e.path)).map((e) => [e.path, e.sha]));
  const out: Array<{ path: string; sha: string | null }> = [];
  for (const [path, sha] of then) if (now.get(path) !== sha) out.push({ path, sha });
  for (const path of now.keys()) if (!then.has(path)) out.push({ path, sha: null });
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

import type { Octokit, PathEntry, RepoId } from "./types.js";

/** Aliased `file(path:)` fields per GraphQL query (a 300-file PR in one request; no content is read here). */
const PATHS_PER_QUERY = 300;

// Git file modes, as GraphQL's TreeEntry.mode reports them (decimal).
const MODE_SYMLINK = 0o120000;
const MODE_SUBMODULE = 0o160000;
const MODE_DIRECTORY = 0o040000;

interface RawEntry {
  mode: number;
  size: number;
  oid: string;
}

/**
 * What a commit holds at some paths — the kind of entry (file, symlink,
 * submodule, directory) and its size, without any content — and the commit's
 * parents. Content is read afterwards, only for regular files within the size
 * limit: a symlink's text is not what a deploy tool applies, and an oversized
 * file is refused before it is downloaded.
 */
export async function readEntries(
  octokit: Octokit,
  repo: RepoId,
  sha: string,
  paths: string[],
): Promise<{ parents: string[]; entries: Map<string, PathEntry | undefined> }> {
  const entries = new Map<string, PathEntry | undefined>();
  let parents: string[] = [];
  for (let i = 0; i === 0 || i < paths.length; i += PATHS_PER_QUERY) {
    const batch = paths.slice(i, i + PATHS_PER_QUERY);
    const fields = batch.map((p, j) => `f${j}: file(path: ${JSON.stringify(p)}) { mode size oid }`);
    const query =
      `query($owner: String!, $repo: String!, $sha: GitObjectID!) { repository(owner: $owner, name: $repo) { ` +
      `object(oid: $sha) { ... on Commit { parents(first: 2) { nodes { oid } } ${fields.join(" ")} } } } }`;
    type Res = { repository: { object: (Record<string, RawEntry | null> & { parents?: unknown }) | null } | null };
    const res = await octokit.graphql<Res>(query, { owner: repo.owner, repo: repo.repo, sha });
    const commit = res.repository?.object;
    if (!commit) throw Object.assign(new Error(`commit ${sha.slice(0, 7)} not found`), { status: 404 });
    parents = ((commit.parents as { nodes: Array<{ oid: string }> }).nodes ?? []).map((n) => n.oid);
    batch.forEach((p, j) => entries.set(p, entryOf(commit[`f${j}`] as RawEntry | null)));
  }
  return { parents, entries };
}

function entryOf(raw: RawEntry | null): PathEntry | undefined {
  if (!raw) return undefined;
  const kind =
    raw.mode === MODE_SYMLINK
      ? "symlink"
      : raw.mode === MODE_SUBMODULE
        ? "submodule"
        : raw.mode === MODE_DIRECTORY
          ? "directory"
          : "file";
  return { kind, size: raw.size, oid: raw.oid };
}

import type { Octokit, RepoId } from "./types.js";

/** Aliased `object(expression:)` fields per GraphQL query: a 300-file PR's contents in one request… */
const BLOBS_PER_QUERY = 300;
/** …unless their known sizes add up to more than this, which keeps each response well within GitHub's timeout. */
const BYTES_PER_QUERY = 4 * 2 ** 20;
/** What a file of unknown size counts as against that. */
const UNKNOWN_SIZE = 16 * 1024;

interface RawBlob {
  oid?: string;
  text?: string | null;
  isTruncated?: boolean;
  isBinary?: boolean | null;
}

/**
 * Contents of files at a commit, in batches of aliased GraphQL
 * `object(expression:)` fields; blobs GraphQL truncates or calls binary are
 * fetched whole (`blob`, the REST blobs API). Missing files map to undefined.
 * `sizeOf` gives a file's size when it is already known (its entry was read).
 */
export async function readContents(
  octokit: Octokit,
  repo: RepoId,
  sha: string,
  paths: string[],
  opts: { sizeOf: (path: string) => number | undefined; blob: (oid: string) => Promise<Uint8Array> },
): Promise<Map<string, Uint8Array | undefined>> {
  const out = new Map<string, Uint8Array | undefined>();
  for (const batch of batches(paths, opts.sizeOf)) {
    const fields = batch.map(
      (p, j) =>
        `f${j}: object(expression: ${JSON.stringify(`${sha}:${p}`)}) { ... on Blob { oid text isTruncated isBinary } }`,
    );
    const query =
      `query($owner: String!, $repo: String!) { repository(owner: $owner, name: $repo) { ` + `${fields.join(" ")} } }`;
    const res = await octokit.graphql<{ repository: Record<string, RawBlob | null> }>(query, {
      owner: repo.owner,
      repo: repo.repo,
    });
    const whole: Array<[string, string]> = [];
    batch.forEach((p, j) => {
      const blob = res.repository[`f${j}`];
      if (!blob || !blob.oid) out.set(p, undefined);
      else if (blob.isTruncated || blob.isBinary || blob.text == null) whole.push([p, blob.oid]);
      else out.set(p, new TextEncoder().encode(blob.text));
    });
    for (const [p, oid] of whole) out.set(p, await opts.blob(oid));
  }
  return out;
}

/** `paths` in order, cut into batches of at most BLOBS_PER_QUERY files and (as far as known) BYTES_PER_QUERY. */
function batches(paths: string[], sizeOf: (path: string) => number | undefined): string[][] {
  const out: string[][] = [];
  let batch: string[] = [];
  let bytes = 0;
  for (const path of paths) {
    const size = sizeOf(path) ?? UNKNOWN_SIZE;
    if (batch.length > 0 && (batch.length >= BLOBS_PER_QUERY || bytes + size > BYTES_PER_QUERY)) {
      out.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(path);
    bytes += size;
  }
  if (batch.length > 0) out.push(batch);
  return out;
}

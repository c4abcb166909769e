import { openWorkFields, queryWithViewer, type RawOpenWork } from "./open-work.js";
import type { Octokit, RepoId } from "./types.js";

/** The default branch, its head commit and (when asked) one file's content at that commit. */
export interface DefaultBranchRead {
  name: string;
  sha: string;
  file?: { path: string; content: Uint8Array | undefined };
}

type Blob = { oid?: string; text?: string | null; isTruncated?: boolean; isBinary?: boolean | null };
type Res = {
  repository:
    | ({
        defaultBranchRef: { name: string; target: { oid: string; file?: { object: Blob | null } | null } } | null;
      } & RawOpenWork)
    | null;
  viewer?: { databaseId?: number | null } | null;
};

/**
 * One GraphQL request: the default branch and its head commit, the content of `file` at exactly that commit
 * (a blob GraphQL truncates or calls binary comes whole through `blob`), and with `openWork` the first page of
 * the open pull requests and issues.
 */
export async function readDefaultBranch(
  octokit: Octokit,
  repo: RepoId,
  opts: { file?: string; openWork?: boolean; blob: (oid: string) => Promise<Uint8Array> },
): Promise<{ branch: DefaultBranchRead; openWork?: RawOpenWork }> {
  const { file } = opts;
  const fileField = file
    ? ` ... on Commit { file(path: ${JSON.stringify(file)}) { object { ... on Blob { oid text ` +
      `isTruncated isBinary } } } }`
    : "";
  const listing = opts.openWork ? openWorkFields() : undefined;
  let res: Res;
  try {
    const query = (viewer: string) =>
      `query($owner: String!, $repo: String!${listing ? `, ${listing.variables}` : ""}) { ${viewer}` +
      `repository(owner: $owner, name: $repo) { defaultBranchRef { name target { oid${fileField} } }` +
      `${listing ? ` ${listing.fields}` : ""} } }`;
    const variables = {
      owner: repo.owner,
      repo: repo.repo,
      ...(listing ? { pullsAfter: null, issuesAfter: null } : {}),
    };
    // With the listing, the viewer's id too: it anchors the app's own issues (see OpenIssue.byThisApp).
    res = listing
      ? await queryWithViewer<Res>(octokit, query, variables)
      : await octokit.graphql<Res>(query(""), variables);
  } catch (err) {
    // GraphQL reports a missing (or invisible) repository as NOT_FOUND; callers expect REST's 404.
    if ((err as { errors?: Array<{ type?: string }> }).errors?.some((e) => e.type === "NOT_FOUND")) {
      throw Object.assign(new Error(`${repo.owner}/${repo.repo} not found`), { status: 404 });
    }
    throw err;
  }
  const ref = res.repository?.defaultBranchRef;
  // An empty repository has no default branch yet: nothing can be configured in it.
  if (!ref) throw Object.assign(new Error(`${repo.owner}/${repo.repo} has no default branch`), { status: 404 });
  // Parsed by whoever follows the listing: a listing that cannot be read whole must not make the config unreadable.
  const openWork = listing
    ? { pullRequests: res.repository!.pullRequests, issues: res.repository!.issues, viewerId: res.viewer?.databaseId }
    : undefined;
  if (!file) return { branch: { name: ref.name, sha: ref.target.oid }, openWork };
  const blob = ref.target.file?.object;
  let content: Uint8Array | undefined;
  if (blob?.oid) {
    content =
      blob.isTruncated || blob.isBinary || blob.text == null
        ? await opts.blob(blob.oid)
        : new TextEncoder().encode(blob.text);
  }
  return { branch: { name: ref.name, sha: ref.target.oid, file: { path: file, content } }, openWork };
}

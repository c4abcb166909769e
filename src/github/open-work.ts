import type { Octokit, RepoId } from "./types.js";

/** An open pull request, as far as an evaluation reads it from the listing (who shares its head commit). */
export interface OpenPull {
  number: number;
  headSha: string;
  baseRef: string;
}

/** An open issue (never a pull request), as freeze facts read it. */
export interface OpenIssue {
  number: number;
  title: string;
  body: string | null;
  url: string;
  createdAt: string;
  labels: string[];
  /**
   * True when this app opened it. GraphQL has no `performed_via_github_app`; two anchors tie an issue to the app,
   * either is enough: (a) `viewerDidAuthor`, since read with an installation token the viewer is the app's own bot
   * account (`<slug>[bot]`), or (b) the author is a Bot whose databaseId is the viewer's (read in the same request),
   * in case GitHub ever answered (a) false for an issue an installation opened (freezes would then fail open).
   * OR is safe because neither can be forged: only this app's installation tokens act as its bot, a person cannot
   * open an issue as a bot, another app has a bot (and databaseId) of its own, and a person's edits change the
   * title, body and labels, never the author.
   */
  byThisApp: boolean;
}

/** Every open pull request and open issue of a repository. */
export interface OpenWork {
  pulls: OpenPull[];
  issues: OpenIssue[];
}

/** One page of each listing, and where the next one starts (absent: the listing is complete). */
interface OpenWorkPage extends OpenWork {
  next: { pulls?: string; issues?: string };
}

interface RawConnection<T> {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: Array<T | null> | null;
}
type RawPull = { number: number; headRefOid: string; baseRefName: string };
type RawIssue = {
  number: number;
  title: string;
  body: string | null;
  url: string;
  createdAt: string;
  viewerDidAuthor: boolean;
  /** Only a Bot author's id is asked (`... on Bot`): a person's account can never match. */
  author: { databaseId?: number | null } | null;
  labels: { totalCount: number; nodes: Array<{ name: string } | null> | null } | null;
};
/** The listing's fields of `repository`, as a query with `openWorkFields` answers them. */
export interface RawOpenWork {
  pullRequests?: RawConnection<RawPull>;
  issues?: RawConnection<RawIssue>;
  /** The viewer's databaseId, from the query root's `viewer` in the same request; null when it was not read. */
  viewerId?: number | null;
}

const BOTH = { pulls: true, issues: true };
// Oldest first: an item opened while the pages are read lands on a later page instead of shifting earlier ones.
const ORDER = "orderBy: {field: CREATED_AT, direction: ASC}";
const PULLS =
  `pullRequests(states: OPEN, first: 100, after: $pullsAfter, ${ORDER}) { pageInfo { hasNextPage endCursor } ` +
  `nodes { number headRefOid baseRefName } }`;
const ISSUES =
  `issues(states: OPEN, first: 100, after: $issuesAfter, ${ORDER}) { pageInfo { hasNextPage endCursor } ` +
  `nodes { number title body url createdAt viewerDidAuthor author { ... on Bot { databaseId } } ` +
  `labels(first: 100) { totalCount nodes { name } } } }`;
/** The query-root field whose id anchors the app's own issues beside `viewerDidAuthor` (see `byThisApp`). */
export const VIEWER = "viewer { databaseId }";

/**
 * The variable declarations and `repository` fields that read a page of the listings (both when `want` is not
 * given), to put in a query of one's own; the variables are `pullsAfter` and `issuesAfter` (null: first page).
 */
export function openWorkFields(want: { pulls: boolean; issues: boolean } = BOTH): {
  variables: string;
  fields: string;
} {
  return {
    variables: [want.pulls ? "$pullsAfter: String" : "", want.issues ? "$issuesAfter: String" : ""]
      .filter(Boolean)
      .join(", "),
    fields: [want.pulls ? PULLS : "", want.issues ? ISSUES : ""].filter(Boolean).join(" "),
  };
}

/**
 * A page as `openWorkFields` read it. A listing asked for and missing from the answer, or one that cannot be
 * followed to its end, is an error: an unseen freeze issue must never read as no freeze (fail closed).
 */
function parseOpenWork(raw: RawOpenWork, want: { pulls: boolean; issues: boolean }): OpenWorkPage {
  const page: OpenWorkPage = { pulls: [], issues: [], next: {} };
  if (want.pulls) {
    if (!raw.pullRequests) throw new Error("GitHub's answer lacks the open pull requests");
    page.next.pulls = nextCursor(raw.pullRequests, "pull requests");
    for (const p of raw.pullRequests.nodes ?? [])
      if (p) page.pulls.push({ number: p.number, headSha: p.headRefOid, baseRef: p.baseRefName });
  }
  if (want.issues) {
    if (!raw.issues) throw new Error("GitHub's answer lacks the open issues");
    page.next.issues = nextCursor(raw.issues, "issues");
    for (const i of raw.issues.nodes ?? []) if (i) page.issues.push(toIssue(i, raw.viewerId ?? null));
  }
  return page;
}

function nextCursor(c: RawConnection<unknown>, what: string): string | undefined {
  if (!c.pageInfo.hasNextPage) return undefined;
  if (!c.pageInfo.endCursor) throw new Error(`GitHub listed only some open ${what} and no way to the rest`);
  return c.pageInfo.endCursor;
}

function toIssue(i: RawIssue, viewerId: number | null): OpenIssue {
  const labels = (i.labels?.nodes ?? []).flatMap((l) => (l ? [l.name] : []));
  const byThisApp = i.viewerDidAuthor || (viewerId != null && i.author?.databaseId === viewerId);
  // The app's own issues are freezes, and their labels can name what they freeze: all of them must be seen.
  if (byThisApp && (i.labels?.totalCount ?? 0) > labels.length)
    throw new Error(`issue #${i.number} has more labels than GitHub listed`);
  const { number, title, url, createdAt } = i;
  return { number, title, body: i.body, url, createdAt, labels, byThisApp };
}

/**
 * Every open pull request and open issue, in as few GraphQL requests as the pages allow: the first page of
 * each (unless `first`: read already, by another query with `openWorkFields`), then the next pages of whichever
 * has more.
 */
export async function readOpenWork(octokit: Octokit, repo: RepoId, first?: RawOpenWork): Promise<OpenWork> {
  const out: OpenWork = { pulls: [], issues: [] };
  let page = first ? parseOpenWork(first, BOTH) : await readPage(octokit, repo, { pulls: null, issues: null });
  for (;;) {
    out.pulls.push(...page.pulls);
    out.issues.push(...page.issues);
    const { pulls, issues } = page.next;
    if (pulls === undefined && issues === undefined) return out;
    page = await readPage(octokit, repo, { pulls, issues });
    // A cursor GitHub hands back unchanged would list the same page forever.
    if ((pulls !== undefined && page.next.pulls === pulls) || (issues !== undefined && page.next.issues === issues))
      throw new Error("GitHub's listing of open pull requests and issues did not advance");
  }
}

/** One page of the listings at `after` (null: the first page; undefined: that listing is not read). */
async function readPage(
  octokit: Octokit,
  repo: RepoId,
  after: { pulls?: string | null; issues?: string | null },
): Promise<OpenWorkPage> {
  const want = { pulls: after.pulls !== undefined, issues: after.issues !== undefined };
  const { variables, fields } = openWorkFields(want);
  const res = await queryWithViewer<{ repository: RawOpenWork | null }>(
    octokit,
    (viewer) =>
      `query($owner: String!, $repo: String!, ${variables}) { ${viewer}` +
      `repository(owner: $owner, name: $repo) { ${fields} } }`,
    {
      owner: repo.owner,
      repo: repo.repo,
      ...(after.pulls !== undefined ? { pullsAfter: after.pulls } : {}),
      ...(after.issues !== undefined ? { issuesAfter: after.issues } : {}),
    },
  );
  if (!res.repository) throw new Error(`${repo.owner}/${repo.repo}: GitHub listed no repository`);
  return parseOpenWork({ ...res.repository, viewerId: res.viewer?.databaseId ?? null }, want);
}

/**
 * `query(VIEWER + " ")`, the root asking the viewer's id beside the rest. The viewer only adds an anchor to
 * `viewerDidAuthor`, so an answer whose only errors are about it is asked again without it (`viewer`: null)
 * rather than failing; GraphQL nulls the whole answer then, `viewer` being non-null at the root.
 */
export async function queryWithViewer<T>(
  octokit: Octokit,
  query: (viewer: string) => string,
  variables: Record<string, unknown>,
): Promise<T & { viewer?: { databaseId?: number | null } | null }> {
  try {
    return await octokit.graphql<T & { viewer?: { databaseId?: number | null } | null }>(
      query(`${VIEWER} `),
      variables,
    );
  } catch (err) {
    const errors = (err as { errors?: Array<{ path?: unknown[] }> }).errors;
    if (!errors?.length || !errors.every((e) => e.path?.[0] === "viewer")) throw err;
    return { ...(await octokit.graphql<T>(query(""), variables)), viewer: null };
  }
}

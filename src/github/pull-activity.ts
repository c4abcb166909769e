import type { ActivityRequest, CommitRecord, PullActivity, ReviewRecord, TeamMembers } from "../gather/pull-facts.js";
import type { GitHubClient } from "./client.js";

/**
 * Reviews, commits and team members of a pull request in ONE GraphQL query
 * (team members through aliased `organization { team { members } }` fields).
 * Only PRs with more than 100 commits cost further requests here.
 */

/**
 * Stop paging commits here (GitHub lists at most 250 in most places anyway);
 * `commitsTotal` lets the gates fail closed on the ones not read.
 */
const MAX_COMMITS = 1000;

const COMMIT_FIELDS =
  "commit { oid message author { user { login } } committer { user { login } } signature { isValid state } }";

export function reviewFactsQuery(req: ActivityRequest): { query: string; variables: Record<string, unknown> } {
  const variables: Record<string, unknown> = {};
  const declared: string[] = [];
  const pr: string[] = [];
  if (req.reviews) pr.push("reviews(last: 100) { nodes { author { login } state submittedAt commit { oid } } }");
  if (req.commits)
    pr.push(`commits(last: 100) { totalCount pageInfo { hasPreviousPage startCursor } nodes { ${COMMIT_FIELDS} } }`);
  const parts: string[] = [];
  if (pr.length) {
    declared.push("$owner: String!", "$repo: String!", "$number: Int!");
    parts.push(`repository(owner: $owner, name: $repo) { pullRequest(number: $number) { ${pr.join(" ")} } }`);
  }
  req.teams.forEach((team, i) => {
    const { org, slug } = splitTeam(team);
    variables[`org${i}`] = org;
    variables[`team${i}`] = slug;
    declared.push(`$org${i}: String!`, `$team${i}: String!`);
    parts.push(
      `t${i}: organization(login: $org${i}) { team(slug: $team${i}) ` +
        "{ members(first: 100) { pageInfo { hasNextPage } nodes { login } } } }",
    );
  });
  return { query: `query(${declared.join(", ")}) { ${parts.join(" ")} }`, variables };
}

export async function readPullActivity(client: GitHubClient, number: number, req: ActivityRequest) {
  const out: PullActivity = { teams: new Map() };
  if (!req.reviews && !req.commits && req.teams.length === 0) return out;
  const { query, variables } = reviewFactsQuery(req);
  const repo = { owner: client.repo.owner, repo: client.repo.repo };
  const data = await graphqlPartial(client, query, { ...variables, ...repo, number });
  const pull = data.repository?.pullRequest;
  if ((req.reviews || req.commits) && !pull) throw new Error(`pull request #${number} was not found through GraphQL`);

  req.teams.forEach((team, i) => {
    const members = (data[`t${i}`] as RawTeamOrg | null | undefined)?.team?.members;
    if (!members) return; // unknown or invisible
    const logins = (members.nodes ?? []).flatMap((n) => (n?.login ? [n.login] : []));
    out.teams.set(team, { logins, complete: !members.pageInfo?.hasNextPage } satisfies TeamMembers);
  });

  if (req.reviews) out.reviews = (pull?.reviews?.nodes ?? []).flatMap(toReview);
  if (req.commits) {
    const conn = pull?.commits;
    const nodes = [...(conn?.nodes ?? [])];
    let page = conn?.pageInfo;
    while (page?.hasPreviousPage && page.startCursor && nodes.length < MAX_COMMITS) {
      const more = await graphqlPartial(
        client,
        "query($owner: String!, $repo: String!, $number: Int!, $before: String!) { repository(owner: $owner, " +
          "name: $repo) { pullRequest(number: $number) { commits(last: 100, before: $before) { pageInfo " +
          `{ hasPreviousPage startCursor } nodes { ${COMMIT_FIELDS} } } } } }`,
        { ...repo, number, before: page.startCursor },
      );
      const c = more.repository?.pullRequest?.commits;
      nodes.unshift(...(c?.nodes ?? []));
      page = c?.pageInfo;
    }
    out.commits = nodes.flatMap((n) => (n?.commit ? [toCommit(n.commit)] : []));
    // what GitHub counts, so a gate can tell when fewer were read (MAX_COMMITS, or GitHub's own listing limits)
    if (typeof conn?.totalCount === "number") out.commitsTotal = conn.totalCount;
  }
  return out;
}

function toReview(n: RawReview | null): ReviewRecord[] {
  if (!n?.author?.login) return []; // a deleted account
  return [
    {
      reviewer: n.author.login,
      state: n.state ?? "",
      submittedAt: n.submittedAt ?? null,
      commitSha: n.commit?.oid ?? null,
    },
  ];
}

function toCommit(c: RawCommit): CommitRecord {
  return {
    sha: c.oid,
    message: c.message ?? "",
    author: c.author?.user?.login ?? null,
    committer: c.committer?.user?.login ?? null,
    signature: c.signature ? { valid: c.signature.isValid === true, state: String(c.signature.state) } : null,
  };
}

export function splitTeam(team: string): { org: string; slug: string } {
  const t = team.startsWith("@") ? team.slice(1) : team;
  const slash = t.indexOf("/");
  return slash < 0 ? { org: "", slug: t } : { org: t.slice(0, slash), slug: t.slice(slash + 1) };
}

/**
 * A query whose answer may carry errors next to data (an unknown team or
 * organization): keep the data; rethrow when there is none.
 */
async function graphqlPartial(
  client: GitHubClient,
  query: string,
  variables: Record<string, unknown>,
): Promise<RawData> {
  try {
    return await client.octokit.graphql<RawData>(query, variables);
  } catch (err) {
    // octokit's GraphqlResponseError carries `errors` and the partial `data`
    const e = err as { errors?: unknown; data?: RawData | null };
    if (Array.isArray(e.errors) && e.data && typeof e.data === "object") return e.data;
    throw err;
  }
}

interface RawData {
  repository?: { pullRequest?: RawPull | null } | null;
  [alias: string]: unknown;
}

interface RawPull {
  reviews?: { nodes?: Array<RawReview | null> | null } | null;
  commits?: {
    totalCount?: number | null;
    nodes?: Array<{ commit?: RawCommit | null } | null> | null;
    pageInfo?: { hasPreviousPage?: boolean; startCursor?: string | null } | null;
  } | null;
}

interface RawReview {
  author?: { login?: string | null } | null;
  state?: string | null;
  submittedAt?: string | null;
  commit?: { oid?: string | null } | null;
}

interface RawCommit {
  oid: string;
  message?: string | null;
  author?: { user?: { login?: string | null } | null } | null;
  committer?: { user?: { login?: string | null } | null } | null;
  signature?: { isValid?: boolean | null; state?: string | null } | null;
}

interface RawTeamOrg {
  team?: {
    members?: { pageInfo?: { hasNextPage?: boolean }; nodes?: Array<{ login?: string | null } | null> | null } | null;
  } | null;
}

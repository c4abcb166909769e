import type { PrCommit, PrReview } from "../gate/pr-input.js";
import type { GitHubClient } from "./client.js";

/**
 * Reviews, commits and team memberships of a pull request in ONE GraphQL
 * query (team members through aliased `organization { team { members } }`
 * fields). Only PRs with more than 100 commits, and teams with more than 100
 * members that an unlisted reviewer may belong to, cost further requests.
 */

export interface ReviewFactsRequest {
  number: number;
  headSha: string;
  reviews: boolean;
  commits: boolean;
  /** `org/slug` (a leading `@` is accepted). */
  teams: string[];
}

export interface ReviewFacts {
  reviews?: PrReview[];
  commits?: PrCommit[];
  /** Lower-cased logins per team as written in the request. */
  teamMembers: Map<string, Set<string>>;
}

/** Stop paging commits here; GitHub lists at most 250 in most places anyway. */
const MAX_COMMITS = 1000;

const COMMIT_FIELDS =
  "commit { oid message author { user { login } } committer { user { login } } signature { isValid state } }";

export function reviewFactsQuery(req: ReviewFactsRequest): { query: string; variables: Record<string, unknown> } {
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
      `t${i}: organization(login: $org${i}) { team(slug: $team${i}) { members(first: 100) { pageInfo { hasNextPage } nodes { login } } } }`,
    );
  });
  return { query: `query(${declared.join(", ")}) { ${parts.join(" ")} }`, variables };
}

export async function gatherReviewFacts(client: GitHubClient, req: ReviewFactsRequest): Promise<ReviewFacts> {
  const out: ReviewFacts = { teamMembers: new Map() };
  if (!req.reviews && !req.commits && req.teams.length === 0) return out;
  const { query, variables } = reviewFactsQuery(req);
  const data = await graphqlPartial(client, query, {
    ...variables,
    owner: client.repo.owner,
    repo: client.repo.repo,
    number: req.number,
  });
  const pull = data.repository?.pullRequest;
  if ((req.reviews || req.commits) && !pull)
    throw new Error(`pull request #${req.number} was not found through GraphQL`);

  const incomplete = new Set<string>();
  req.teams.forEach((team, i) => {
    const members = (data[`t${i}`] as RawTeamOrg | null | undefined)?.team?.members;
    // an unknown or invisible team has no members: its approvals do not count (fail closed)
    out.teamMembers.set(
      team,
      new Set((members?.nodes ?? []).flatMap((n) => (n?.login ? [n.login.toLowerCase()] : []))),
    );
    if (members?.pageInfo?.hasNextPage) incomplete.add(team);
  });

  if (req.reviews) out.reviews = latestReviews(pull?.reviews?.nodes ?? [], req.headSha);
  if (req.reviews && out.reviews) await completeTeams(client, out.reviews, out.teamMembers, incomplete);
  if (req.reviews && out.reviews)
    for (const r of out.reviews) r.teams = teamsOf(r.reviewer, req.teams, out.teamMembers);

  if (req.commits) {
    const conn = pull?.commits;
    const nodes = [...(conn?.nodes ?? [])];
    let page = conn?.pageInfo;
    while (page?.hasPreviousPage && page.startCursor && nodes.length < MAX_COMMITS) {
      const more = await graphqlPartial(
        client,
        `query($owner: String!, $repo: String!, $number: Int!, $before: String!) { repository(owner: $owner, name: $repo) { pullRequest(number: $number) { commits(last: 100, before: $before) { pageInfo { hasPreviousPage startCursor } nodes { ${COMMIT_FIELDS} } } } } }`,
        { owner: client.repo.owner, repo: client.repo.repo, number: req.number, before: page.startCursor },
      );
      const c = more.repository?.pullRequest?.commits;
      nodes.unshift(...(c?.nodes ?? []));
      page = c?.pageInfo;
    }
    out.commits = nodes.flatMap((n) => (n?.commit ? [toCommit(n.commit)] : []));
  }
  return out;
}

/**
 * The latest review per reviewer, in submission order. A COMMENTED review
 * does not replace an earlier APPROVED or CHANGES_REQUESTED one; a DISMISSED
 * review (GitHub rewrites the state of a dismissed review) replaces the
 * reviewer's entry, so a dismissed approval no longer counts. PENDING
 * (unsubmitted) reviews are skipped.
 */
export function latestReviews(nodes: Array<RawReview | null>, headSha: string): PrReview[] {
  const sorted = nodes
    .filter((n): n is RawReview => !!n && !!n.author?.login && !!n.submittedAt)
    .map((n, i) => ({ n, i }))
    .sort((a, b) => Date.parse(a.n.submittedAt!) - Date.parse(b.n.submittedAt!) || a.i - b.i);
  const latest = new Map<string, PrReview>();
  for (const { n } of sorted) {
    const state = n.state;
    if (state !== "APPROVED" && state !== "CHANGES_REQUESTED" && state !== "COMMENTED" && state !== "DISMISSED")
      continue;
    const reviewer = n.author!.login!;
    const key = reviewer.toLowerCase();
    const previous = latest.get(key);
    if (state === "COMMENTED" && previous && previous.state !== "COMMENTED") continue;
    const sha = n.commit?.oid ?? "";
    latest.set(key, {
      reviewer,
      state,
      submitted_at: n.submittedAt!,
      commit_sha: sha,
      on_current_head: sha !== "" && sha === headSha,
      teams: [],
    });
  }
  return [...latest.values()];
}

function toCommit(c: RawCommit): PrCommit {
  const verified = c.signature?.isValid === true && c.signature.state === "VALID";
  return {
    sha: c.oid,
    author: c.author?.user?.login ?? null,
    committer: c.committer?.user?.login ?? null,
    message: c.message ?? "",
    verified,
    // REST's verification.reason spelling: lower-case GitSignatureState
    verification_reason: verified ? null : c.signature ? String(c.signature.state).toLowerCase() : "unsigned",
  };
}

function teamsOf(login: string, teams: string[], members: Map<string, Set<string>>): string[] {
  const l = login.toLowerCase();
  return teams.filter((t) => members.get(t)?.has(l)).map((t) => (t.startsWith("@") ? t.slice(1) : t));
}

/** For teams of more than 100 members: ask GitHub about each reviewer not found in the first page. */
async function completeTeams(
  client: GitHubClient,
  reviews: PrReview[],
  members: Map<string, Set<string>>,
  incomplete: Set<string>,
): Promise<void> {
  for (const team of incomplete) {
    const { org, slug } = splitTeam(team);
    const set = members.get(team)!;
    for (const r of reviews) {
      if (r.state !== "APPROVED" || set.has(r.reviewer.toLowerCase())) continue;
      try {
        const { data } = await client.octokit.rest.teams.getMembershipForUserInOrg({
          org,
          team_slug: slug,
          username: r.reviewer,
        });
        if (data.state === "active") set.add(r.reviewer.toLowerCase());
      } catch (err) {
        if ((err as { status?: number }).status !== 404) throw err;
      }
    }
  }
}

function splitTeam(team: string): { org: string; slug: string } {
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
    nodes?: Array<{ commit?: RawCommit | null } | null> | null;
    pageInfo?: { hasPreviousPage?: boolean; startCursor?: string | null } | null;
  } | null;
}

export interface RawReview {
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

import type { Principals } from "../config/types.js";
import type { PrCommit, PrReview } from "../gate/pr-input.js";
import type { CommitRecord, PullFacts, ReviewRecord, TeamMembers } from "./pull-facts.js";

/**
 * Reviews, commits and team memberships of a pull request as the policy
 * input holds them: the latest review per reviewer, the teams (of those the
 * config names) each reviewer belongs to, the repository permission of each
 * reviewer whose approval could count, and each commit's signature verdict.
 */

export interface ReviewFactsRequest {
  number: number;
  headSha: string;
  reviews: boolean;
  commits: boolean;
  /** `org/slug` (a leading `@` is accepted). */
  teams: string[];
  /**
   * Look up the permission of reviewers whose approval could count: approved
   * (on the head when `currentHeadOnly`), neither the author nor a pusher,
   * and listed in `from` (a user, or a member of a team) when it is given.
   * Undefined: look up nobody's.
   */
  permissions?: { author: string; currentHeadOnly: boolean; from: Principals | null };
}

export interface ReviewFacts {
  reviews?: PrReview[];
  commits?: PrCommit[];
  /** GitHub's count of the pull request's commits, when commits were read. */
  commitsTotal?: number;
}

export async function gatherReviewFacts(facts: PullFacts, req: ReviewFactsRequest): Promise<ReviewFacts> {
  if (!req.reviews && !req.commits && req.teams.length === 0) return {};
  const activity = await facts.pullActivity(req.number, {
    reviews: req.reviews,
    commits: req.commits,
    teams: req.teams,
  });
  const out: ReviewFacts = {};
  if (req.reviews) {
    const reviews = latestReviews(activity.reviews ?? [], req.headSha);
    const members = memberSets(req.teams, activity.teams);
    await completeTeams(facts, reviews, members, req.teams, activity.teams);
    for (const r of reviews) r.teams = teamsOf(r.reviewer, req.teams, members);
    if (req.permissions) await addPermissions(facts, reviews, activity.commits, req.permissions);
    out.reviews = reviews;
  }
  if (req.commits) {
    out.commits = (activity.commits ?? []).map(toCommit);
    if (activity.commitsTotal !== undefined) out.commitsTotal = activity.commitsTotal;
  }
  return out;
}

/**
 * Logins GitHub attributes the pull request's commits to, as author or
 * committer. GitHub does not say who pushed a commit, so this approximates
 * "everyone who pushed to the pull request": a pusher whose commits carry
 * someone else's e-mail address is not found (requiring signed commits ties
 * each commit to the account whose key signed it).
 */
export function pushersOf(commits: Array<Pick<CommitRecord, "author" | "committer">>): Set<string> {
  const out = new Set<string>();
  for (const c of commits) for (const l of [c.author, c.committer]) if (l) out.add(l.toLowerCase());
  return out;
}

/** One memoised lookup per reviewer whose approval could count; the others keep `permission: null`. */
async function addPermissions(
  facts: PullFacts,
  reviews: PrReview[],
  commits: CommitRecord[] | undefined,
  opts: NonNullable<ReviewFactsRequest["permissions"]>,
): Promise<void> {
  const excluded = pushersOf(commits ?? []);
  excluded.add(opts.author.toLowerCase());
  const users = new Set((opts.from?.users ?? []).map((u) => u.toLowerCase()));
  // r.teams holds only teams the config names: any of them is one of `from`'s
  const listed = (r: PrReview) => !opts.from || users.has(r.reviewer.toLowerCase()) || r.teams.length > 0;
  const asked = reviews.filter(
    (r) =>
      r.state === "APPROVED" &&
      (!opts.currentHeadOnly || r.on_current_head) &&
      !excluded.has(r.reviewer.toLowerCase()) &&
      listed(r),
  );
  const answers = await Promise.all(asked.map((r) => facts.permission(r.reviewer)));
  asked.forEach((r, i) => (r.permission = answers[i]));
}

/**
 * The latest review per reviewer, in submission order. A COMMENTED review
 * does not replace an earlier APPROVED or CHANGES_REQUESTED one; a DISMISSED
 * review (GitHub rewrites the state of a dismissed review) replaces the
 * reviewer's entry, so a dismissed approval no longer counts. PENDING
 * (unsubmitted) reviews are skipped.
 */
export function latestReviews(records: ReviewRecord[], headSha: string): PrReview[] {
  const sorted = records
    .filter((r) => r.reviewer !== "" && !!r.submittedAt)
    .map((r, i) => ({ r, i }))
    .sort((a, b) => Date.parse(a.r.submittedAt!) - Date.parse(b.r.submittedAt!) || a.i - b.i);
  const latest = new Map<string, PrReview>();
  for (const { r } of sorted) {
    const state = r.state;
    if (state !== "APPROVED" && state !== "CHANGES_REQUESTED" && state !== "COMMENTED" && state !== "DISMISSED")
      continue;
    const key = r.reviewer.toLowerCase();
    const previous = latest.get(key);
    if (state === "COMMENTED" && previous && previous.state !== "COMMENTED") continue;
    const sha = r.commitSha ?? "";
    latest.set(key, {
      reviewer: r.reviewer,
      state,
      submitted_at: r.submittedAt!,
      commit_sha: sha,
      on_current_head: sha !== "" && sha === headSha,
      teams: [],
      permission: null,
    });
  }
  return [...latest.values()];
}

function toCommit(c: CommitRecord): PrCommit {
  const verified = c.signature?.valid === true && c.signature.state === "VALID";
  return {
    sha: c.sha,
    author: c.author,
    committer: c.committer,
    message: c.message,
    verified,
    // REST's verification.reason spelling: lower-case GitSignatureState
    verification_reason: verified ? null : c.signature ? String(c.signature.state).toLowerCase() : "unsigned",
  };
}

/** Lower-cased logins per team; an unknown or invisible team has no members: its approvals do not count. */
function memberSets(teams: string[], listed: Map<string, TeamMembers>): Map<string, Set<string>> {
  return new Map(teams.map((t) => [t, new Set((listed.get(t)?.logins ?? []).map((l) => l.toLowerCase()))]));
}

function teamsOf(login: string, teams: string[], members: Map<string, Set<string>>): string[] {
  const l = login.toLowerCase();
  return teams.filter((t) => members.get(t)?.has(l)).map((t) => (t.startsWith("@") ? t.slice(1) : t));
}

/** For teams listed only in part: ask about each approving reviewer not found in the listed part. */
async function completeTeams(
  facts: PullFacts,
  reviews: PrReview[],
  members: Map<string, Set<string>>,
  teams: string[],
  listed: Map<string, TeamMembers>,
): Promise<void> {
  for (const team of new Set(teams)) {
    const entry = listed.get(team);
    if (!entry || entry.complete) continue;
    const set = members.get(team)!;
    for (const r of reviews) {
      if (r.state !== "APPROVED" || set.has(r.reviewer.toLowerCase())) continue;
      if (await facts.isTeamMember(team, r.reviewer)) set.add(r.reviewer.toLowerCase());
    }
  }
}

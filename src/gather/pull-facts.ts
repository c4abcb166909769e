import type { IssueComment, Permission } from "../gate/access.js";

/**
 * The GitHub reads that building a pull request's policy input needs, in
 * domain terms: no payloads or request shapes of the GitHub client. The gatherers in this
 * folder decide what to ask for and what the answers mean; an implementation
 * only reads. `github/pull-facts.ts` is the GitHub one (memoised per
 * instance); tests use plain objects, so gate rules are tested without HTTP.
 *
 * An instance serves one repository for one evaluation.
 */
export interface PullFacts {
  /**
   * A pull request's reviews, commits and the members of teams, only the parts
   * asked for (on GitHub: one GraphQL query).
   */
  pullActivity(number: number, want: ActivityRequest): Promise<PullActivity>;
  /** Whether `login` is an active member of `team` (`org/slug`): for teams too large to be listed whole. */
  isTeamMember(team: string, login: string): Promise<boolean>;
  /** The user's permission on the repository (`maintain` reads as write, `triage` as read, none for outsiders). */
  permission(login: string): Promise<Permission>;
  /** Commits reachable from `head` but not from `base` (branch names or SHAs); null when either is not found. */
  compare(base: string, head: string): Promise<Comparison | null>;
  /** The commit a branch points at; undefined when there is no such branch. */
  branchSha(branch: string): Promise<string | undefined>;
  /** File contents at a commit or branch; a missing file maps to undefined. */
  readFiles(ref: string, paths: string[]): Promise<Map<string, Uint8Array | undefined>>;
  /** The latest commit reachable from `ref` that touches `path`; null when there is none. */
  lastCommitTouching(ref: string, path: string): Promise<CommitDate | null>;
  /** Commit statuses and check runs reported on a commit (`ref` may be a branch). */
  ciReports(ref: string): Promise<CiReports>;
  /** Open issues (not pull requests) carrying `label`; without one, every open issue (every page). */
  openIssues(label?: string): Promise<IssueRecord[]>;
  /** An issue's comments, oldest first (freeze records). */
  issueComments(number: number): Promise<IssueComment[]>;
}

export interface ActivityRequest {
  reviews: boolean;
  commits: boolean;
  /** Teams as `org/slug` (a leading `@` is accepted). */
  teams: string[];
}

export interface PullActivity {
  /** Every review (the latest 100), in the order GitHub lists them. */
  reviews?: ReviewRecord[];
  /** The pull request's commits, oldest first: the newest ones when there are more than are read. */
  commits?: CommitRecord[];
  /** How many commits the pull request has, as GitHub counts them (`commits` may list fewer). */
  commitsTotal?: number;
  /** Per team as written in the request; an unknown or invisible team is absent. */
  teams: Map<string, TeamMembers>;
}

export interface ReviewRecord {
  /** The reviewer's login (reviews by deleted accounts are left out). */
  reviewer: string;
  /** GitHub's review state: APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED or PENDING. */
  state: string;
  /** ISO time; null while the review is pending. */
  submittedAt: string | null;
  /** The commit reviewed. */
  commitSha: string | null;
}

export interface CommitRecord {
  sha: string;
  message: string;
  /** Logins of the GitHub users behind the git author and committer, when GitHub knows them. */
  author: string | null;
  committer: string | null;
  /** Null when the commit is not signed; `state` is GitHub's GitSignatureState (VALID, UNKNOWN_KEY, …). */
  signature: { valid: boolean; state: string } | null;
}

export interface TeamMembers {
  logins: string[];
  /** False when the team has more members than were listed. */
  complete: boolean;
}

export interface Comparison {
  aheadBy: number;
  behindBy: number;
  /** The commit `base` resolved to. */
  base: CommitDate | null;
  /** Commits in `head` not in `base`, oldest first (the first page only). */
  commits: Array<CommitDate & { parents: string[] }>;
}

export interface CommitDate {
  sha: string;
  /** The committer date (ISO), when known. */
  committedAt: string | null;
}

export interface CiReports {
  /** The commit the ref resolved to, when GitHub said. */
  sha: string | null;
  /** Every commit status, newest first: `state` is success, pending, failure or error; `creator` who posted it. */
  statuses: Array<{ context: string; state: string; creator: string | null }>;
  /** Check runs (the latest of each name per app); `app`: the slug of the GitHub App that created the run. */
  checkRuns: Array<{
    id: number;
    name: string;
    headSha: string;
    status: string;
    conclusion: string | null;
    app: string | null;
  }>;
}

export interface IssueRecord {
  number: number;
  title: string;
  body: string | null;
  /**
   * The GitHub App that opened the issue; null when a person did (and, in a listing read by GraphQL, which
   * only tells the reading app's own issues apart, when another app did).
   */
  appId: number | null;
  url: string;
  createdAt: string;
  /** Its labels' names. */
  labels?: string[];
}

/** The pull request as the gatherers read it (structurally, github/types.ts's PullRequest fits). */
export interface PullInfo {
  number: number;
  title: string;
  body: string;
  author: string;
  authorAssociation: string;
  draft: boolean;
  baseRef: string;
  baseSha: string;
  headRef: string;
  headSha: string;
  fork: boolean;
  labels: string[];
}

/** A file the pull request changes (structurally, github/types.ts's ChangedFile fits). */
export interface PullFile {
  path: string;
  status: string;
  previousPath?: string;
  additions: number;
  deletions: number;
}

/** A fact that cannot be gathered for a reason the repository's owners can fix (the message says how). */
export class FactsError extends Error {}

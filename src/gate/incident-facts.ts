/**
 * What incident detection and `/gate restore` need to know about a branch's
 * history, as plain data, and the questions they ask GitHub through the
 * gateway (github/history.ts implements HistoryFacts). Nothing here does I/O.
 */

export interface CommitFact {
  sha: string;
  /** First line of the message. */
  title: string;
  /** GitHub login when GitHub knows it, else the git author name. */
  author: string;
  parents: string[];
  /** Paths the commit changed, when known (push payloads list them). */
  files?: string[];
}

/** One of this app's check runs on a commit. */
export interface RunFact {
  id: number;
  name: string;
  status: string;
  conclusion: string | null;
}

/** A pull request GitHub associates with a commit. */
export interface PullFact {
  number: number;
  baseRef: string;
  headSha: string;
  merged: boolean;
  mergeCommitSha: string | null;
}

export interface HistoryFacts {
  /** This app's check runs on a commit. */
  appRuns(sha: string): Promise<RunFact[]>;
  /** The pull requests that introduced a commit (GitHub's commits/{sha}/pulls). */
  pullsOf(sha: string): Promise<PullFact[]>;
  /** The shas of a pull request's commits. */
  pullCommits(number: number): Promise<string[]>;
  /** Commits reachable from `sha`, newest first, at most `limit`. */
  history(sha: string, limit: number): Promise<CommitFact[]>;
}

/** Why a commit counts as gated. */
export type Evidence =
  /** This app's check for the environment passed on the commit itself (merge queue group, fast-forward). */
  | { kind: "check"; sha: string }
  /** The commit is the merge of (or one of the commits of) a pull request whose head passed the check. */
  | { kind: "pull"; sha: string; pull: number; headSha: string; merge: boolean };

/** Whether the commit's own tree is the one that passed (a PR's own commits were judged only as the merge). */
export const treePassed = (e: Evidence): boolean => e.kind === "check" || e.merge;

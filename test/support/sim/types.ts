/** Public types of the GitHub API simulator. */

export interface Violation {
  method: string;
  path: string;
  message: string;
}

export interface RequestRecord {
  method: string;
  /** Path with query string, as received. */
  path: string;
  /** The OpenAPI template that matched (`/repos/{owner}/{repo}/pulls`), `/graphql`, or null. */
  route: string | null;
  status: number;
  graphql: boolean;
  /** The JSON body, if any. */
  body?: unknown;
}

export type Permission = "admin" | "write" | "read" | "none";
export type ReviewState = "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED";
export type FileContent = string | Uint8Array;

export interface SimPullRequest {
  number: number;
  id: number;
  title: string;
  body: string;
  author: string;
  headRef: string;
  baseRef: string;
  /** Current head commit (follows the head branch while the PR is open). */
  readonly headSha: string;
  readonly baseSha: string;
  state: "open" | "closed";
  merged: boolean;
  draft: boolean;
  fork: boolean;
  labels: string[];
}

export interface SimAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: "notice" | "warning" | "failure";
  message: string;
  title?: string;
  raw_details?: string;
}

export interface SimCheckRun {
  id: number;
  name: string;
  headSha: string;
  status: "queued" | "in_progress" | "completed";
  conclusion: string | null;
  appId: number;
  detailsUrl: string | null;
  externalId: string | null;
  startedAt: string | null;
  completedAt: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  annotations: SimAnnotation[];
  actions: Array<{ label: string; description: string; identifier: string }>;
  /** Every create/update body received, in order, for assertions. */
  updates: unknown[];
}

export interface SimComment {
  id: number;
  issueNumber: number;
  body: string;
  author: string;
  createdAt: string;
  updatedAt: string;
  reactions: Array<{ id: number; content: string; user: string }>;
}

export interface SimIssue {
  number: number;
  id: number;
  title: string;
  body: string;
  author: string;
  state: "open" | "closed";
  labels: string[];
  isPullRequest: boolean;
}

export interface SimStatus {
  id: number;
  sha: string;
  state: "error" | "failure" | "pending" | "success";
  context: string;
  description: string | null;
  targetUrl: string | null;
  createdAt: string;
}

export interface SimRepo {
  readonly fullName: string;
  readonly owner: string;
  readonly name: string;
  readonly id: number;
  readonly defaultBranch: string;
  readonly installationId: number;
  /** Commits `files` (null deletes) on top of `branch`, creating the branch from the default branch when missing. */
  commit(
    branch: string,
    files: Record<string, FileContent | null>,
    opts?: { message?: string; author?: string; verified?: boolean },
  ): string;
  /** Creates `name` at `from` (a branch name or a commit sha); returns its sha. */
  createBranch(name: string, from: string): string;
  /** Head sha of a branch, or undefined. */
  branchSha(branch: string): string | undefined;
  /** A file's content at a ref (branch or sha), or undefined. */
  readFile(ref: string, path: string): Buffer | undefined;
  openPullRequest(opts: {
    head: string;
    base: string;
    title?: string;
    body?: string;
    author?: string;
    fork?: boolean;
    draft?: boolean;
    labels?: string[];
    /** A free number to use instead of the next one. */
    number?: number;
  }): SimPullRequest;
  pullRequest(number: number): SimPullRequest | undefined;
  /** Merges an open PR into its base with a merge commit; returns the merge sha. */
  mergePullRequest(number: number): string;
  closePullRequest(number: number): void;
  review(pr: number, user: string, state: ReviewState, opts?: { body?: string; commitId?: string }): void;
  checkRuns(sha?: string): SimCheckRun[];
  comments(issue: number): SimComment[];
  /** Adds a comment as `user` (e.g. a `/gate` command) and returns it. */
  addComment(issue: number, user: string, body: string): SimComment;
  issues(): SimIssue[];
  createIssue(opts: { title: string; body?: string; author?: string; labels?: string[]; number?: number }): SimIssue;
  statuses(sha?: string): SimStatus[];
  setPermission(user: string, permission: Permission): void;
  addTeamMember(org: string, team: string, user: string): void;
}

export interface Simulator {
  url: string;
  appId: number;
  violations: Violation[];
  requests: RequestRecord[];
  resetRequests(): void;
  close(): Promise<void>;
  createRepo(
    fullName: string,
    opts?: { defaultBranch?: string; files?: Record<string, FileContent>; installationId?: number; private?: boolean },
  ): SimRepo;
  repo(fullName: string): SimRepo | undefined;
}

export interface SimulatorOptions {
  /** Delay of every response, to simulate a network round trip. */
  latencyMs?: number;
  /** App id of tokens that were not minted through the access-token endpoint. */
  appId?: number;
  /** App slug, used for the bot login (`<slug>[bot]`). */
  appSlug?: string;
}

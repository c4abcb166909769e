/**
 * The input of PR-level policies: the pull request's facts for one
 * environment. Documented as JSON Schema in schemas/pr-input.schema.json;
 * keys are snake_case as Rego authors expect. Facts a configured gate does not
 * need may be absent (they are gathered lazily), so policies must use
 * `object.get` or guards for optional parts.
 */
export interface PrInput {
  environment: {
    name: string;
    mode: "enforce" | "warn" | "shadow";
    /** `promote_from` of the environment, if any. */
    source: string | null;
  };
  pull_request: {
    number: number;
    title: string;
    body: string;
    author: string;
    author_association: string;
    draft: boolean;
    labels: string[];
    base: { ref: string; sha: string };
    head: { ref: string; sha: string };
    fork: boolean;
  };
  /** Latest review state per reviewer (COMMENTED reviews do not replace an approval). */
  reviews?: PrReview[];
  /** The pull request's commits, oldest first; the newest ones when it has more than Stagegate reads (1,000). */
  commits?: PrCommit[];
  /** The pull request's number of commits, as GitHub counts them: more than `commits` lists when some were not read. */
  commits_total?: number;
  files: PrFile[];
  promotion?: PromotionFacts;
  freeze?: FreezeFacts;
  /** The environment's `gates` config, with defaults. */
  gates: Record<string, unknown>;
  /** Nanoseconds since the epoch, as a number (as OPA's time.now_ns would give). */
  now_ns: number;
}

export interface PrReview {
  reviewer: string;
  state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED";
  submitted_at: string;
  commit_sha: string;
  /** Given on the PR's current head commit. */
  on_current_head: boolean;
  /** Of the teams the config names (`org/slug`), those the reviewer belongs to. */
  teams: string[];
  /**
   * The reviewer's repository permission (`maintain` reads as write, `triage` as read), looked up only for
   * approvals that could count: null for other reviews, and for the author and anyone who pushed commits.
   */
  permission: "admin" | "write" | "read" | "none" | null;
}

export interface PrCommit {
  sha: string;
  author: string | null;
  committer: string | null;
  message: string;
  verified: boolean;
  /** GitHub's verification reason when not verified (`unsigned`, `unknown_key`, …). */
  verification_reason: string | null;
}

export interface PrFile {
  path: string;
  status: string;
  previous_path: string | null;
  additions: number;
  deletions: number;
  /** The environment whose paths contain this file, if any. */
  environment: string | null;
}

export interface PromotionFacts {
  source: string;
  /** Branch-per-environment: head commits not yet contained in the source branch. */
  mode: "commits" | "content";
  commits_not_in_source: string[];
  /** Content mode: files whose new content differs from the source stage's. */
  files_not_in_source: Array<{ path: string; source_path: string; reason: "missing" | "different" }>;
  /** `verified_by`: per configured entry, what its trusted sources reported on the promoted content. */
  verification: Array<{
    context: string;
    /** The entry's GitHub App (slug) and status creator (login); both null: any source is trusted. */
    app: string | null;
    creator: string | null;
    state: "success" | "failure" | "pending" | "missing";
    sha: string;
  }>;
  /** When the promoted content reached the source stage (ns), if known. */
  in_source_since_ns: number | null;
}

export interface FreezeFacts {
  frozen: boolean;
  /** Every active freeze: scheduled windows and manual freezes. */
  active: Array<{
    kind: "schedule" | "manual";
    reason: string;
    until_ns: number | null;
    by: string | null;
    url: string | null;
    /** IANA time zone to show `until_ns` in (a window's `timezone`); default UTC. */
    timezone?: string | null;
    /** For scheduled freezes: whether the window is `weekly` or `cron`. */
    window?: "weekly" | "cron" | null;
  }>;
}

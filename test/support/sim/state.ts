/**
 * In-memory GitHub state: repositories with their git objects, branches, pull
 * requests, issues, comments, check runs, statuses, permissions and teams.
 */
import { createHash } from "node:crypto";
import { GitStore, threeWayMerge, type CommitObject, type FileMap, type GitActor } from "./git.js";
import type {
  FileContent,
  Permission,
  ReviewState,
  SimCheckRun,
  SimComment,
  SimIssue,
  SimPullRequest,
  SimRepo,
  SimStatus,
  Violation,
  RequestRecord,
} from "./types.js";

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: unknown[],
  ) {
    super(message);
  }
}

/** Stable numeric id for a login, so users keep their id across runs. */
export function userId(login: string): number {
  return 1000 + (createHash("sha1").update(login).digest().readUInt32BE(0) % 9_000_000);
}

export function nodeId(kind: string, id: number): string {
  return Buffer.from(`0:${kind}${id}`).toString("base64").replace(/=+$/, "");
}

export function actor(login: string): GitActor {
  return { login, name: login, email: `${userId(login)}+${login}@users.noreply.github.com` };
}

export interface ReviewRecord {
  id: number;
  user: string;
  state: ReviewState;
  body: string;
  commitId: string;
  submittedAt: string;
}

export class PullState implements SimPullRequest {
  state: "open" | "closed" = "open";
  merged = false;
  mergeCommitSha: string | null = null;
  closedAt: string | null = null;
  reviews: ReviewRecord[] = [];
  updatedAt: string;
  private frozenHead?: string;
  private frozenBase?: string;
  constructor(
    private readonly repo: RepoState,
    readonly number: number,
    readonly id: number,
    public title: string,
    public body: string,
    readonly author: string,
    readonly headRef: string,
    public baseRef: string,
    public draft: boolean,
    readonly fork: boolean,
    public labels: string[],
    readonly createdAt: string,
  ) {
    this.updatedAt = createdAt;
  }
  get headSha(): string {
    return this.frozenHead ?? this.repo.branches.get(this.headRef) ?? "";
  }
  get baseSha(): string {
    return this.frozenBase ?? this.repo.branches.get(this.baseRef) ?? "";
  }
  /** Closed PRs stop following their branches. */
  freeze(): void {
    this.frozenHead = this.headSha;
    this.frozenBase = this.baseSha;
  }
}

export interface CheckRunRecord extends SimCheckRun {
  nodeId: string;
  repo: RepoState;
  createdAt: string;
}

export interface CommentRecord extends SimComment {
  nodeId: string;
  /** The GitHub App whose installation token made the comment; null for users. */
  appId: number | null;
}

export interface IssueRecord extends SimIssue {
  /** The GitHub App whose installation token opened the issue; null for users (and PRs). */
  appId: number | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

export class SimState {
  readonly repos = new Map<string, RepoState>();
  readonly tokens = new Map<string, { appId: number; installationId: number }>();
  readonly teams = new Map<string, Set<string>>();
  readonly checkRuns = new Map<number, CheckRunRecord>();
  readonly violations: Violation[] = [];
  requests: RequestRecord[] = [];
  /** Every blob text read through GraphQL (`rev:path`), by commit and path: tests assert what was read. */
  readonly contentReads: Array<{ sha: string; path: string }> = [];
  /** Every check-run create and update body, in order of arrival. */
  readonly checkRunWrites: Array<{ id: number; created: boolean; body: unknown }> = [];
  url = "";
  private seq = 1;
  private clock = Date.UTC(2025, 0, 1, 12, 0, 0);

  constructor(
    readonly appId: number,
    readonly appSlug: string,
  ) {}

  nextId(): number {
    return this.seq++;
  }

  /** Monotonic timestamps a second apart, so ordering by time is deterministic. */
  now(): Date {
    this.clock = Math.max(this.clock + 1000, Date.now());
    return new Date(this.clock);
  }

  get botLogin(): string {
    return `${this.appSlug}[bot]`;
  }

  /** Slug of an app by id: the simulated app's own, or a stand-in for any other app. */
  slugOf(appId: number): string {
    return appId === this.appId ? this.appSlug : `app-${appId}`;
  }

  /** The bot user an app's installation acts as. */
  botLoginOf(appId: number): string {
    return `${this.slugOf(appId)}[bot]`;
  }

  repo(owner: string, name: string): RepoState {
    const repo = this.repos.get(`${owner}/${name}`.toLowerCase());
    if (!repo) throw new HttpError(404, "Not Found");
    return repo;
  }

  createRepo(
    fullName: string,
    opts: {
      defaultBranch?: string;
      files?: Record<string, FileContent>;
      installationId?: number;
      private?: boolean;
    } = {},
  ): RepoState {
    const m = /^([A-Za-z0-9][A-Za-z0-9-]*)\/([A-Za-z0-9._-]+)$/.exec(fullName);
    if (!m) throw new Error(`createRepo: "${fullName}" is not an owner/name repository name`);
    if (this.repos.has(fullName.toLowerCase())) throw new Error(`createRepo: ${fullName} already exists`);
    const repo = new RepoState(
      this,
      m[1],
      m[2],
      this.nextId(),
      opts.defaultBranch ?? "main",
      opts.installationId ?? 1,
      opts.private ?? true,
    );
    this.repos.set(fullName.toLowerCase(), repo);
    repo.commit(repo.defaultBranch, opts.files ?? { "README.md": `# ${m[2]}\n` }, { message: "Initial commit" });
    return repo;
  }
}

export class RepoState implements SimRepo {
  readonly git = new GitStore();
  readonly branches = new Map<string, string>();
  readonly pulls = new Map<number, PullState>();
  readonly issueMap = new Map<number, IssueRecord>();
  readonly commentList: CommentRecord[] = [];
  readonly statusList: SimStatus[] = [];
  readonly permissions = new Map<string, Permission>();
  readonly createdAt: string;
  private nextNumber = 1;
  private mergeCache = new Map<string, { sha: string | null; conflicts: string[] }>();

  constructor(
    readonly sim: SimState,
    readonly owner: string,
    readonly name: string,
    readonly id: number,
    readonly defaultBranch: string,
    readonly installationId: number,
    readonly isPrivate: boolean,
  ) {
    this.createdAt = sim.now().toISOString();
    this.permissions.set(owner, "admin");
  }

  get fullName(): string {
    return `${this.owner}/${this.name}`;
  }

  /** A branch name or a (possibly abbreviated) commit sha → commit, or undefined. */
  resolve(ref: string): CommitObject | undefined {
    const clean = ref.replace(/^refs\/heads\//, "").replace(/^heads\//, "");
    const branch = this.branches.get(clean);
    if (branch) return this.git.commits.get(branch);
    if (/^[0-9a-f]{40}$/.test(ref)) return this.git.commits.get(ref);
    if (/^[0-9a-f]{7,39}$/.test(ref)) {
      for (const [sha, c] of this.git.commits) if (sha.startsWith(ref)) return c;
    }
    return undefined;
  }

  resolveOr404(ref: string): CommitObject {
    const c = this.resolve(ref);
    if (!c) throw new HttpError(404, `No commit found for SHA: ${ref}`);
    return c;
  }

  commit(
    branch: string,
    files: Record<string, FileContent | null>,
    opts: { message?: string; author?: string; verified?: boolean } = {},
  ): string {
    const parentSha = this.branches.get(branch) ?? this.branches.get(this.defaultBranch);
    const parent = parentSha ? this.git.commits.get(parentSha) : undefined;
    const tree: FileMap = new Map(parent?.files ?? []);
    for (const [path, content] of Object.entries(files)) {
      if (!path || path.startsWith("/") || path.split("/").some((p) => p === "" || p === "." || p === "..")) {
        throw new Error(`commit: invalid file path "${path}"`);
      }
      if (content === null) tree.delete(path);
      else tree.set(path, this.git.putBlob(content));
    }
    const c = this.git.putCommit(
      tree,
      parent ? [parent.sha] : [],
      opts.message ?? `Update ${Object.keys(files).join(", ")}`.slice(0, 200),
      actor(opts.author ?? this.owner),
      this.sim.now(),
      opts.verified ?? false,
    );
    this.branches.set(branch, c.sha);
    this.touchPulls(branch);
    return c.sha;
  }

  private touchPulls(branch: string): void {
    const at = this.sim.now().toISOString();
    for (const pr of this.pulls.values())
      if (pr.state === "open" && (pr.headRef === branch || pr.baseRef === branch)) pr.updatedAt = at;
  }

  createBranch(name: string, from: string): string {
    if (this.branches.has(name)) throw new Error(`createBranch: branch ${name} already exists in ${this.fullName}`);
    const c = this.resolve(from);
    if (!c) throw new Error(`createBranch: unknown ref ${from} in ${this.fullName}`);
    this.branches.set(name, c.sha);
    return c.sha;
  }

  branchSha(branch: string): string | undefined {
    return this.branches.get(branch);
  }

  readFile(ref: string, path: string): Buffer | undefined {
    const c = this.resolve(ref);
    const sha = c?.files.get(path);
    return sha ? this.git.blobs.get(sha) : undefined;
  }

  /** The next issue/PR number, or `wanted` (tests refer to #7) when it is still free. */
  private newNumber(wanted?: number): number {
    if (wanted === undefined) return this.nextNumber++;
    if (!Number.isInteger(wanted) || wanted < 1 || this.issueMap.has(wanted))
      throw new Error(`number ${wanted} is taken or invalid in ${this.fullName}`);
    this.nextNumber = Math.max(this.nextNumber, wanted + 1);
    return wanted;
  }

  openPullRequest(opts: {
    head: string;
    base: string;
    title?: string;
    body?: string;
    author?: string;
    fork?: boolean;
    draft?: boolean;
    labels?: string[];
    number?: number;
  }): PullState {
    if (!this.branches.has(opts.head)) throw new HttpError(422, `head branch ${opts.head} does not exist`);
    if (!this.branches.has(opts.base)) throw new HttpError(422, `base branch ${opts.base} does not exist`);
    if (opts.head === opts.base) throw new HttpError(422, "head and base must be different branches");
    for (const pr of this.pulls.values()) {
      if (pr.state === "open" && pr.headRef === opts.head && pr.baseRef === opts.base) {
        throw new HttpError(422, `A pull request already exists for ${this.owner}:${opts.head}.`);
      }
    }
    const number = this.newNumber(opts.number);
    const at = this.sim.now().toISOString();
    const pr = new PullState(
      this,
      number,
      this.sim.nextId(),
      opts.title ?? `Merge ${opts.head} into ${opts.base}`,
      opts.body ?? "",
      opts.author ?? this.owner,
      opts.head,
      opts.base,
      opts.draft ?? false,
      opts.fork ?? false,
      [...(opts.labels ?? [])],
      at,
    );
    this.pulls.set(number, pr);
    this.issueMap.set(number, {
      number,
      id: this.sim.nextId(),
      title: pr.title,
      body: pr.body,
      author: pr.author,
      state: "open",
      labels: pr.labels,
      isPullRequest: true,
      appId: null,
      createdAt: at,
      updatedAt: at,
      closedAt: null,
    });
    return pr;
  }

  pull(number: number): PullState {
    const pr = this.pulls.get(number);
    if (!pr) throw new HttpError(404, "Not Found");
    return pr;
  }

  pullRequest(number: number): PullState | undefined {
    return this.pulls.get(number);
  }

  /** The test merge commit GitHub computes for an open PR (null sha on conflicts). */
  testMerge(pr: PullState): { sha: string | null; conflicts: string[] } {
    const key = `${pr.baseSha}..${pr.headSha}`;
    const hit = this.mergeCache.get(key);
    if (hit) return hit;
    const base = this.git.commits.get(pr.baseSha)!;
    const head = this.git.commits.get(pr.headSha)!;
    const mbSha = this.git.mergeBase(base.sha, head.sha);
    const mb = mbSha ? this.git.commits.get(mbSha)!.files : new Map<string, string>();
    const merged = threeWayMerge(mb, base.files, head.files);
    let result: { sha: string | null; conflicts: string[] };
    if (merged.conflicts.length) result = { sha: null, conflicts: merged.conflicts };
    else {
      const c = this.git.putCommit(
        merged.files,
        [base.sha, head.sha],
        `Merge ${head.sha} into ${base.sha}`,
        actor("web-flow"),
        new Date(Date.parse(head.date)),
        true,
      );
      result = { sha: c.sha, conflicts: [] };
    }
    this.mergeCache.set(key, result);
    return result;
  }

  mergePullRequest(number: number): string {
    const pr = this.pull(number);
    if (pr.state !== "open") throw new HttpError(405, "Pull Request is not mergeable");
    const test = this.testMerge(pr);
    if (!test.sha) throw new HttpError(405, `Pull Request is not mergeable: conflicts in ${test.conflicts.join(", ")}`);
    const merge = this.git.commits.get(test.sha)!;
    const c = this.git.putCommit(
      merge.files,
      merge.parents,
      `Merge pull request #${number} from ${this.owner}/${pr.headRef}\n\n${pr.title}`,
      actor(pr.author),
      this.sim.now(),
      true,
    );
    pr.freeze();
    this.branches.set(pr.baseRef, c.sha);
    pr.state = "closed";
    pr.merged = true;
    pr.mergeCommitSha = c.sha;
    pr.closedAt = pr.updatedAt = this.sim.now().toISOString();
    const issue = this.issueMap.get(number)!;
    issue.state = "closed";
    issue.closedAt = pr.closedAt;
    return c.sha;
  }

  closePullRequest(number: number): void {
    const pr = this.pull(number);
    pr.freeze();
    pr.state = "closed";
    pr.closedAt = pr.updatedAt = this.sim.now().toISOString();
    const issue = this.issueMap.get(number)!;
    issue.state = "closed";
    issue.closedAt = pr.closedAt;
  }

  review(pr: number, user: string, state: ReviewState, opts: { body?: string; commitId?: string } = {}): void {
    const p = this.pull(pr);
    p.reviews.push({
      id: this.sim.nextId(),
      user,
      state,
      body: opts.body ?? "",
      commitId: opts.commitId ?? p.headSha,
      submittedAt: this.sim.now().toISOString(),
    });
  }

  checkRuns(sha?: string): CheckRunRecord[] {
    return [...this.sim.checkRuns.values()].filter((r) => r.repo === this && (sha === undefined || r.headSha === sha));
  }

  comments(issue: number): CommentRecord[] {
    return this.commentList.filter((c) => c.issueNumber === issue);
  }

  /** `appId` set: the comment was made through that app's installation token. */
  addComment(issue: number, user: string, body: string, appId: number | null = null): CommentRecord {
    if (!this.issueMap.has(issue)) throw new HttpError(404, "Not Found");
    const at = this.sim.now().toISOString();
    const id = this.sim.nextId();
    const c: CommentRecord = {
      id,
      nodeId: nodeId("IC_", id),
      issueNumber: issue,
      body,
      author: user,
      appId,
      createdAt: at,
      updatedAt: at,
      reactions: [],
    };
    this.commentList.push(c);
    return c;
  }

  issue(number: number): IssueRecord {
    const i = this.issueMap.get(number);
    if (!i) throw new HttpError(404, "Not Found");
    return i;
  }

  issues(): IssueRecord[] {
    return [...this.issueMap.values()];
  }

  /** `opts.appId` set: the issue was opened through that app's installation token. */
  createIssue(opts: {
    title: string;
    body?: string;
    author?: string;
    labels?: string[];
    appId?: number | null;
    number?: number;
  }): IssueRecord {
    const number = this.newNumber(opts.number);
    const at = this.sim.now().toISOString();
    const issue: IssueRecord = {
      number,
      id: this.sim.nextId(),
      title: opts.title,
      body: opts.body ?? "",
      author: opts.author ?? this.owner,
      state: "open",
      labels: [...(opts.labels ?? [])],
      isPullRequest: false,
      appId: opts.appId ?? null,
      createdAt: at,
      updatedAt: at,
      closedAt: null,
    };
    this.issueMap.set(number, issue);
    return issue;
  }

  statuses(sha?: string): SimStatus[] {
    return this.statusList.filter((s) => sha === undefined || s.sha === sha);
  }

  setPermission(user: string, permission: Permission): void {
    this.permissions.set(user, permission);
  }

  permissionOf(user: string): Permission {
    return this.permissions.get(user) ?? (this.isPrivate ? "none" : "read");
  }

  addTeamMember(org: string, team: string, user: string): void {
    const key = `${org}/${team}`.toLowerCase();
    if (!this.sim.teams.has(key)) this.sim.teams.set(key, new Set());
    this.sim.teams.get(key)!.add(user.toLowerCase());
  }
}

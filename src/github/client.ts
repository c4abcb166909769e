import { AccessGateway } from "./access.js";
import { GitDataGateway } from "./git-data.js";
import { IssuesGateway } from "./issues.js";
import type {
  ChangedFile,
  CheckAction,
  CheckConclusion,
  CheckOutput,
  CheckRunRecord,
  FileStatus,
  Octokit,
  PullRequest,
  RepoId,
  TreeEntry,
} from "./types.js";

export type { Octokit };

/** GitHub allows at most 3,000 files in a pull request's file list. */
export const MAX_PR_FILES = 3000;
/** GitHub's compare API lists at most 300 changed files. */
export const COMPARE_FILE_CAP = 300;
/** Aliased `object(expression:)` fields per GraphQL query. */
const BLOBS_PER_QUERY = 100;

/**
 * Everything Stagegate reads from and writes to GitHub for one repository,
 * returning domain types. The only file that knows octokit's payload shapes.
 */
export class GitHubClient {
  /**
   * Reads that one event needs several times (the pipeline and the policy
   * check both want the default branch, the PR and its files) are made once
   * per client; a client lives for one webhook delivery.
   */
  private readonly memo = new Map<string, Promise<unknown>>();
  /** Permissions and team memberships (memoised). */
  readonly access: AccessGateway;
  /** Comments, reactions, issues. */
  readonly issues: IssuesGateway;
  /** Commits, branches and pull requests that commands create. */
  readonly git: GitDataGateway;

  constructor(
    readonly octokit: Octokit,
    readonly repo: RepoId,
  ) {
    this.access = new AccessGateway(octokit, repo);
    this.issues = new IssuesGateway(octokit, repo);
    this.git = new GitDataGateway(octokit, repo);
  }

  /** Another repository through the same installation (org defaults, `_extends`). */
  forRepo(owner: string, repo: string): GitHubClient {
    return new GitHubClient(this.octokit, { owner, repo });
  }

  /** Submitted reviews of a pull request (paginated), oldest first as GitHub lists them. */
  async reviews(number: number): Promise<Array<{ user: string; state: string; commitId: string | null }>> {
    const list = await this.octokit.paginate(this.octokit.rest.pulls.listReviews, {
      ...this.repo,
      pull_number: number,
      per_page: 100,
    });
    return list.map((r) => ({ user: r.user?.login ?? "ghost", state: r.state, commitId: r.commit_id ?? null }));
  }

  private once<T>(key: string, fn: () => Promise<T>): Promise<T> {
    let p = this.memo.get(key) as Promise<T> | undefined;
    if (!p) {
      p = fn();
      this.memo.set(key, p);
      p.catch(() => this.memo.delete(key));
    }
    return p;
  }

  /** The default branch and its head commit, in one GraphQL request. */
  async defaultBranch(): Promise<{ name: string; sha: string }> {
    // Reuse a read made together with a file (the config), if this client already made one.
    const earlier = [...this.memo.keys()].find((k) => k.startsWith("default-branch:"));
    const { name, sha } = await (earlier
      ? (this.memo.get(earlier) as ReturnType<GitHubClient["defaultBranchWith"]>)
      : this.defaultBranchWith());
    return { name, sha };
  }

  /**
   * The default branch, its head commit, and (when asked) one file's content
   * at exactly that commit — the config read costs no request of its own.
   */
  defaultBranchWith(
    file?: string,
  ): Promise<{ name: string; sha: string; file?: { path: string; content: Uint8Array | undefined } }> {
    return this.once(`default-branch:${file ?? ""}`, async () => {
      type Blob = { oid?: string; text?: string | null; isTruncated?: boolean; isBinary?: boolean | null };
      type Res = {
        repository: {
          defaultBranchRef: { name: string; target: { oid: string; file?: { object: Blob | null } | null } } | null;
        } | null;
      };
      const fileField = file
        ? ` ... on Commit { file(path: ${JSON.stringify(file)}) { object { ... on Blob { oid text isTruncated isBinary } } } }`
        : "";
      let res: Res;
      try {
        res = await this.octokit.graphql<Res>(
          `query($owner: String!, $repo: String!) { repository(owner: $owner, name: $repo) { defaultBranchRef { name target { oid${fileField} } } } }`,
          { owner: this.repo.owner, repo: this.repo.repo },
        );
      } catch (err) {
        // GraphQL reports a missing (or invisible) repository as NOT_FOUND; callers expect REST's 404.
        if ((err as { errors?: Array<{ type?: string }> }).errors?.some((e) => e.type === "NOT_FOUND")) {
          throw Object.assign(new Error(`${this.repo.owner}/${this.repo.repo} not found`), { status: 404 });
        }
        throw err;
      }
      const ref = res.repository?.defaultBranchRef;
      // An empty repository has no default branch yet: nothing can be configured in it.
      if (!ref)
        throw Object.assign(new Error(`${this.repo.owner}/${this.repo.repo} has no default branch`), { status: 404 });
      if (!file) return { name: ref.name, sha: ref.target.oid };
      const blob = ref.target.file?.object;
      let content: Uint8Array | undefined;
      if (blob?.oid) {
        content =
          blob.isTruncated || blob.isBinary || blob.text == null
            ? await this.blob(blob.oid)
            : new TextEncoder().encode(blob.text);
      }
      return { name: ref.name, sha: ref.target.oid, file: { path: file, content } };
    });
  }

  async branchSha(branch: string): Promise<string | undefined> {
    try {
      const { data } = await this.octokit.rest.git.getRef({ ...this.repo, ref: `heads/${branch}` });
      return data.object.sha;
    } catch (err) {
      if ((err as { status?: number }).status === 404) return undefined;
      throw err;
    }
  }

  /** The PR as last read by this client; `fresh` reads it again (e.g. while GitHub computes mergeability). */
  pullRequest(number: number, opts: { fresh?: boolean } = {}): Promise<PullRequest> {
    if (opts.fresh) this.memo.delete(`pr:${number}`);
    return this.once(`pr:${number}`, async () => {
      const { data } = await this.octokit.rest.pulls.get({ ...this.repo, pull_number: number });
      return toPullRequest(data as unknown as RawPull, this.repo);
    });
  }

  async openPullRequests(base?: string): Promise<PullRequest[]> {
    const list = await this.octokit.paginate(this.octokit.rest.pulls.list, {
      ...this.repo,
      state: "open",
      per_page: 100,
      ...(base ? { base } : {}),
    });
    return (list as unknown as RawPull[]).map((p) => toPullRequest(p, this.repo));
  }

  /** The PR's changed files (paginated; GitHub lists at most 3,000). */
  pullRequestFiles(number: number): Promise<ChangedFile[]> {
    return this.once(`pr-files:${number}`, () => this.fetchPullRequestFiles(number));
  }

  private async fetchPullRequestFiles(number: number): Promise<ChangedFile[]> {
    const files = await this.octokit.paginate(this.octokit.rest.pulls.listFiles, {
      ...this.repo,
      pull_number: number,
      per_page: 100,
    });
    return files.map((f) => ({
      path: f.filename,
      status: f.status as FileStatus,
      ...(f.previous_filename ? { previousPath: f.previous_filename } : {}),
      additions: f.additions,
      deletions: f.deletions,
    }));
  }

  /** Files changed between two commits, and their merge base. */
  async compare(
    base: string,
    head: string,
  ): Promise<{ mergeBaseSha: string; aheadBy: number; behindBy: number; files: string[] }> {
    const { data } = await this.octokit.rest.repos.compareCommitsWithBasehead({
      ...this.repo,
      basehead: `${base}...${head}`,
      per_page: 100,
    });
    return {
      mergeBaseSha: data.merge_base_commit.sha,
      aheadBy: data.ahead_by,
      behindBy: data.behind_by,
      files: (data.files ?? []).map((f) => f.filename),
    };
  }

  /** Every blob of a commit's tree (one request). */
  async tree(sha: string): Promise<TreeEntry[]> {
    const { data } = await this.octokit.rest.git.getTree({ ...this.repo, tree_sha: sha, recursive: "true" });
    return data.tree
      .filter((e) => e.type === "blob" && e.path && e.sha)
      .map((e) => ({ path: e.path!, sha: e.sha!, ...(e.size !== undefined ? { size: e.size } : {}) }));
  }

  /**
   * Contents of files at a commit, in batches of aliased GraphQL
   * `object(expression:)` fields; blobs GraphQL truncates or calls binary are
   * fetched whole through the REST blobs API. Missing files map to undefined.
   */
  async readFiles(sha: string, paths: string[]): Promise<Map<string, Uint8Array | undefined>> {
    const out = new Map<string, Uint8Array | undefined>();
    for (let i = 0; i < paths.length; i += BLOBS_PER_QUERY) {
      const batch = paths.slice(i, i + BLOBS_PER_QUERY);
      const fields = batch.map(
        (p, j) =>
          `f${j}: object(expression: ${JSON.stringify(`${sha}:${p}`)}) { ... on Blob { oid text isTruncated isBinary } }`,
      );
      const query = `query($owner: String!, $repo: String!) { repository(owner: $owner, name: $repo) { ${fields.join(" ")} } }`;
      const res = await this.octokit.graphql<{ repository: Record<string, RawBlob | null> }>(query, {
        owner: this.repo.owner,
        repo: this.repo.repo,
      });
      const whole: Array<[string, string]> = [];
      batch.forEach((p, j) => {
        const blob = res.repository[`f${j}`];
        if (!blob || !blob.oid) out.set(p, undefined);
        else if (blob.isTruncated || blob.isBinary || blob.text == null) whole.push([p, blob.oid]);
        else out.set(p, new TextEncoder().encode(blob.text));
      });
      for (const [p, oid] of whole) out.set(p, await this.blob(oid));
    }
    return out;
  }

  async blob(sha: string): Promise<Uint8Array> {
    const { data } = await this.octokit.rest.git.getBlob({ ...this.repo, file_sha: sha });
    return new Uint8Array(Buffer.from(data.content, data.encoding === "base64" ? "base64" : "utf8"));
  }

  /** Check runs on a commit made by this app (GitHub filters by app id). */
  /**
   * Check runs on a commit (this app's when `appId` is given). Listed afresh
   * unless `reuse`: then an earlier listing by this client (one delivery)
   * serves — enough to find the runs an earlier delivery made.
   */
  checkRuns(sha: string, appId?: number, opts: { reuse?: boolean } = {}): Promise<CheckRunRecord[]> {
    const key = `check-runs:${sha}:${appId ?? ""}`;
    if (!opts.reuse) this.memo.delete(key);
    return this.once(key, () => this.listCheckRuns(sha, appId));
  }

  private async listCheckRuns(sha: string, appId?: number): Promise<CheckRunRecord[]> {
    const runs = await this.octokit.paginate(this.octokit.rest.checks.listForRef, {
      ...this.repo,
      ref: sha,
      per_page: 100,
      filter: "all",
      ...(appId ? { app_id: appId } : {}),
    });
    return runs.map((r) => ({
      id: r.id,
      name: r.name,
      headSha: r.head_sha,
      status: r.status,
      conclusion: r.conclusion,
      externalId: r.external_id,
      appId: r.app?.id ?? null,
    }));
  }

  /** Creates a check run, `in_progress` — or already completed when a conclusion is given. */
  async createCheckRun(input: {
    name: string;
    headSha: string;
    externalId: string;
    detailsUrl?: string;
    output?: CheckOutput;
    conclusion?: CheckConclusion;
  }): Promise<number> {
    const now = new Date().toISOString();
    const { data } = await this.octokit.rest.checks.create({
      ...this.repo,
      name: input.name,
      head_sha: input.headSha,
      external_id: input.externalId,
      started_at: now,
      ...(input.conclusion
        ? { status: "completed" as const, conclusion: input.conclusion, completed_at: now }
        : { status: "in_progress" as const }),
      ...(input.detailsUrl ? { details_url: input.detailsUrl } : {}),
      ...(input.output ? { output: input.output } : {}),
    });
    return data.id;
  }

  async updateCheckRun(
    id: number,
    input: { conclusion?: CheckConclusion; output: CheckOutput; actions?: CheckAction[] },
  ): Promise<void> {
    await this.octokit.rest.checks.update({
      ...this.repo,
      check_run_id: id,
      ...(input.conclusion
        ? { status: "completed", conclusion: input.conclusion, completed_at: new Date().toISOString() }
        : {}),
      output: input.output,
      ...(input.actions ? { actions: input.actions } : {}),
    });
  }
}

interface RawBlob {
  oid?: string;
  text?: string | null;
  isTruncated?: boolean;
  isBinary?: boolean | null;
}

interface RawPull {
  number: number;
  title: string;
  body: string | null;
  user: { login: string } | null;
  author_association: string;
  draft?: boolean;
  state: string;
  base: { ref: string; sha: string; repo: { full_name: string } | null };
  head: { ref: string; sha: string; repo: { full_name: string } | null };
  labels: Array<{ name?: string }>;
  mergeable?: boolean | null;
  merge_commit_sha: string | null;
}

function toPullRequest(p: RawPull, repo: RepoId): PullRequest {
  const full = `${repo.owner}/${repo.repo}`.toLowerCase();
  return {
    number: p.number,
    title: p.title,
    body: p.body ?? "",
    author: p.user?.login ?? "ghost",
    authorAssociation: p.author_association,
    draft: Boolean(p.draft),
    state: p.state === "open" ? "open" : "closed",
    baseRef: p.base.ref,
    baseSha: p.base.sha,
    headRef: p.head.ref,
    headSha: p.head.sha,
    fork: (p.head.repo?.full_name ?? "").toLowerCase() !== full,
    labels: p.labels.map((l) => l.name ?? "").filter(Boolean),
    mergeable: p.mergeable ?? null,
    mergeCommitSha: p.merge_commit_sha,
  };
}

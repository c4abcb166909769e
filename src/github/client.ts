import { AccessGateway } from "./access.js";
import { diffTrees } from "./change-set.js";
import { ChecksGateway } from "./checks.js";
import { readContents } from "./contents.js";
import { readEntries } from "./entries.js";
import { Memo } from "./memo.js";
import { readOpenWork, type OpenWork } from "./open-work.js";
import { readDefaultBranch, type DefaultBranchRead } from "./default-branch.js";
import { toPullRequest, type RawPull } from "./pulls.js";
import { GitDataGateway } from "./git-data.js";
import { IssuesGateway } from "./issues.js";
import type { ChangedFile, FileStatus, Octokit, PathEntry, PullRequest, RepoId, TreeEntry } from "./types.js";

export type { Octokit };

/** GitHub allows at most 3,000 files in a pull request's file list. */
export const MAX_PR_FILES = 3000;
/** GitHub's compare API lists at most 300 changed files. */
export const COMPARE_FILE_CAP = 300;

/**
 * Everything Stagegate reads from and writes to GitHub for one repository,
 * returning domain types. The only file that knows octokit's payload shapes.
 */
export class GitHubClient {
  /** Reads made once per client; a client lives for one webhook delivery. */
  private readonly memo = new Memo();
  /** Sizes of blobs as `entries` read them (`sha:path`), to size content batches. */
  private readonly sizes = new Map<string, number>();
  /** Check runs: list, create, update. */
  readonly checks: ChecksGateway;
  /** Permissions and team memberships (memoised). */
  readonly access: AccessGateway;
  /** Comments, reactions, issues. */
  readonly issues: IssuesGateway;
  /** Commits, branches and pull requests that commands create. */
  readonly git: GitDataGateway;

  constructor(
    readonly octokit: Octokit,
    readonly repo: RepoId,
    /** The installation this client acts as, when known: a job queued for another replica names it. */
    readonly installationId?: number,
  ) {
    this.checks = new ChecksGateway(octokit, repo, this.memo);
    this.access = new AccessGateway(octokit, repo);
    this.issues = new IssuesGateway(octokit, repo);
    this.git = new GitDataGateway(octokit, repo);
  }

  /** Another repository through the same installation (org defaults, `_extends`). */
  forRepo(owner: string, repo: string): GitHubClient {
    return new GitHubClient(this.octokit, { owner, repo }, this.installationId);
  }

  private once<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.memo.once(key, fn);
  }

  /** The default branch and its head commit, in one GraphQL request. */
  async defaultBranch(): Promise<{ name: string; sha: string }> {
    // Reuse a read made together with a file (the config), if this client already made one.
    const earlier = this.memo.find("default-branch:") as Promise<DefaultBranchRead> | undefined;
    const { name, sha } = await (earlier ?? this.defaultBranchWith());
    return { name, sha };
  }

  /**
   * The default branch, its head commit, and (when asked) one file's content
   * at exactly that commit — the config read costs no request of its own.
   */
  defaultBranchWith(file?: string): Promise<DefaultBranchRead> {
    return this.once(`default-branch:${file ?? ""}`, async () => (await this.readDefaultBranch(file)).branch);
  }

  private readDefaultBranch(file: string | undefined, openWork = false) {
    return readDefaultBranch(this.octokit, this.repo, { file, openWork, blob: (oid) => this.blob(oid) });
  }

  /**
   * Every open pull request and open issue, read anew on each call (a freeze opened since an earlier call must
   * be seen): an evaluation reads them once and shares them. `alongside`: a file about to be read with the
   * default branch (the config); when this client has not read it yet, that read lists the first pages too,
   * in the same GraphQL request.
   */
  openWork(alongside?: string): Promise<OpenWork> {
    const key = `default-branch:${alongside ?? ""}`;
    if (alongside === undefined || this.memo.has(key)) return readOpenWork(this.octokit, this.repo);
    const both = this.readDefaultBranch(alongside, true).catch(async (err: unknown) => {
      // GitHub answered with errors (a listing the installation may not read): the config is read apart, so
      // it stays readable, and the listings are asked for on their own, failing there if they still cannot be.
      if (!Array.isArray((err as { errors?: unknown }).errors)) throw err;
      return { branch: (await this.readDefaultBranch(alongside)).branch, openWork: undefined };
    });
    void this.once(key, async () => (await both).branch);
    return both.then((b) => readOpenWork(this.octokit, this.repo, b.openWork));
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
    if (opts.fresh) this.memo.forget(`pr:${number}`);
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

  /**
   * The pull request's complete change set. GitHub lists at most 3,000 files
   * of a pull request; when the list may be cut off, the change set is the
   * difference between the trees of the merge base and the head instead.
   * `complete` is false only when even that is out of reach (a tree too large
   * for GitHub to list), and callers must then fail closed.
   */
  pullRequestChanges(pr: PullRequest): Promise<{ files: ChangedFile[]; complete: boolean }> {
    return this.once(`pr-changes:${pr.number}:${pr.headSha}`, async () => {
      // 101 to 300 changed files: one compare request lists them all (the PR's list takes a request per 100).
      const n = pr.changedFiles;
      const compared = n !== undefined && n > 100 && n <= COMPARE_FILE_CAP ? await this.compareFiles(pr) : undefined;
      if (compared) return { files: compared, complete: true };
      const listed = await this.pullRequestFiles(pr.number);
      if (listed.length < MAX_PR_FILES) return { files: listed, complete: true };
      try {
        const { mergeBaseSha } = await this.compare(pr.baseSha, pr.headSha);
        const [base, head] = await Promise.all([this.tree(mergeBaseSha), this.tree(pr.headSha)]);
        return { files: diffTrees(base, head), complete: true };
      } catch (err) {
        if ((err as { truncatedTree?: boolean }).truncatedTree) return { files: listed, complete: false };
        throw err;
      }
    });
  }

  /**
   * The PR's changed files as the three-dot compare of its base and head lists them (what its file list
   * shows); undefined when the count differs from the PR's own (the base moved since it was read).
   */
  private async compareFiles(pr: PullRequest): Promise<ChangedFile[] | undefined> {
    const { data } = await this.octokit.rest.repos.compareCommitsWithBasehead({
      ...this.repo,
      basehead: `${pr.baseSha}...${pr.headSha}`,
      // Files come with the first page whatever its size; one commit keeps the response small.
      per_page: 1,
    });
    const files = data.files ?? [];
    if (files.length !== pr.changedFiles) return undefined;
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

  /** Kinds and sizes of the entries at `paths` of a commit, and its parents (see entries.ts). Memoised. */
  entries(sha: string, paths: string[]): Promise<{ parents: string[]; entries: Map<string, PathEntry | undefined> }> {
    return this.once(`entries:${sha}:${paths.join("\0")}`, async () => {
      const read = await readEntries(this.octokit, this.repo, sha, paths);
      for (const [path, entry] of read.entries)
        if (entry?.kind === "file") this.sizes.set(`${sha}:${path}`, entry.size);
      return read;
    });
  }

  /** Every blob of a commit's tree (one request); a tree GitHub truncates is an error, never a partial listing. */
  async tree(sha: string): Promise<TreeEntry[]> {
    const { data } = await this.octokit.rest.git.getTree({ ...this.repo, tree_sha: sha, recursive: "true" });
    if (data.truncated) {
      throw Object.assign(
        new Error(`the tree of ${sha.slice(0, 7)} has more entries than GitHub lists in one response`),
        { truncatedTree: true },
      );
    }
    return data.tree
      .filter((e) => e.type === "blob" && e.path && e.sha)
      .map((e) => ({ path: e.path!, sha: e.sha!, ...(e.size !== undefined ? { size: e.size } : {}) }));
  }

  /**
   * Contents of files at a commit, in batches of aliased GraphQL
   * `object(expression:)` fields (see contents.ts); missing files map to undefined.
   */
  readFiles(sha: string, paths: string[]): Promise<Map<string, Uint8Array | undefined>> {
    return readContents(this.octokit, this.repo, sha, paths, {
      sizeOf: (path) => this.sizes.get(`${sha}:${path}`),
      blob: (oid) => this.blob(oid),
    });
  }

  async blob(sha: string): Promise<Uint8Array> {
    const { data } = await this.octokit.rest.git.getBlob({ ...this.repo, file_sha: sha });
    return new Uint8Array(Buffer.from(data.content, data.encoding === "base64" ? "base64" : "utf8"));
  }
}

import type { CommitFact, HistoryFacts, PullFact, RunFact } from "../gate/incident-facts.js";
import type { GitHubClient } from "./client.js";
import type { Octokit, RepoId } from "./types.js";

const status = (err: unknown) => (err as { status?: number }).status;

interface RawCommit {
  sha: string;
  commit: { message: string; author: { name?: string } | null };
  author?: { login?: string } | null;
  parents: Array<{ sha: string }>;
}

const toCommit = (c: RawCommit): CommitFact => ({
  sha: c.sha,
  title: c.commit.message.split("\n")[0],
  author: c.author?.login ?? c.commit.author?.name ?? "unknown",
  parents: c.parents.map((p) => p.sha),
});

/** Branch history as incident detection and `/gate restore` read it, and the one commit a restore writes. */
export class HistoryGateway implements HistoryFacts {
  constructor(
    private readonly octokit: Octokit,
    private readonly repo: RepoId,
    private readonly client: GitHubClient,
    private readonly appId: number,
  ) {}

  async appRuns(sha: string): Promise<RunFact[]> {
    const runs = await this.client.checks.list(sha, this.appId, { reuse: true });
    return runs.map((r) => ({ id: r.id, name: r.name, status: r.status, conclusion: r.conclusion }));
  }

  async pullsOf(sha: string): Promise<PullFact[]> {
    const { data } = await this.octokit.rest.repos.listPullRequestsAssociatedWithCommit({
      ...this.repo,
      commit_sha: sha,
      per_page: 100,
    });
    return data.map((p) => ({
      number: p.number,
      baseRef: p.base.ref,
      headSha: p.head.sha,
      merged: p.merged_at !== null,
      mergeCommitSha: p.merged_at !== null ? (p.merge_commit_sha ?? null) : null,
    }));
  }

  async pullCommits(number: number): Promise<string[]> {
    const list = await this.octokit.paginate(this.octokit.rest.pulls.listCommits, {
      ...this.repo,
      pull_number: number,
      per_page: 100,
    });
    return list.map((c) => c.sha);
  }

  async history(sha: string, limit: number): Promise<CommitFact[]> {
    const { data } = await this.octokit.rest.repos.listCommits({ ...this.repo, sha, per_page: Math.min(limit, 100) });
    return (data as unknown as RawCommit[]).slice(0, limit).map(toCommit);
  }

  /**
   * Commits in `head` and not in `base` (oldest first, GitHub lists at most 250), how far `head` is behind, and the
   * merge base; undefined when GitHub no longer knows `base` (a commit garbage-collected after a force push).
   */
  async compare(
    base: string,
    head: string,
  ): Promise<
    { commits: CommitFact[]; aheadBy: number; behindBy: number; mergeBase: string; files: string[] } | undefined
  > {
    try {
      const { data } = await this.octokit.rest.repos.compareCommitsWithBasehead({
        ...this.repo,
        basehead: `${base}...${head}`,
        per_page: 100,
      });
      return {
        commits: (data.commits as unknown as RawCommit[]).map(toCommit),
        aheadBy: data.ahead_by,
        behindBy: data.behind_by,
        mergeBase: data.merge_base_commit.sha,
        files: (data.files ?? []).map((f) => f.filename),
      };
    } catch (err) {
      if (status(err) === 404) return undefined;
      throw err;
    }
  }

  /** A commit by sha (abbreviated ones too) and its tree; undefined when GitHub knows none. */
  async resolve(ref: string): Promise<{ sha: string; tree: string } | undefined> {
    try {
      const { data } = await this.octokit.rest.repos.getCommit({ ...this.repo, ref, per_page: 1 });
      return { sha: data.sha, tree: data.commit.tree.sha };
    } catch (err) {
      if (status(err) === 404 || status(err) === 422) return undefined;
      throw err;
    }
  }

  /** A commit whose tree is exactly `tree` on top of `parent`: a restore, never a rewrite. */
  async commitTree(tree: string, parent: string, message: string): Promise<string> {
    const { data } = await this.octokit.rest.git.createCommit({ ...this.repo, message, tree, parents: [parent] });
    return data.sha;
  }
}

/** The history gateway of a client's repository, for this app's check runs. */
export function historyOf(client: GitHubClient, appId: number): HistoryGateway {
  return new HistoryGateway(client.octokit, client.repo, client, appId);
}

import type { Octokit, RepoId } from "./types.js";

const status = (err: unknown) => (err as { status?: number }).status;

/** Git data and pull-request writes for `/gate promote`: commits built from blobs, branches, pull requests. */
export class GitDataGateway {
  constructor(
    private readonly octokit: Octokit,
    private readonly repo: RepoId,
  ) {}

  /** Tree sha of a commit. */
  async treeOf(commitSha: string): Promise<string> {
    const { data } = await this.octokit.rest.git.getCommit({ ...this.repo, commit_sha: commitSha });
    return data.tree.sha;
  }

  /** A commit on `parent` whose tree is `parent`'s with `entries` (blob sha, or null to delete) applied. */
  async commitFiles(
    parent: string,
    entries: Array<{ path: string; sha: string | null }>,
    message: string,
  ): Promise<string> {
    const baseTree = await this.treeOf(parent);
    const tree = await this.octokit.rest.git.createTree({
      ...this.repo,
      base_tree: baseTree,
      tree: entries.map((e) => ({ path: e.path, mode: "100644" as const, type: "blob" as const, sha: e.sha })),
    });
    const commit = await this.octokit.rest.git.createCommit({
      ...this.repo,
      message,
      tree: tree.data.sha,
      parents: [parent],
    });
    return commit.data.sha;
  }

  /** Creates a branch; false when it already exists. */
  async createBranch(name: string, sha: string): Promise<boolean> {
    try {
      await this.octokit.rest.git.createRef({ ...this.repo, ref: `refs/heads/${name}`, sha });
      return true;
    } catch (err) {
      if (status(err) === 422) return false;
      throw err;
    }
  }

  /** Opens a pull request, or finds the open one from `head` into `base` that already exists. */
  async openPull(
    head: string,
    base: string,
    title: string,
    body: string,
  ): Promise<{ number: number; htmlUrl: string; existed: boolean }> {
    try {
      const { data } = await this.octokit.rest.pulls.create({ ...this.repo, head, base, title, body });
      return { number: data.number, htmlUrl: data.html_url, existed: false };
    } catch (err) {
      if (status(err) !== 422) throw err;
      const { data } = await this.octokit.rest.pulls.list({
        ...this.repo,
        state: "open",
        head: `${this.repo.owner}:${head}`,
        base,
        per_page: 1,
      });
      if (!data[0]) throw err;
      return { number: data[0].number, htmlUrl: data[0].html_url, existed: true };
    }
  }
}

import type { Octokit } from "../github/client.js";
import type { RepoId } from "../github/types.js";

/**
 * The GitHub reads and writes the slash commands need beyond GitHubClient:
 * comments, reactions, permissions, teams, issues, Git data. Returns plain
 * shapes; octokit payloads stop here.
 */

export type Permission = "admin" | "write" | "read" | "none";
export type Reaction = "eyes" | "+1" | "-1" | "confused";

export interface IssueComment {
  id: number;
  body: string;
  author: string;
  authorType: string;
  /** The app the comment was made through; only that app can set it. */
  appId: number | null;
  createdAt: string;
  /** Edited after it was posted (by anyone: maintainers can edit the app's comments too). */
  edited?: boolean;
}

export interface IssueSummary {
  number: number;
  title: string;
  body: string;
  author: string;
  appId: number | null;
  htmlUrl: string;
  createdAt: string;
}

/** Who may do what: the two questions authorization asks GitHub. */
export interface PermissionSource {
  permission(user: string): Promise<Permission>;
  isTeamMember(org: string, slug: string, user: string): Promise<boolean>;
}

const status = (err: unknown) => (err as { status?: number }).status;

export class CommandGitHub implements PermissionSource {
  private readonly permissions = new Map<string, Promise<Permission>>();
  private readonly memberships = new Map<string, Promise<boolean>>();

  constructor(
    readonly octokit: Octokit,
    readonly repo: RepoId,
  ) {}

  /** Repository permission (`maintain` reads as write, `triage` as read); none when not a collaborator. Memoised. */
  permission(user: string): Promise<Permission> {
    const key = user.toLowerCase();
    let p = this.permissions.get(key);
    if (!p) {
      p = this.octokit.rest.repos.getCollaboratorPermissionLevel({ ...this.repo, username: user }).then(
        ({ data }) => (["admin", "write", "read"].includes(data.permission) ? (data.permission as Permission) : "none"),
        (err: unknown) => {
          if (status(err) === 404) return "none";
          throw err;
        },
      );
      this.permissions.set(key, p);
    }
    return p;
  }

  /** Active membership of `org/slug`; pending invitations and 404s are not members. Memoised. */
  isTeamMember(org: string, slug: string, user: string): Promise<boolean> {
    const key = `${org}/${slug}/${user}`.toLowerCase();
    let p = this.memberships.get(key);
    if (!p) {
      p = this.octokit.rest.teams.getMembershipForUserInOrg({ org, team_slug: slug, username: user }).then(
        ({ data }) => data.state === "active",
        (err: unknown) => {
          if (status(err) === 404) return false;
          throw err;
        },
      );
      this.memberships.set(key, p);
    }
    return p;
  }

  async react(commentId: number, content: Reaction): Promise<void> {
    await this.octokit.rest.reactions.createForIssueComment({ ...this.repo, comment_id: commentId, content });
  }

  async comment(issue: number, body: string): Promise<{ id: number; htmlUrl: string }> {
    const { data } = await this.octokit.rest.issues.createComment({ ...this.repo, issue_number: issue, body });
    return { id: data.id, htmlUrl: data.html_url };
  }

  async comments(issue: number): Promise<IssueComment[]> {
    const list = await this.octokit.paginate(this.octokit.rest.issues.listComments, {
      ...this.repo,
      issue_number: issue,
      per_page: 100,
    });
    return list.map((c) => ({
      id: c.id,
      body: c.body ?? "",
      author: c.user?.login ?? "ghost",
      authorType: c.user?.type ?? "User",
      appId: c.performed_via_github_app?.id ?? null,
      createdAt: c.created_at,
      edited: c.updated_at !== c.created_at,
    }));
  }

  /** Open issues (not pull requests) with a label. */
  async openIssues(label: string): Promise<IssueSummary[]> {
    const list = await this.octokit.paginate(this.octokit.rest.issues.listForRepo, {
      ...this.repo,
      state: "open",
      labels: label,
      per_page: 100,
    });
    return list
      .filter((i) => !i.pull_request)
      .map((i) => ({
        number: i.number,
        title: i.title,
        body: i.body ?? "",
        author: i.user?.login ?? "ghost",
        appId: i.performed_via_github_app?.id ?? null,
        htmlUrl: i.html_url,
        createdAt: i.created_at,
      }));
  }

  async createIssue(title: string, body: string, labels: string[]): Promise<{ number: number; htmlUrl: string }> {
    const { data } = await this.octokit.rest.issues.create({ ...this.repo, title, body, labels });
    return { number: data.number, htmlUrl: data.html_url };
  }

  async closeIssue(number: number): Promise<void> {
    await this.octokit.rest.issues.update({ ...this.repo, issue_number: number, state: "closed" });
  }

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

import type { IssueComment } from "../gate/access.js";
import type { IssueRecord } from "../gather/pull-facts.js";
import type { Octokit, RepoId } from "./types.js";

export type Reaction = "eyes" | "+1" | "-1" | "confused";

/** Comments, reactions and issues (freeze issues, replies to commands). */
export class IssuesGateway {
  constructor(
    private readonly octokit: Octokit,
    private readonly repo: RepoId,
  ) {}

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

  /**
   * Open issues (not pull requests), with `label` or (without one) all of them, every page: freezes are found
   * among the app's own open issues, not by a label anyone with triage rights can rename.
   */
  async openIssues(label?: string): Promise<IssueRecord[]> {
    const list = await this.octokit.paginate(this.octokit.rest.issues.listForRepo, {
      ...this.repo,
      state: "open",
      ...(label !== undefined ? { labels: label } : {}),
      per_page: 100,
    });
    return list
      .filter((i) => !i.pull_request)
      .map((i) => ({
        number: i.number,
        title: i.title,
        body: i.body ?? null,
        appId: i.performed_via_github_app?.id ?? null,
        url: i.html_url,
        createdAt: i.created_at,
        labels: (i.labels ?? []).map((l) => (typeof l === "string" ? l : (l.name ?? ""))).filter(Boolean),
      }));
  }

  /** An issue's comments (freeze records). */
  issueComments(issue: number): Promise<IssueComment[]> {
    return this.comments(issue);
  }

  async createIssue(title: string, body: string, labels: string[]): Promise<{ number: number; htmlUrl: string }> {
    const { data } = await this.octokit.rest.issues.create({ ...this.repo, title, body, labels });
    return { number: data.number, htmlUrl: data.html_url };
  }

  async closeIssue(number: number): Promise<void> {
    await this.octokit.rest.issues.update({ ...this.repo, issue_number: number, state: "closed" });
  }

  async reopenIssue(number: number): Promise<void> {
    await this.octokit.rest.issues.update({ ...this.repo, issue_number: number, state: "open" });
  }

  async addLabels(number: number, labels: string[]): Promise<void> {
    await this.octokit.rest.issues.addLabels({ ...this.repo, issue_number: number, labels });
  }

  /** The app that opened the issue (null: a person), or undefined when the issue is gone. */
  async issueApp(number: number): Promise<number | null | undefined> {
    try {
      const { data } = await this.octokit.rest.issues.get({ ...this.repo, issue_number: number });
      return data.performed_via_github_app?.id ?? null;
    } catch (err) {
      if ([404, 410].includes((err as { status?: number }).status ?? 0)) return undefined;
      throw err;
    }
  }
}

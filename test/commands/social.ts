/**
 * The parts of GitHub the slash commands use beyond the handlers' fixture:
 * comments (with `performed_via_github_app`), reactions, permissions, teams,
 * issues, Git data and pull-request creation. Plugs into GitHubFixture's
 * `override` hook, so the app's requests go through nock as in the other suites.
 */
import type { GitHubFixture } from "../handlers/github-fixture.js";

export const BOT = "stagegate[bot]";

export interface StoredComment {
  id: number;
  issue: number;
  body: string;
  user: { login: string; type: "User" | "Bot" };
  performed_via_github_app: { id: number; slug: string } | null;
  created_at: string;
}

export interface StoredIssue {
  number: number;
  title: string;
  body: string;
  labels: string[];
  state: "open" | "closed";
  user: { login: string; type: string };
  performed_via_github_app: { id: number; slug: string } | null;
}

type Reply = [number, unknown];

export class Social {
  readonly comments: StoredComment[] = [];
  readonly reactions: Array<{ commentId: number; content: string }> = [];
  readonly permissions = new Map<string, string>();
  readonly teams = new Map<string, Set<string>>();
  readonly issues: StoredIssue[] = [];
  readonly trees: any[] = [];
  readonly gitCommits: any[] = [];
  readonly refs: any[] = [];
  readonly pullsCreated: any[] = [];
  private seq = 50_000;

  constructor(readonly fx: GitHubFixture) {
    const previous = fx.override;
    fx.override = (method, path, body) => this.route(method, path, body) ?? previous?.(method, path, body);
  }

  allow(user: string, permission: "admin" | "write" | "read" | "none"): this {
    this.permissions.set(user.toLowerCase(), permission);
    return this;
  }

  member(team: string, user: string): this {
    const set = this.teams.get(team.toLowerCase()) ?? new Set<string>();
    set.add(user.toLowerCase());
    this.teams.set(team.toLowerCase(), set);
    return this;
  }

  /** A comment written by a person (or another bot) on an issue or PR. */
  userComment(issue: number, login: string, body: string, type: "User" | "Bot" = "User"): StoredComment {
    const c: StoredComment = {
      id: this.seq++,
      issue,
      body,
      user: { login, type },
      performed_via_github_app: null,
      created_at: new Date().toISOString(),
    };
    this.comments.push(c);
    return c;
  }

  appComments(issue: number): StoredComment[] {
    return this.comments.filter((c) => c.issue === issue && c.user.login === BOT);
  }

  reactionsOn(commentId: number): string[] {
    return this.reactions.filter((r) => r.commentId === commentId).map((r) => r.content);
  }

  private app() {
    return { id: this.fx.appId, slug: "stagegate" };
  }

  private route(method: string, path: string, body: any): Reply | undefined {
    const prefix = `/repos/${this.fx.owner}/${this.fx.repo}`;
    let m: RegExpExecArray | null;
    if (method === "GET" && (m = /^\/orgs\/([^/]+)\/teams\/([^/]+)\/memberships\/([^/]+)$/.exec(path))) {
      const members = this.teams.get(`${m[1]}/${m[2]}`.toLowerCase());
      return members?.has(m[3].toLowerCase())
        ? [200, { state: "active", role: "member", url: "" }]
        : [404, { message: "Not Found" }];
    }
    if (!path.startsWith(prefix + "/")) return undefined;
    const rest = path.slice(prefix.length);
    if (method === "GET" && (m = /^\/collaborators\/([^/]+)\/permission$/.exec(rest))) {
      const permission = this.permissions.get(m[1].toLowerCase());
      if (!permission) return [404, { message: "Not Found" }];
      return [200, { permission, role_name: permission, user: { login: m[1] } }];
    }
    if (method === "POST" && (m = /^\/issues\/comments\/(\d+)\/reactions$/.exec(rest))) {
      this.reactions.push({ commentId: Number(m[1]), content: body.content });
      return [201, { id: this.seq++, content: body.content, user: { login: BOT, type: "Bot" } }];
    }
    if (method === "GET" && (m = /^\/issues\/(\d+)\/comments$/.exec(rest))) {
      return [200, this.comments.filter((c) => c.issue === Number(m![1])).map((c) => this.commentJson(c))];
    }
    if (method === "POST" && (m = /^\/issues\/(\d+)\/comments$/.exec(rest))) {
      const c: StoredComment = {
        id: this.seq++,
        issue: Number(m[1]),
        body: body.body,
        user: { login: BOT, type: "Bot" },
        performed_via_github_app: this.app(),
        created_at: new Date().toISOString(),
      };
      if (c.body.length > 65_536) return [422, { message: "Body is too long (maximum is 65536 characters)" }];
      this.comments.push(c);
      return [201, this.commentJson(c)];
    }
    if (method === "GET" && rest === "/issues")
      return [200, this.issues.filter((i) => i.state === "open").map((i) => this.issueJson(i))];
    if (method === "POST" && rest === "/issues") {
      const issue: StoredIssue = {
        number: 100 + this.issues.length,
        title: body.title,
        body: body.body ?? "",
        labels: body.labels ?? [],
        state: "open",
        user: { login: BOT, type: "Bot" },
        performed_via_github_app: this.app(),
      };
      this.issues.push(issue);
      return [201, this.issueJson(issue)];
    }
    if (method === "PATCH" && (m = /^\/issues\/(\d+)$/.exec(rest))) {
      const issue = this.issues.find((i) => i.number === Number(m![1]));
      if (!issue) return [404, { message: "Not Found" }];
      if (body.state) issue.state = body.state;
      return [200, this.issueJson(issue)];
    }
    if (method === "GET" && (m = /^\/git\/commits\/([0-9a-f]+)$/.exec(rest)))
      return [200, { sha: m[1], tree: { sha: `tree-of-${m[1]}` } }];
    if (method === "POST" && rest === "/git/trees") {
      this.trees.push(body);
      return [201, { sha: "7".repeat(40), tree: [] }];
    }
    if (method === "POST" && rest === "/git/commits") {
      this.gitCommits.push(body);
      return [201, { sha: "8".repeat(40) }];
    }
    if (method === "POST" && rest === "/git/refs") {
      if (this.refs.some((r) => r.ref === body.ref)) return [422, { message: "Reference already exists" }];
      this.refs.push(body);
      return [201, { ref: body.ref, object: { sha: body.sha } }];
    }
    if (method === "POST" && rest === "/pulls") {
      this.pullsCreated.push(body);
      const number = 200 + this.pullsCreated.length;
      return [201, { number, html_url: `https://github.com/${this.fx.fullName}/pull/${number}` }];
    }
    return undefined;
  }

  private commentJson(c: StoredComment) {
    return {
      id: c.id,
      body: c.body,
      user: c.user,
      performed_via_github_app: c.performed_via_github_app,
      created_at: c.created_at,
      updated_at: c.created_at,
      html_url: `https://github.com/${this.fx.fullName}/pull/${c.issue}#issuecomment-${c.id}`,
    };
  }

  private issueJson(i: StoredIssue) {
    return {
      ...i,
      labels: i.labels.map((name) => ({ name })),
      html_url: `https://github.com/${this.fx.fullName}/issues/${i.number}`,
      created_at: new Date().toISOString(),
    };
  }
}

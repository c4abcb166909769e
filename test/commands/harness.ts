/**
 * Probot running the issue_comment handler against the GitHub simulator in-process (through nock, like the
 * handler suites): comments, reactions, permissions, teams, issues and Git data are the simulator's.
 */
import { generateKeyPairSync } from "node:crypto";
import { pino } from "pino";
import { Writable } from "node:stream";
import { Probot, ProbotOctokit } from "probot";
import { createAppState } from "../../src/handlers/context.js";
import { registerIssueComment } from "../../src/handlers/issue-comment.js";
import { GitHubClient } from "../../src/github/client.js";
import type { SimGitHub } from "../support/github.js";
import { track } from "../handlers/harness.js";
import type { CommentRecord, IssueRecord } from "../support/sim/state.js";

process.env.APP_ID = "123";

export const BOT = "stagegate[bot]";

const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});

let deliveries = 0;

/** What people and the app did on the simulated repository, as the command suites ask about it. */
export class Social {
  constructor(readonly fx: SimGitHub) {}

  allow(user: string, permission: "admin" | "write" | "read" | "none"): this {
    this.fx.repository.setPermission(user, permission);
    return this;
  }

  /** `team` is `org/slug`. */
  member(team: string, user: string): this {
    const [org, slug] = team.split("/");
    this.fx.repository.addTeamMember(org, slug, user);
    return this;
  }

  /** Members by `org/slug` (lower case), live: deleting one revokes the membership. */
  get teams(): Map<string, Set<string>> {
    return this.fx.state.teams;
  }

  /** A comment written by a person (or another bot) on an issue or PR. */
  userComment(issue: number, login: string, body: string): CommentRecord {
    return this.fx.repository.addComment(issue, login, body);
  }

  /** Comments the app made through its installation token. */
  appComments(issue: number): Array<{ id: number; body: string; performed_via_github_app: { id: number } | null }> {
    return this.fx.repository
      .comments(issue)
      .filter((c) => c.appId === this.fx.appId)
      .map((c) => ({ id: c.id, body: c.body, performed_via_github_app: c.appId ? { id: c.appId } : null }));
  }

  reactionsOn(commentId: number): string[] {
    const c = this.fx.repository.commentList.find((x) => x.id === commentId);
    return c ? c.reactions.map((r) => r.content) : [];
  }

  /** Issues (not pull requests), live. */
  get issues(): IssueRecord[] {
    return this.fx.repository.issues().filter((i) => !i.isPullRequest);
  }

  /** Bodies of the app's writes to `METHOD /repos/acme/gitops<rest>`, in order. */
  private written(method: string, rest: string): any[] {
    const request = `${method} /repos/${this.fx.fullName}${rest}`;
    return this.fx.bodies.filter((b) => b.request === request).map((b) => b.body);
  }

  get pullsCreated(): any[] {
    return this.written("POST", "/pulls");
  }

  get trees(): any[] {
    return this.written("POST", "/git/trees");
  }

  get gitCommits(): any[] {
    return this.written("POST", "/git/commits");
  }

  get refs(): any[] {
    return this.written("POST", "/git/refs");
  }
}

export interface CommandHarness {
  probot: Probot;
  fx: SimGitHub;
  social: Social;
  logs: Array<Record<string, any>>;
  /** Writes a comment as `login` on PR `pr` and delivers `issue_comment.<action>` for it. */
  say(
    login: string,
    body: string,
    opts?: { pr?: number; type?: "User" | "Bot"; action?: string; isIssue?: boolean },
  ): Promise<CommentRecord>;
  /** A GitHubClient from a brand-new Probot instance: nothing shared with the one that handled the commands. */
  freshClient(): Promise<GitHubClient>;
}

function makeProbot(fx: SimGitHub, logs: Array<Record<string, any>>): Probot {
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split("\n")) if (line.trim()) logs.push(JSON.parse(line));
      done();
    },
  });
  return new Probot({
    appId: fx.appId,
    privateKey,
    log: pino({ level: "debug" }, sink),
    // A function default applies last: Probot would otherwise re-enable throttling
    // for installation clients and space every write a second apart.
    Octokit: ProbotOctokit.defaults((options: Record<string, unknown>) => ({
      ...options,
      retry: { enabled: false },
      throttle: { enabled: false },
    })),
  });
}

export async function startCommands(
  fx: SimGitHub,
  htmlUrl = `https://github.com/${fx.fullName}`,
): Promise<CommandHarness> {
  const logs: Array<Record<string, any>> = [];
  const probot = makeProbot(fx, logs);
  await probot.load((app) => registerIssueComment(app, createAppState(app)));
  track(fx);
  const social = new Social(fx);
  return {
    probot,
    fx,
    social,
    logs,
    async say(login, body, opts = {}) {
      const pr = opts.pr ?? 7;
      const issue = opts.isIssue ? fx.repository.createIssue({ title: "an issue", author: login }).number : pr;
      const c = social.userComment(issue, login, body);
      const payload = {
        action: opts.action ?? "created",
        issue: {
          number: issue,
          ...(opts.isIssue ? {} : { pull_request: { url: `https://api.github.com/repos/${fx.fullName}/pulls/${pr}` } }),
        },
        comment: { id: c.id, body, user: { login, id: 5, type: opts.type ?? "User" } },
        repository: {
          id: fx.repository.id,
          name: fx.repo,
          full_name: fx.fullName,
          html_url: htmlUrl,
          owner: { login: fx.owner, id: 2, type: "Organization" },
          default_branch: fx.defaultBranch,
        },
        sender: { login, id: 5, type: opts.type ?? "User" },
        installation: { id: fx.installationId },
      };
      await probot.receive({ id: `comment-${++deliveries}`, name: "issue_comment", payload } as Parameters<
        Probot["receive"]
      >[0]);
      return c;
    },
    async freshClient() {
      const other = makeProbot(fx, []);
      const octokit = await other.auth(fx.installationId);
      return new GitHubClient(octokit as never, { owner: fx.owner, repo: fx.repo });
    },
  };
}

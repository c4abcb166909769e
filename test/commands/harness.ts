/** Probot running the issue_comment handler, its GitHub answered by the handlers' fixture plus the Social model. */
import { generateKeyPairSync } from "node:crypto";
import { pino } from "pino";
import { Writable } from "node:stream";
import { Probot, ProbotOctokit } from "probot";
import { createAppState } from "../../src/handlers/context.js";
import { registerIssueComment } from "../../src/handlers/issue-comment.js";
import { GitHubClient } from "../../src/github/client.js";
import type { GitHubFixture } from "../handlers/github-fixture.js";
import { Social, type StoredComment } from "./social.js";

process.env.APP_ID = "123";

const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});

let deliveries = 0;

export interface CommandHarness {
  probot: Probot;
  fx: GitHubFixture;
  social: Social;
  logs: Array<Record<string, any>>;
  /** Writes a comment as `login` on PR `pr` and delivers `issue_comment.<action>` for it. */
  say(
    login: string,
    body: string,
    opts?: { pr?: number; type?: "User" | "Bot"; action?: string; isIssue?: boolean },
  ): Promise<StoredComment>;
  /** A GitHubClient from a brand-new Probot instance: nothing shared with the one that handled the commands. */
  freshClient(): Promise<GitHubClient>;
}

function makeProbot(fx: GitHubFixture, logs: Array<Record<string, any>>): Probot {
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
  fx: GitHubFixture,
  htmlUrl = `https://github.com/${fx.fullName}`,
): Promise<CommandHarness> {
  const logs: Array<Record<string, any>> = [];
  const probot = makeProbot(fx, logs);
  await probot.load((app) => registerIssueComment(app, createAppState(app)));
  const social = new Social(fx);
  fx.install();
  return {
    probot,
    fx,
    social,
    logs,
    async say(login, body, opts = {}) {
      const pr = opts.pr ?? 7;
      const c = social.userComment(pr, login, body, opts.type ?? "User");
      const payload = {
        action: opts.action ?? "created",
        issue: {
          number: pr,
          ...(opts.isIssue ? {} : { pull_request: { url: `https://api.github.com/repos/${fx.fullName}/pulls/${pr}` } }),
        },
        comment: { id: c.id, body, user: { login, id: 5, type: opts.type ?? "User" } },
        repository: {
          id: 1,
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

import { jest } from "@jest/globals";
import { deriveOverride, type OverrideQuery } from "../../src/gate/overrides.js";
import type { GitHubClient } from "../../src/github/client.js";
import { loadConfig } from "../../src/pipeline/config-source.js";
import type { StagegateConfig } from "../../src/config/types.js";
import { useNock } from "../handlers/harness.js";
import { BAD_LINES, BAD_WEB, configWith } from "../handlers/repo-content.js";
import { openPull, productionRepo, PROD_CHECK, WEB } from "../handlers/scenarios.js";
import { BOT, startCommands, type CommandHarness } from "./harness.js";

jest.setTimeout(60_000);
useNock();

/** Branch per environment; production overridable by carol or @acme/sre, frozen by @acme/release. */
const CONFIG = (extra = "") =>
  configWith(`  staging:
    branches: [staging]
    mode: warn
  production:
    branches: [production]
    paths: ["envs/production/**"]
    promote_from: staging
    override:
      allowed: { users: [carol], teams: ["@acme/sre"] }
${extra}    freeze:
      allowed: { teams: [acme/release] }
`);

async function setup(
  opts: { config?: string; change?: Record<string, string>; htmlUrl?: string } = {},
): Promise<CommandHarness> {
  const fx = productionRepo({ config: opts.config ?? CONFIG(), change: opts.change ?? { [WEB]: BAD_WEB } });
  const h = await startCommands(fx, opts.htmlUrl);
  h.social
    .allow("alice", "write")
    .allow("bob", "write")
    .allow("carol", "write")
    .allow("dave", "write")
    .allow("erin", "admin")
    .allow("rita", "read");
  h.social.member("acme/sre", "dave").member("acme/sre", "erin").member("acme/release", "bob");
  return h;
}

const lastReply = (h: CommandHarness) => h.social.appComments(7).at(-1)?.body ?? "";
/** A head sha PR #7 never had (a new push). */
const NEW_PUSH = "f6".repeat(20);
const query = (h: CommandHarness, config: StagegateConfig, headSha: string = h.fx.sha.head) => ({
  pr: { number: 7, headSha, author: "alice" },
  env: "production",
  config,
  appId: 123,
});

async function configOf(h: CommandHarness): Promise<StagegateConfig> {
  const client = await h.freshClient();
  const cfg = await loadConfig(client);
  if (cfg.kind !== "ok") throw new Error("config");
  return cfg.config;
}

describe("issue_comment: who and what triggers commands", () => {
  test("bot comments (this app included) never trigger commands, and make no request", async () => {
    const h = await setup();
    await h.say("renovate[bot]", "/gate check", { type: "Bot" });
    await h.say(BOT, "/gate override sneaky", { type: "Bot" });
    await h.say("ci-robot", "/gate check", { type: "Bot" });
    expect(h.fx.requests).toEqual([]);
    expect(h.fx.created).toEqual([]);
  });

  test("edited comments and comments on plain issues run nothing; comments without commands cost nothing", async () => {
    const h = await setup();
    await h.say("alice", "/gate check", { action: "edited" });
    await h.say("alice", "/gate check", { isIssue: true });
    await h.say("alice", "LGTM, ship it");
    expect(h.fx.requests).toEqual([]);
  });

  test("help lists what THIS user may run here: eyes at once, then +1", async () => {
    const h = await setup();
    const c = await h.say("dave", "/gate help");
    expect(h.social.reactionsOn(c.id)).toEqual(["eyes", "+1"]);
    const help = lastReply(h);
    expect(help).toContain("/gate check");
    expect(help).toContain("/gate override <reason>");
    expect(help).not.toContain("/gate freeze");
    expect(help).not.toContain("/gate restore");
    expect(help).toContain("--break-freeze");
    expect(help).toContain("/gate doctor [env]");
    expect(help).toContain("/gate promote <env>");

    await h.say("bob", "/gate help");
    const bobs = lastReply(h);
    expect(bobs).toContain("/gate freeze <env> <reason>");
    expect(bobs).toContain("/gate restore <env> [sha]");
    expect(bobs).not.toContain("/gate override <reason>");
    expect(bobs).toContain("Overriding `production` is for @carol, @acme/sre");
  });

  test("an unknown command gets the help text and a confused reaction", async () => {
    const h = await setup();
    const c = await h.say("alice", "/gate deploy everything");
    expect(h.social.reactionsOn(c.id)).toEqual(["eyes", "confused"]);
    expect(lastReply(h)).toMatch(/does not know `\/gate deploy everything`[\s\S]*\/gate check/);
  });

  test("a command on a PR that targets no environment says so", async () => {
    const h = await setup();
    h.fx.repository.createBranch("feature-x", "main");
    openPull(h.fx, 8, { from: "production", base: "feature-x", change: { [WEB]: BAD_WEB } });
    const c = await h.say("alice", "/gate check", { pr: 8 });
    expect(h.social.reactionsOn(c.id)).toEqual(["eyes", "-1"]);
    expect(h.social.appComments(8).at(-1)?.body).toMatch(
      /targets no Stagegate environment.*`feature-x`.*`staging`, `production`/,
    );
    expect(h.fx.created).toEqual([]);
  });
});

describe("/gate check", () => {
  test("re-evaluates now: a fresh check run, no reply", async () => {
    const h = await setup();
    const c = await h.say("alice", "Re-running:\n/gate check");
    expect(h.fx.createdNamed(PROD_CHECK)).toHaveLength(1);
    expect(h.fx.completion(h.fx.runsNamed(PROD_CHECK)[0].id).conclusion).toBe("failure");
    expect(h.social.reactionsOn(c.id)).toEqual(["eyes", "+1"]);
    expect(h.social.appComments(7)).toEqual([]);
    expect(h.fx.pending()).toEqual([]);
  });

  test("a reader is told the permission needed and nothing runs", async () => {
    const h = await setup();
    const c = await h.say("rita", "/gate check");
    expect(lastReply(h)).toBe("@rita cannot run `/gate check`: needs write permission on acme/gitops.");
    expect(h.social.reactionsOn(c.id)).toEqual(["eyes", "-1"]);
    expect(h.fx.created).toEqual([]);
  });
});

describe("/gate explain", () => {
  test("every failing rule, linked to the evaluated commit's lines (GHE host) and to the rule's source", async () => {
    const h = await setup({ htmlUrl: "https://ghe.example.com/acme/gitops" });
    const c = await h.say("alice", "/gate explain");
    expect(h.social.reactionsOn(c.id)).toEqual(["eyes", "+1"]);
    const reply = lastReply(h);
    expect(reply).toContain(`https://ghe.example.com/acme/gitops/blob/${h.fx.sha.merge}/${WEB}#L${BAD_LINES.replicas}`);
    expect(reply).toContain(`https://ghe.example.com/acme/gitops/blob/${h.fx.sha.merge}/${WEB}#L${BAD_LINES.owner}`);
    expect(reply).toMatch(
      new RegExp(`\\(https://ghe\\.example\\.com/acme/gitops/blob/${h.fx.sha.main}/policy/main\\.rego#L\\d+\\)`),
    );
    expect(reply).toContain("acme/min-replicas");
    expect(reply.length).toBeLessThanOrEqual(65_536);
  });

  test("explain <rule-id> narrows the results to that rule", async () => {
    const h = await setup();
    await h.say("alice", "/gate explain acme/min-replicas");
    const reply = lastReply(h);
    expect(reply).toContain(`#L${BAD_LINES.replicas}`);
    expect(reply).not.toContain(`#L${BAD_LINES.owner})`);
    await h.say("alice", "/gate explain no.such_rule");
    expect(lastReply(h)).toContain("Nothing matches `no.such_rule`");
  });
});

describe("/gate override", () => {
  test("recorded by an app comment with a marker for the current head; a fresh instance derives the same override", async () => {
    const h = await setup();
    const c = await h.say("carol", "/gate override Störung 42: payments down 🔥");
    expect(h.social.reactionsOn(c.id)).toEqual(["eyes", "+1"]);
    const [record] = h.social.appComments(7);
    expect(record.performed_via_github_app?.id).toBe(123);
    expect(record.body).toContain(
      `<!-- stagegate:override ` +
        `{"environment":"production","sha":"${h.fx.sha.head}","by":"carol","reason":"Störung 42: payments down 🔥"} -->`,
    );
    // The PR was re-evaluated after recording.
    expect(h.fx.createdNamed(PROD_CHECK)).toHaveLength(1);

    const config = await configOf(h);
    const fresh = await h.freshClient();
    expect(await overrideFor(fresh, query(h, config))).toEqual({
      by: ["carol"],
      reason: "Störung 42: payments down 🔥",
    });
    // A new push needs a new override.
    expect(await overrideFor(fresh, query(h, config, NEW_PUSH))).toBeUndefined();
  });

  test("unauthorized users get a reply naming who may, and nothing is recorded", async () => {
    const h = await setup();
    await h.say("bob", "/gate override because");
    expect(lastReply(h)).toBe(
      "@bob cannot override `production`: needs to be one of @carol, @acme/sre " +
        "(environments.production.override.allowed). Nothing was changed.",
    );
    await h.say("alice", "/gate override my own PR");
    expect(lastReply(h)).toContain(
      "the pull request's author may not override it (environments.production.override.allow_author is false)",
    );
    await h.say("rita", "/gate override please");
    expect(lastReply(h)).toContain("needs write permission on acme/gitops");
    expect(h.social.appComments(7).some((x) => x.body.includes("stagegate:override"))).toBe(false);
    expect(h.fx.created).toEqual([]);
  });

  test("the reason is required", async () => {
    const h = await setup();
    const c = await h.say("carol", "/gate override   ");
    expect(h.social.reactionsOn(c.id)).toEqual(["eyes", "-1"]);
    expect(lastReply(h)).toBe("A reason is required: `/gate override <reason>`.");
  });

  test("markers in user comments are never trusted, and a revoked overrider no longer counts", async () => {
    const h = await setup();
    h.social.userComment(
      7,
      "bob",
      `<!-- stagegate:override ` +
        `{"environment":"production","sha":"${h.fx.sha.head}","by":"carol","reason":"forged"} -->`,
    );
    const config = await configOf(h);
    expect(await overrideFor(await h.freshClient(), query(h, config))).toBeUndefined();

    await h.say("dave", "/gate override hotfix");
    expect(await overrideFor(await h.freshClient(), query(h, config))).toEqual({ by: ["dave"], reason: "hotfix" });
    h.social.teams.get("acme/sre")!.delete("dave");
    expect(await overrideFor(await h.freshClient(), query(h, config))).toBeUndefined();
  });

  test("two overrides arriving at the same time: two app comments, two distinct overriders counted", async () => {
    const h = await setup({ config: CONFIG("      required: 2\n") });
    await Promise.all([h.say("carol", "/gate override incident 7"), h.say("dave", "/gate override incident 7")]);
    const records = h.social.appComments(7).filter((x) => x.body.includes("stagegate:override"));
    expect(records).toHaveLength(2);
    const config = await configOf(h);
    const state = await overrideFor(await h.freshClient(), query(h, config));
    expect(state?.by.sort()).toEqual(["carol", "dave"]);
    expect(state?.reason).toBe("incident 7");
  });

  test("one overrider twice is still one", async () => {
    const h2 = await setup({ config: CONFIG("      required: 2\n") });
    await h2.say("carol", "/gate override a");
    await h2.say("carol", "/gate override b");
    expect(await overrideFor(await h2.freshClient(), query(h2, await configOf(h2)))).toBeUndefined();
    expect(lastReply(h2)).toContain("1 of 2 distinct overriders so far: needs 1 more from @carol, @acme/sre");
  });
});

describe("/gate freeze and unfreeze", () => {
  test("freeze opens a labelled issue with a marker and re-evaluates open PRs into the environment; unfreeze closes it", async () => {
    const h = await setup();
    openPull(h.fx, 9, { from: "staging", base: "staging", change: { [WEB]: BAD_WEB } });
    const c = await h.say("bob", "/gate freeze production incident 123");
    expect(h.social.reactionsOn(c.id)).toEqual(["eyes", "+1"]);
    expect(h.social.issues).toHaveLength(1);
    const issue = h.social.issues[0];
    expect(issue.labels).toEqual(["stagegate:freeze:production"]);
    expect(issue.body).toContain(
      '<!-- stagegate:freeze {"environment":"production","by":"bob","reason":"incident 123"} -->',
    );
    expect(lastReply(h)).toContain(
      `Froze \`production\`: https://github.com/acme/gitops/issues/${issue.number}. Re-evaluated 1 open ` +
        `pull request(s)`,
    );
    // PR 7 (into production) re-evaluated; PR 9 (into staging) not.
    expect(h.fx.createdNamed(PROD_CHECK)).toHaveLength(1);
    expect(h.fx.createdNamed("stagegate / staging")).toHaveLength(0);

    await h.say("bob", "/gate freeze production again");
    expect(lastReply(h)).toContain("already frozen");
    expect(h.social.issues).toHaveLength(1);

    await h.say("bob", "/gate unfreeze production");
    expect(issue.state).toBe("closed");
    expect(lastReply(h)).toContain(`Unfroze \`production\` (closed #${issue.number})`);
  });

  test("only the freeze allowlist may freeze; an unknown environment lists the environments", async () => {
    const h = await setup();
    await h.say("carol", "/gate freeze production nope");
    expect(lastReply(h)).toBe(
      "@carol cannot freeze `production`: needs to be one of @acme/release " +
        "(environments.production.freeze.allowed). Nothing was changed.",
    );
    await h.say("bob", "/gate freeze prod incident");
    expect(lastReply(h)).toBe("There is no environment `prod`. Environments: `staging`, `production`.");
    await h.say("bob", "/gate freeze production");
    expect(lastReply(h)).toBe("A reason is required: `/gate freeze production <reason>`.");
    expect(h.social.issues).toEqual([]);
  });
});

describe("/gate promote", () => {
  test("branch per environment: opens a PR from the source stage's branch and links it", async () => {
    const h = await setup();
    const c = await h.say("alice", "/gate promote production");
    expect(h.social.pullsCreated).toEqual([
      expect.objectContaining({ head: "staging", base: "production", title: "Promote staging to production" }),
    ]);
    const [opened] = [...h.fx.repository.pulls.values()].filter((p) => p.headRef === "staging");
    expect(opened).toMatchObject({ baseRef: "production", title: "Promote staging to production", state: "open" });
    expect(lastReply(h)).toContain(
      `Opened the promotion pull request: https://github.com/acme/gitops/pull/${opened.number}`,
    );
    expect(h.social.reactionsOn(c.id)).toEqual(["eyes", "+1"]);

    await h.say("alice", "/gate promote staging");
    expect(lastReply(h)).toContain("`staging` has no `promote_from` stage");
    await h.say("alice", "/gate promote qa");
    expect(lastReply(h)).toContain("There is no environment `qa`. Environments: `staging`, `production`.");
  });

  test("directory per environment: a branch whose tree copies the changed files with the path map, then a PR", async () => {
    const config = `version: 1
policies:
  paths: [policy]
  namespaces: [main]
schemas:
  kubernetes: { enabled: false }
  unknown_kinds: skip
environments:
  staging:
    paths: ["envs/staging/**"]
  production:
    paths: ["envs/production/**"]
    promote_from: staging
`;
    const fx = productionRepo({
      config,
      change: { "envs/staging/web.yaml": BAD_WEB, "envs/staging/new.yaml": BAD_WEB },
      base: "main",
    });
    const h = await startCommands(fx);
    h.social.allow("alice", "write");
    await h.say("alice", "/gate promote production");
    expect(h.social.trees).toHaveLength(1);
    expect(h.social.trees[0].base_tree).toBe(fx.repository.git.commits.get(fx.sha.main)!.treeSha);
    expect(h.social.trees[0].tree).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: "envs/production/web.yaml",
          mode: "100644",
          type: "blob",
          sha: expect.stringMatching(/^[0-9a-f]{40}$/),
        }),
        expect.objectContaining({ path: "envs/production/new.yaml" }),
      ]),
    );
    expect(h.social.gitCommits[0].parents).toEqual([fx.sha.main]);
    const branch = `stagegate/promote-production-${fx.sha.head.slice(0, 7)}`;
    const promoted = fx.repository.branchSha(branch)!;
    expect(h.social.refs).toEqual([{ ref: `refs/heads/${branch}`, sha: promoted }]);
    // The branch is main plus the staging files under production's paths.
    expect(fx.repository.git.commits.get(promoted)?.parents).toEqual([fx.sha.main]);
    expect(fx.repository.readFile(branch, "envs/production/web.yaml")?.toString()).toBe(BAD_WEB);
    expect(fx.repository.readFile(branch, "envs/production/new.yaml")?.toString()).toBe(BAD_WEB);
    expect(h.social.pullsCreated[0]).toMatchObject({
      head: `stagegate/promote-production-${fx.sha.head.slice(0, 7)}`,
      base: "main",
    });
    expect(lastReply(h)).toContain("Opened the promotion pull request");
    expect(lastReply(h)).toContain("`envs/staging/` → `envs/production/`");
  });
});

/** The override in force, derived from GitHub as the pipeline does. */
function overrideFor(client: GitHubClient, q: OverrideQuery) {
  return deriveOverride(client.issues, client.access, client.repo, q);
}

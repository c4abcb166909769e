/**
 * The open pull requests and open issues an evaluation judges by (who shares the head; the app's freeze issues),
 * in one GraphQL listing that rides along with the config's read (issue 13), every page of it, and failing
 * closed when it cannot be read whole. Against the simulator, which validates every request.
 */
import { DEFAULT_CONFIG_FILE } from "../../src/config/load.js";
import { GitHubClient } from "../../src/github/client.js";
import { GitHubPullFacts } from "../../src/github/pull-facts.js";
import { freezeMarker, freezeRecord } from "../../src/gather/freeze-marker.js";
import { startApp, useNock } from "../handlers/harness.js";
import { pullRequest } from "../handlers/payloads.js";
import { configWith, GOOD_WEB } from "../handlers/repo-content.js";
import { productionRepo, PROD_CHECK, WEB } from "../handlers/scenarios.js";
import type { SimGitHub } from "../support/github.js";
import { viewerDidAuthorAnswersFalse } from "../support/sim/graphql.js";

useNock();

async function clientFor(fx: SimGitHub): Promise<GitHubClient> {
  const { probot } = await startApp(fx);
  return new GitHubClient(await probot.auth(fx.installationId), { owner: fx.owner, repo: fx.repo }, fx.installationId);
}

/** API requests made since `before` (minting the installation token aside). */
const since = (fx: SimGitHub, before: number) => fx.requests.slice(before).filter((r) => !r.includes("access_tokens"));

/** `n` more open pull requests into production, each from a branch of its own. */
function openPulls(fx: SimGitHub, n: number): void {
  for (let i = 0; i < n; i++) {
    fx.repository.createBranch(`more-${i}`, "production");
    fx.repository.commit(`more-${i}`, { [`more-${i}.txt`]: `${i}\n` });
    fx.repository.openPullRequest({ head: `more-${i}`, base: "production" });
  }
}

describe("the open work an evaluation reads", () => {
  test("rides along with the config's read: one GraphQL request for the config, pull requests and issues", async () => {
    const fx = productionRepo();
    fx.repository.createIssue({ title: "a question", author: "carol" });
    const client = await clientFor(fx);
    const before = fx.requests.length;
    const open = client.openWork(DEFAULT_CONFIG_FILE);
    const def = await client.defaultBranchWith(DEFAULT_CONFIG_FILE);
    const work = await open;
    expect(since(fx, before)).toEqual(["POST /graphql"]);
    expect(def.file?.content).toBeDefined();
    expect(work.pulls).toEqual([{ number: 7, headSha: fx.sha.head, baseRef: "production" }]);
    expect(work.issues).toEqual([
      expect.objectContaining({ title: "a question", byThisApp: false, body: "", labels: [] }),
    ]);
    expect(fx.unrouted).toEqual([]);
  });

  test("read anew on each call once the config is read: a freeze opened since is seen", async () => {
    const fx = productionRepo();
    const client = await clientFor(fx);
    await client.openWork(DEFAULT_CONFIG_FILE);
    expect((await client.openWork(DEFAULT_CONFIG_FILE)).issues).toEqual([]);
    fx.repository.createIssue({ title: "Freeze: production", author: fx.state.botLogin, appId: fx.appId });
    const before = fx.requests.length;
    const again = await client.openWork(DEFAULT_CONFIG_FILE);
    expect(since(fx, before)).toEqual(["POST /graphql"]);
    expect(again.issues.map((i) => [i.title, i.byThisApp])).toEqual([["Freeze: production", true]]);
  });

  test("every page: 150 pull requests and 250 issues in three requests, later ones only for what is left", async () => {
    const fx = productionRepo();
    openPulls(fx, 149);
    for (let i = 0; i < 249; i++) fx.repository.createIssue({ title: `issue ${i}`, author: "carol" });
    const mine = fx.repository.createIssue({ title: "Freeze: production", author: fx.state.botLogin, appId: fx.appId });
    const client = await clientFor(fx);
    const before = fx.requests.length;
    const work = await client.openWork(DEFAULT_CONFIG_FILE);
    expect(since(fx, before)).toEqual(["POST /graphql", "POST /graphql", "POST /graphql"]);
    const queries = fx.state.requests
      .slice(before)
      .filter((r) => r.graphql)
      .map((r) => String((r.body as { query: string }).query));
    expect(queries[1]).toMatch(/pullRequests\(.*issues\(/);
    expect(queries[2]).not.toMatch(/pullRequests\(/);
    expect(work.pulls).toHaveLength(150);
    expect(new Set(work.pulls.map((p) => p.number)).size).toBe(150);
    expect(work.issues).toHaveLength(250);
    expect(work.issues.filter((i) => i.byThisApp).map((i) => i.number)).toEqual([mine.number]);
    expect(fx.unrouted).toEqual([]);
  });

  test("only the app's own bot's issues are the app's: not a person's, not another app's", async () => {
    const fx = productionRepo();
    const forged = { title: "Freeze: production", labels: ["stagegate:freeze:production"] };
    fx.repository.createIssue({ ...forged, author: "mallory" });
    fx.repository.createIssue({ ...forged, author: "other-app[bot]", appId: 999 });
    const ours = fx.repository.createIssue({ ...forged, author: fx.state.botLogin, appId: fx.appId });
    const client = await clientFor(fx);
    const facts = new GitHubPullFacts(client, { open: client.openWork(DEFAULT_CONFIG_FILE), appId: fx.appId });
    const issues = await facts.openIssues();
    expect(issues.map((i) => [i.number, i.appId])).toEqual([
      [issues[0].number, null],
      [issues[1].number, null],
      [ours.number, fx.appId],
    ]);
    expect(issues[2]).toMatchObject({
      labels: ["stagegate:freeze:production"],
      url: expect.stringContaining("/issues/"),
    });
  });

  test("the app's own issue is known by its bot's databaseId when viewerDidAuthor answers false", async () => {
    const fx = productionRepo();
    viewerDidAuthorAnswersFalse.add(fx.state);
    const forged = { title: "Freeze: production", labels: ["stagegate:freeze:production"] };
    const person = fx.repository.createIssue({ ...forged, author: "mallory" });
    const other = fx.repository.createIssue({ ...forged, author: "other-app[bot]", appId: 999 });
    const ours = fx.repository.createIssue({ ...forged, author: fx.state.botLogin, appId: fx.appId });
    const client = await clientFor(fx);
    const before = fx.requests.length;
    const open = client.openWork(DEFAULT_CONFIG_FILE);
    await client.defaultBranchWith(DEFAULT_CONFIG_FILE);
    const work = await open;
    expect(since(fx, before)).toEqual(["POST /graphql"]);
    const query = String((fx.state.requests.filter((r) => r.graphql).at(-1)!.body as { query: string }).query);
    expect(query).toMatch(/viewer \{ databaseId \}.*author \{ \.\.\. on Bot \{ databaseId \} \}/);
    expect(work.issues.map((i) => [i.number, i.byThisApp])).toEqual([
      [person.number, false],
      [other.number, false],
      [ours.number, true],
    ]);
    // The same through the pages after the first (the standalone page query asks the viewer too).
    for (let i = 0; i < 100; i++) fx.repository.createIssue({ title: `issue ${i}`, author: "carol" });
    const late = fx.repository.createIssue({ ...forged, author: fx.state.botLogin, appId: fx.appId });
    const paged = await client.openWork(DEFAULT_CONFIG_FILE);
    expect(paged.issues.filter((i) => i.byThisApp).map((i) => i.number)).toEqual([ours.number, late.number]);
    expect(fx.unrouted).toEqual([]);
  });

  test("a viewer GitHub cannot answer leaves viewerDidAuthor alone to decide, one request more", async () => {
    const fx = productionRepo();
    const ours = fx.repository.createIssue({ title: "Freeze: production", author: fx.state.botLogin, appId: fx.appId });
    const other = fx.repository.createIssue({ title: "Freeze: production", author: "other-app[bot]", appId: 999 });
    // GraphQL nulls the whole answer when the root's non-null `viewer` fails.
    fx.override = (method, path, body) =>
      method === "POST" && path === "/graphql" && /viewer \{/.test(String((body as { query?: string })?.query))
        ? [200, { data: null, errors: [{ path: ["viewer"], message: "Something went wrong with the viewer" }] }]
        : undefined;
    const client = await clientFor(fx);
    const before = fx.requests.length;
    const open = client.openWork(DEFAULT_CONFIG_FILE);
    const def = await client.defaultBranchWith(DEFAULT_CONFIG_FILE);
    expect(def.file?.content).toBeDefined();
    expect((await open).issues.map((i) => [i.number, i.byThisApp])).toEqual([
      [ours.number, true],
      [other.number, false],
    ]);
    expect(since(fx, before)).toEqual(["POST /graphql", "POST /graphql"]);
    // Neither anchor readable: nothing is the app's (a limit, not a guess).
    viewerDidAuthorAnswersFalse.add(fx.state);
    expect((await client.openWork()).issues.map((i) => i.byThisApp)).toEqual([false, false]);
  });

  test("a listing answered with errors leaves the config readable and fails the listing (fail closed)", async () => {
    const fx = productionRepo();
    fx.override = (method, path, body) =>
      method === "POST" && path === "/graphql" && String((body as { query?: string })?.query).includes("issues(")
        ? [200, { data: null, errors: [{ type: "FORBIDDEN", message: "Resource not accessible by integration" }] }]
        : undefined;
    const client = await clientFor(fx);
    const open = client.openWork(DEFAULT_CONFIG_FILE);
    const def = await client.defaultBranchWith(DEFAULT_CONFIG_FILE);
    expect(def.file?.content).toBeDefined();
    await expect(open).rejects.toThrow(/Resource not accessible by integration/);
  });

  test("a listing that cannot be followed to its end fails rather than reading as complete", async () => {
    const fx = productionRepo();
    const client = await clientFor(fx);
    await client.defaultBranchWith(DEFAULT_CONFIG_FILE);
    const page = (extra: object) => ({
      data: {
        repository: {
          pullRequests: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] },
          issues: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: [], ...extra },
        },
      },
    });
    fx.override = (method, path) =>
      method === "POST" && path === "/graphql"
        ? [200, page({ pageInfo: { hasNextPage: true, endCursor: null } })]
        : undefined;
    await expect(client.openWork(DEFAULT_CONFIG_FILE)).rejects.toThrow(/only some open issues/);
    const labelled = (n: number) => ({
      number: 12,
      title: "Freeze: production",
      body: "",
      url: "https://github.com/acme/gitops/issues/12",
      createdAt: "2025-01-01T00:00:00Z",
      viewerDidAuthor: true,
      labels: { totalCount: n, nodes: [{ name: "stagegate:freeze:production" }] },
    });
    fx.override = (method, path) =>
      method === "POST" && path === "/graphql" ? [200, page({ nodes: [labelled(101)] })] : undefined;
    await expect(client.openWork(DEFAULT_CONFIG_FILE)).rejects.toThrow(/more labels than GitHub listed/);
    fx.override = (method, path) =>
      method === "POST" && path === "/graphql" ? [200, { data: { repository: { pullRequests: null } } }] : undefined;
    await expect(client.openWork(DEFAULT_CONFIG_FILE)).rejects.toThrow(/lacks the open pull requests/);
    fx.override = (method, path) =>
      method === "POST" && path === "/graphql" ? [200, page({ nodes: [labelled(1)] })] : undefined;
    expect((await client.openWork(DEFAULT_CONFIG_FILE)).issues).toHaveLength(1);
  });
});

/** PR #7 into production is clean; production may be frozen by issue. */
const CONFIG = configWith(`  production:
    branches: [production]
    paths: ["envs/production/**"]
    freeze:
      allowed: { users: [carol] }
`);
const MARK = { environment: "production", by: "carol", reason: "incident 123" };

/** PR #7, 120 open issues by people, then a freeze of production opened by `author` (the app's bot or not). */
function crowdedRepo(author: "app" | "mallory" | "other-app"): SimGitHub {
  const fx = productionRepo({ config: CONFIG, change: { [WEB]: GOOD_WEB.replace("web:1.4.0", "web:1.5.0") } });
  for (let i = 0; i < 120; i++) fx.repository.createIssue({ title: `question ${i}`, author: "carol" });
  const by =
    author === "app"
      ? { author: fx.state.botLogin, appId: fx.appId }
      : author === "other-app"
        ? { author: "other-app[bot]", appId: 999 }
        : { author: "mallory" };
  const issue = fx.repository.createIssue({
    title: "Freeze: production (incident 123)",
    body: freezeMarker(MARK),
    labels: ["stagegate:freeze:production"],
    ...by,
  });
  fx.repository.addComment(issue.number, by.author, freezeRecord(MARK, "close this issue."), by.appId ?? null);
  return fx;
}

describe("an evaluation judged by the listing", () => {
  test("the app's freeze issue after 120 other open issues freezes production; nothing is listed by REST", async () => {
    const fx = crowdedRepo("app");
    const { receive } = await startApp(fx);
    await receive("pull_request", pullRequest(fx, 7, "synchronize"));
    const [run] = fx.runsNamed(PROD_CHECK);
    expect(fx.completion(run.id)).toMatchObject({ conclusion: "failure" });
    expect(JSON.stringify(fx.completion(run.id).output)).toMatch(/frozen/);
    expect(fx.requests.filter((r) => /\/(issues|pulls)\?/.test(r))).toEqual([]);
    expect(fx.unrouted).toEqual([]);
  });

  test("the same issue opened by a person, marker, label and record alike, freezes nothing", async () => {
    const fx = crowdedRepo("mallory");
    const { receive } = await startApp(fx);
    await receive("pull_request", pullRequest(fx, 7, "synchronize"));
    const [run] = fx.runsNamed(PROD_CHECK);
    expect(fx.completion(run.id).conclusion).toBe("success");
  });

  test("with viewerDidAuthor answering false, the bot's databaseId alone still freezes production", async () => {
    const fx = crowdedRepo("app");
    viewerDidAuthorAnswersFalse.add(fx.state);
    const { receive } = await startApp(fx);
    await receive("pull_request", pullRequest(fx, 7, "synchronize"));
    const [run] = fx.runsNamed(PROD_CHECK);
    expect(fx.completion(run.id)).toMatchObject({ conclusion: "failure" });
    expect(JSON.stringify(fx.completion(run.id).output)).toMatch(/frozen/);
  });

  test.each([
    ["answering", false],
    ["not answering", true],
  ])("the same issue opened by another app's bot freezes nothing, viewerDidAuthor %s", async (_, broken) => {
    const fx = crowdedRepo("other-app");
    if (broken) viewerDidAuthorAnswersFalse.add(fx.state);
    const { receive } = await startApp(fx);
    await receive("pull_request", pullRequest(fx, 7, "synchronize"));
    const [run] = fx.runsNamed(PROD_CHECK);
    expect(fx.completion(run.id).conclusion).toBe("success");
  });

  test("a listing GitHub refuses fails the checks, saying what could not be read", async () => {
    const fx = crowdedRepo("app");
    fx.override = (method, path, body) =>
      method === "POST" && path === "/graphql" && String((body as { query?: string })?.query).includes("issues(")
        ? [200, { data: null, errors: [{ type: "FORBIDDEN", message: "Resource not accessible by integration" }] }]
        : undefined;
    const { receive } = await startApp(fx);
    await receive("pull_request", pullRequest(fx, 7, "synchronize"));
    const [run] = fx.runsNamed(PROD_CHECK);
    expect(fx.completion(run.id).conclusion).toBe("failure");
    expect(JSON.stringify(fx.completion(run.id).output)).toMatch(/Resource not accessible by integration/);
  });
});

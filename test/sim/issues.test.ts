/** Who made a comment or an issue: `performed_via_github_app` as the override and freeze checks read it. */
import { createSimulator, payloads, type Simulator, type SimRepo } from "../support/sim/index.js";
import { failure, octokitFor } from "./helpers.js";

let sim: Simulator;
let repo: SimRepo;
const owner = "acme";
const name = "provenance";
const APP = 99;
const OTHER = 555;

/** An installation token of app `appId`, minted the way Probot does: a JWT claiming `iss`. */
async function installationClient(appId: number) {
  const claims = Buffer.from(JSON.stringify({ iss: appId })).toString("base64url");
  const jwt = `eyJhbGciOiJSUzI1NiJ9.${claims}.sig`;
  const { data } = await octokitFor(sim.url, jwt).request("POST /app/installations/{installation_id}/access_tokens", {
    installation_id: 1,
  });
  return octokitFor(sim.url, data.token);
}

beforeAll(async () => {
  sim = await createSimulator({ appId: APP });
  repo = sim.createRepo(`${owner}/${name}`, { files: { "a.yaml": "a: 1\n" } });
});
afterAll(() => sim.close());
afterEach(() => expect(sim.violations).toEqual([]));

describe("performed_via_github_app", () => {
  test("comments: the app that made them, null for users; edits move updated_at", async () => {
    repo.createBranch("p", "main");
    repo.commit("p", { "p.txt": "p" });
    const pr = repo.openPullRequest({ head: "p", base: "main" });
    const human = repo.addComment(pr.number, "carol", "/gate override production hotfix");
    const ours = await installationClient(APP);
    const theirs = await installationClient(OTHER);

    const { data: mine } = await ours.rest.issues.createComment({
      owner,
      repo: name,
      issue_number: pr.number,
      body: "record",
    });
    expect(mine.user?.login).toBe("stagegate[bot]");
    expect(mine.performed_via_github_app).toMatchObject({
      id: APP,
      slug: "stagegate",
      name: "stagegate",
      node_id: expect.any(String),
      html_url: expect.any(String),
    });
    expect(mine.performed_via_github_app).toEqual(
      expect.objectContaining({
        owner: expect.objectContaining({ login: expect.any(String) }),
        created_at: expect.any(String),
        updated_at: expect.any(String),
        permissions: expect.any(Object),
        events: expect.any(Array),
      }),
    );
    expect(mine.updated_at).toBe(mine.created_at);

    const { data: other } = await theirs.rest.issues.createComment({
      owner,
      repo: name,
      issue_number: pr.number,
      body: "forged record",
    });
    expect(other.performed_via_github_app?.id).toBe(OTHER);
    expect(other.user?.login).toBe(`app-${OTHER}[bot]`);
    // another app may neither edit our comments nor we theirs
    expect(
      (await failure(theirs.rest.issues.updateComment({ owner, repo: name, comment_id: mine.id, body: "x" }))).status,
    ).toBe(403);
    expect(
      (await failure(ours.rest.issues.updateComment({ owner, repo: name, comment_id: other.id, body: "x" }))).status,
    ).toBe(403);
    // rejected requests are recorded as violations: these two were meant to be
    expect(sim.violations.splice(0).map((v) => v.message)).toEqual([
      expect.stringContaining("403"),
      expect.stringContaining("403"),
    ]);

    const { data: list } = await ours.rest.issues.listComments({ owner, repo: name, issue_number: pr.number });
    expect(list.map((c) => [c.body, c.performed_via_github_app?.id ?? null])).toEqual([
      ["/gate override production hotfix", null],
      ["record", APP],
      ["forged record", OTHER],
    ]);
    expect(list[0].performed_via_github_app).toBeNull();

    const { data: edited } = await ours.rest.issues.updateComment({
      owner,
      repo: name,
      comment_id: mine.id,
      body: "record, edited",
    });
    expect(edited.performed_via_github_app?.id).toBe(APP);
    expect(edited.updated_at).not.toBe(edited.created_at);

    // webhook payloads carry the same comment shape
    expect(
      (payloads.issueComment(repo, human.id, "created").comment as { performed_via_github_app: unknown })
        .performed_via_github_app,
    ).toBeNull();
    expect(
      (payloads.issueComment(repo, mine.id, "created").comment as { performed_via_github_app: { id: number } })
        .performed_via_github_app.id,
    ).toBe(APP);
  });

  test("issues: the app that opened them, null for users and pull requests", async () => {
    repo.createIssue({
      title: "Freeze: production (by hand)",
      labels: ["stagegate:freeze:production"],
      author: "mallory",
    });
    const ours = await installationClient(APP);
    const { data: made } = await ours.rest.issues.create({
      owner,
      repo: name,
      title: "Freeze: production (incident)",
      labels: ["stagegate:freeze:production"],
    });
    expect(made.performed_via_github_app).toMatchObject({ id: APP, slug: "stagegate" });
    expect(made.updated_at).toBe(made.created_at);
    const { data: open } = await ours.rest.issues.listForRepo({
      owner,
      repo: name,
      labels: "stagegate:freeze:production",
      state: "open",
    });
    expect(open.map((i) => [i.title, i.performed_via_github_app?.id ?? null])).toEqual([
      ["Freeze: production (incident)", APP],
      ["Freeze: production (by hand)", null],
    ]);
    const { data: closed } = await ours.rest.issues.update({
      owner,
      repo: name,
      issue_number: made.number,
      state: "closed",
    });
    expect(closed.performed_via_github_app?.id).toBe(APP);
    expect(closed.updated_at).not.toBe(closed.created_at);
    repo.createBranch("q", "main");
    repo.commit("q", { "q.txt": "q" });
    const pr = repo.openPullRequest({ head: "q", base: "main" });
    const { data: prIssue } = await ours.rest.issues.get({ owner, repo: name, issue_number: pr.number });
    expect(prIssue.performed_via_github_app).toBeNull();
  });
});

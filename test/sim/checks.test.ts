import { createSimulator, type Simulator, type SimRepo } from "../support/sim/index.js";
import { failure, octokitFor } from "./helpers.js";

let sim: Simulator;
let repo: SimRepo;
let sha: string;
const owner = "acme";
const name = "checks";
beforeAll(async () => {
  sim = await createSimulator({ appId: 99 });
  repo = sim.createRepo(`${owner}/${name}`, { files: { "a.yaml": "a: 1\n" } });
  sha = repo.branchSha("main")!;
});
afterAll(() => sim.close());
beforeEach(() => sim.violations.splice(0));

const annotation = (i: number) => ({
  path: "a.yaml",
  start_line: i + 1,
  end_line: i + 1,
  annotation_level: "failure" as const,
  message: `m${i}`,
});

describe("check runs", () => {
  test("create, update with accumulating annotations, get, list for ref", async () => {
    const gh = octokitFor(sim.url);
    const { data: created } = await gh.rest.checks.create({
      owner,
      repo: name,
      name: "stagegate / prod",
      head_sha: sha,
      status: "in_progress",
    });
    expect(created).toMatchObject({
      name: "stagegate / prod",
      head_sha: sha,
      status: "in_progress",
      conclusion: null,
      app: { id: 99 },
    });
    await gh.rest.checks.update({
      owner,
      repo: name,
      check_run_id: created.id,
      output: { title: "t", summary: "s", annotations: Array.from({ length: 50 }, (_, i) => annotation(i)) },
    });
    const { data: done } = await gh.rest.checks.update({
      owner,
      repo: name,
      check_run_id: created.id,
      conclusion: "failure",
      output: { title: "2 problems", summary: "s", annotations: [annotation(50), annotation(51)] },
      actions: [{ label: "Override", description: "Override this gate", identifier: "override" }],
    });
    expect(done).toMatchObject({
      status: "completed",
      conclusion: "failure",
      output: { title: "2 problems", annotations_count: 52 },
    });
    expect(done.completed_at).toEqual(expect.any(String));
    const anns = await gh.paginate(gh.rest.checks.listAnnotations, {
      owner,
      repo: name,
      check_run_id: created.id,
      per_page: 100,
    });
    expect(anns.map((a) => a.message)).toEqual(Array.from({ length: 52 }, (_, i) => `m${i}`));
    const { data: got } = await gh.rest.checks.get({ owner, repo: name, check_run_id: created.id });
    expect(got.conclusion).toBe("failure");

    await gh.rest.checks.create({
      owner,
      repo: name,
      name: "other",
      head_sha: sha,
      conclusion: "success",
      output: { title: "ok", summary: "fine" },
    });
    const { data: list } = await gh.rest.checks.listForRef({
      owner,
      repo: name,
      ref: "main",
      check_name: "stagegate / prod",
    });
    expect(list.total_count).toBe(1);
    expect(list.check_runs[0].id).toBe(created.id);
    const { data: byApp } = await gh.rest.checks.listForRef({ owner, repo: name, ref: sha, app_id: 12345 });
    expect(byApp.total_count).toBe(0);
    expect(
      repo
        .checkRuns(sha)
        .map((r) => r.name)
        .sort(),
    ).toEqual(["other", "stagegate / prod"]);
    expect(sim.violations).toEqual([]);
  });

  test("51 annotations in one request → 422 and a violation", async () => {
    const gh = octokitFor(sim.url);
    const res = await failure(
      gh.rest.checks.create({
        owner,
        repo: name,
        name: "x",
        head_sha: sha,
        output: { title: "t", summary: "s", annotations: Array.from({ length: 51 }, (_, i) => annotation(i)) },
      }),
    );
    expect(res.status).toBe(422);
    expect(res.data.message).toMatch(/^Invalid request\.\n\n/);
    expect(sim.violations).toHaveLength(1);
    expect(sim.violations[0]).toMatchObject({ method: "POST", path: `/repos/${owner}/${name}/check-runs` });
  });

  test("an unknown conclusion → 422", async () => {
    const gh = octokitFor(sim.url);
    const res = await failure(
      gh.rest.checks.create({ owner, repo: name, name: "x", head_sha: sha, conclusion: "green" as "success" }),
    );
    expect(res.status).toBe(422);
    expect(sim.violations[0].message).toContain("conclusion");
  });

  test("a summary of 65,536 characters → 422 (65,535 is fine)", async () => {
    const gh = octokitFor(sim.url);
    const res = await failure(
      gh.rest.checks.create({
        owner,
        repo: name,
        name: "x",
        head_sha: sha,
        output: { title: "t", summary: "x".repeat(65_536) },
      }),
    );
    expect(res.status).toBe(422);
    expect(sim.violations).toHaveLength(1);
    await gh.rest.checks.create({
      owner,
      repo: name,
      name: "x",
      head_sha: sha,
      output: { title: "t", summary: "x".repeat(65_535) },
    });
    expect(sim.violations).toHaveLength(1);
  });

  test("limits the OpenAPI description lacks: title, completed without conclusion, action sizes", async () => {
    const gh = octokitFor(sim.url);
    const check = (body: Record<string, unknown>) =>
      failure(
        gh.request("POST /repos/{owner}/{repo}/check-runs", { owner, repo: name, name: "x", head_sha: sha, ...body }),
      );
    expect((await check({ status: "completed" })).status).toBe(422);
    expect((await check({ output: { summary: "no title" } })).status).toBe(422);
    expect((await check({ actions: [{ label: "l", description: "d".repeat(41), identifier: "i" }] })).status).toBe(422);
    const four = Array.from({ length: 4 }, (_, i) => ({ label: `l${i}`, description: "d", identifier: `i${i}` }));
    expect((await check({ actions: four })).status).toBe(422);
    expect(sim.violations).toHaveLength(4);
    expect(sim.violations.map((v) => v.message).join("\n")).toMatch(/description/);
  });

  test("a check run of another app cannot be updated", async () => {
    const gh = octokitFor(sim.url);
    const { data } = await gh.rest.checks.create({ owner, repo: name, name: "mine", head_sha: sha });
    const header = Buffer.from("{}").toString("base64url");
    const jwt = `${header}.${Buffer.from(JSON.stringify({ iss: 5 })).toString("base64url")}.s`;
    const tokenRes = await fetch(`${sim.url}/app/installations/1/access_tokens`, {
      method: "POST",
      headers: { authorization: `Bearer ${jwt}` },
    });
    const other = octokitFor(sim.url, ((await tokenRes.json()) as { token: string }).token);
    expect(
      (await failure(other.rest.checks.update({ owner, repo: name, check_run_id: data.id, status: "in_progress" })))
        .status,
    ).toBe(403);
  });

  test("head_sha must be a commit of the repository", async () => {
    const gh = octokitFor(sim.url);
    expect(
      (await failure(gh.rest.checks.create({ owner, repo: name, name: "x", head_sha: "0".repeat(40) }))).status,
    ).toBe(422);
  });
});

describe("issues, comments, reactions, statuses", () => {
  test("comments, edits and reactions", async () => {
    const gh = octokitFor(sim.url);
    repo.createBranch("c", "main");
    repo.commit("c", { "c.txt": "c" });
    const pr = repo.openPullRequest({ head: "c", base: "main" });
    const user = repo.addComment(pr.number, "alice", "/gate override prod");
    const { data: c } = await gh.rest.issues.createComment({
      owner,
      repo: name,
      issue_number: pr.number,
      body: "<!-- stagegate -->\nhello",
    });
    expect(c.user?.login).toBe("stagegate[bot]");
    await gh.rest.issues.updateComment({ owner, repo: name, comment_id: c.id, body: "<!-- stagegate -->\nupdated" });
    const { data: list } = await gh.rest.issues.listComments({ owner, repo: name, issue_number: pr.number });
    expect(list.map((x) => x.body)).toEqual(["/gate override prod", "<!-- stagegate -->\nupdated"]);
    const r1 = await gh.rest.reactions.createForIssueComment({ owner, repo: name, comment_id: user.id, content: "+1" });
    const r2 = await gh.rest.reactions.createForIssueComment({ owner, repo: name, comment_id: user.id, content: "+1" });
    expect([r1.status, r2.status]).toEqual([201, 200]);
    expect(repo.comments(pr.number)[0].reactions).toEqual([
      expect.objectContaining({ content: "+1", user: "stagegate[bot]" }),
    ]);
    // the app may not edit a human's comment
    expect(
      (await failure(gh.rest.issues.updateComment({ owner, repo: name, comment_id: user.id, body: "x" }))).status,
    ).toBe(403);
    sim.violations.splice(0);
    const big = await failure(
      gh.rest.issues.createComment({ owner, repo: name, issue_number: pr.number, body: "x".repeat(65_537) }),
    );
    expect(big.status).toBe(422);
    expect(sim.violations).toHaveLength(1);
    expect(
      await gh.rest.reactions
        .createForIssueComment({ owner, repo: name, comment_id: user.id, content: "eyes" })
        .then((r) => r.status),
    ).toBe(201);
    expect(
      (
        await failure(
          gh.rest.reactions.createForIssueComment({
            owner,
            repo: name,
            comment_id: user.id,
            content: "clap" as "eyes",
          }),
        )
      ).status,
    ).toBe(422);
  });

  test("issues: create, list by label and state, update", async () => {
    const gh = octokitFor(sim.url);
    const { data: i } = await gh.rest.issues.create({
      owner,
      repo: name,
      title: "Freeze prod",
      body: "until Monday",
      labels: ["stagegate:freeze"],
    });
    await gh.rest.issues.create({ owner, repo: name, title: "Unrelated" });
    const { data: open } = await gh.rest.issues.listForRepo({
      owner,
      repo: name,
      labels: "stagegate:freeze",
      state: "open",
    });
    expect(open.map((x) => x.number)).toEqual([i.number]);
    await gh.rest.issues.update({ owner, repo: name, issue_number: i.number, state: "closed" });
    const { data: after } = await gh.rest.issues.listForRepo({
      owner,
      repo: name,
      labels: "stagegate:freeze",
      state: "open",
    });
    expect(after).toEqual([]);
    const { data: closed } = await gh.rest.issues.get({ owner, repo: name, issue_number: i.number });
    expect(closed).toMatchObject({ state: "closed", labels: [expect.objectContaining({ name: "stagegate:freeze" })] });
    expect(sim.violations).toEqual([]);
  });

  test("commit statuses and the combined status", async () => {
    const gh = octokitFor(sim.url);
    await gh.rest.repos.createCommitStatus({ owner, repo: name, sha, state: "pending", context: "ci" });
    await gh.rest.repos.createCommitStatus({ owner, repo: name, sha, state: "success", context: "ci" });
    await gh.rest.repos.createCommitStatus({ owner, repo: name, sha, state: "success", context: "lint" });
    const { data } = await gh.rest.repos.getCombinedStatusForRef({ owner, repo: name, ref: sha });
    expect(data).toMatchObject({ state: "success", total_count: 2, sha });
    expect(
      (await failure(gh.rest.repos.createCommitStatus({ owner, repo: name, sha, state: "great" as "success" }))).status,
    ).toBe(422);
  });
});

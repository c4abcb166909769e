import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { verify } from "@octokit/webhooks-methods";
import { createSimulator, deliver, payloads, type Simulator, type SimRepo } from "../support/sim/index.js";
import { octokitFor } from "./helpers.js";

let sim: Simulator;
let repo: SimRepo;
beforeAll(async () => {
  sim = await createSimulator();
  repo = sim.createRepo("acme/hooks", { installationId: 77, files: { "a.yaml": "a: 1\n" } });
});
afterAll(() => sim.close());

describe("webhook payloads", () => {
  test("pull_request opened/synchronize carry the PR, repository and installation", () => {
    repo.createBranch("f", "main");
    repo.commit("f", { "b.yaml": "b: 1\n" });
    const pr = repo.openPullRequest({ head: "f", base: "main", author: "alice" });
    const opened = payloads.pullRequest(repo, pr.number, "opened");
    expect(opened).toMatchObject({
      action: "opened",
      number: pr.number,
      pull_request: {
        number: pr.number,
        head: { sha: pr.headSha, ref: "f" },
        base: { ref: "main" },
        user: { login: "alice" },
      },
      repository: { full_name: "acme/hooks", default_branch: "main" },
      installation: { id: 77 },
      sender: { login: "alice" },
    });
    const before = pr.headSha;
    repo.commit("f", { "b.yaml": "b: 2\n" });
    expect(payloads.pullRequest(repo, pr.number, "synchronize")).toMatchObject({ before, after: pr.headSha });
  });

  test("push, check_run, check_suite, review, comment, merge_group, installation", async () => {
    const push = payloads.push(repo, "main");
    expect(push).toMatchObject({
      ref: "refs/heads/main",
      after: repo.branchSha("main"),
      head_commit: { id: repo.branchSha("main") },
    });

    const gh = octokitFor(sim.url);
    const sha = repo.branchSha("main")!;
    const { data: run } = await gh.rest.checks.create({
      owner: "acme",
      repo: "hooks",
      name: "stagegate / prod",
      head_sha: sha,
      conclusion: "failure",
      output: { title: "t", summary: "s" },
      actions: [{ label: "Override", description: "d", identifier: "override" }],
    });
    expect(payloads.checkRun(repo, run.id, "requested_action")).toMatchObject({
      requested_action: { identifier: "override" },
      check_run: { id: run.id, head_sha: sha },
    });
    expect(payloads.checkRun(repo, run.id, "rerequested")).toMatchObject({
      action: "rerequested",
      check_run: { check_suite: { head_sha: sha } },
    });
    expect(payloads.checkSuite(repo, sha, "rerequested")).toMatchObject({
      check_suite: { head_sha: sha, head_branch: "main" },
    });

    const pr = repo.pullRequest(1)!;
    repo.review(pr.number, "bob", "APPROVED");
    expect(payloads.pullRequestReview(repo, pr.number, "submitted")).toMatchObject({
      review: { state: "approved", user: { login: "bob" } },
      sender: { login: "bob" },
    });
    const c = repo.addComment(pr.number, "carol", "/gate check");
    expect(payloads.issueComment(repo, c.id, "created")).toMatchObject({
      issue: { number: pr.number, pull_request: expect.any(Object) },
      comment: { body: "/gate check", user: { login: "carol" } },
    });
    expect(payloads.mergeGroup(repo, { baseRef: "main", headSha: sha })).toMatchObject({
      action: "checks_requested",
      merge_group: { head_sha: sha, base_ref: "refs/heads/main" },
    });
    expect(payloads.installation([repo], "created")).toMatchObject({
      installation: { id: 77 },
      repositories: [{ full_name: "acme/hooks" }],
    });
  });
});

describe("deliver", () => {
  test("POSTs with event, delivery id and a signature that verifies", async () => {
    const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
    const app = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString() });
        res.writeHead(202).end();
      });
    });
    await new Promise<void>((r) => app.listen(0, "127.0.0.1", r));
    try {
      const payload = payloads.push(repo, "main");
      const res = await deliver(
        `http://127.0.0.1:${(app.address() as AddressInfo).port}/api/github/webhooks`,
        "push",
        payload,
        "s3cret",
      );
      expect(res.status).toBe(202);
      const [got] = received;
      expect(got.headers["x-github-event"]).toBe("push");
      expect(got.headers["x-github-delivery"]).toMatch(/^[0-9a-f-]{36}$/);
      expect(await verify("s3cret", got.body, String(got.headers["x-hub-signature-256"]))).toBe(true);
      expect(await verify("wrong", got.body, String(got.headers["x-hub-signature-256"]))).toBe(false);
      expect(JSON.parse(got.body)).toEqual(payload);
    } finally {
      await new Promise((r) => app.close(r));
    }
  });
});

import { createSimulator, type Simulator } from "../support/sim/index.js";
import { octokitFor } from "./helpers.js";

let sim: Simulator;
beforeAll(async () => {
  sim = await createSimulator();
});
afterAll(() => sim.close());
beforeEach(() => sim.violations.splice(0));

describe("pull requests", () => {
  test("test merge commit = base tree + the PR's changes since the merge base", async () => {
    const repo = sim.createRepo("acme/merge", { files: { "a.txt": "a\n", "b.txt": "b\n", "gone.txt": "x\n" } });
    repo.createBranch("feature", "main");
    repo.commit("feature", { "a.txt": "a from feature\n", "gone.txt": null, "new.txt": "n\n" });
    repo.commit("main", { "b.txt": "b from main\n" });
    const pr = repo.openPullRequest({ head: "feature", base: "main", title: "Feature", author: "alice" });
    const gh = octokitFor(sim.url);
    const { data } = await gh.rest.pulls.get({ owner: "acme", repo: "merge", pull_number: pr.number });
    expect(data).toMatchObject({
      number: pr.number,
      mergeable: true,
      mergeable_state: "clean",
      head: { sha: pr.headSha, ref: "feature" },
      base: { ref: "main" },
      user: { login: "alice" },
    });
    const merge = data.merge_commit_sha!;
    expect(repo.readFile(merge, "a.txt")?.toString()).toBe("a from feature\n");
    expect(repo.readFile(merge, "b.txt")?.toString()).toBe("b from main\n");
    expect(repo.readFile(merge, "new.txt")?.toString()).toBe("n\n");
    expect(repo.readFile(merge, "gone.txt")).toBeUndefined();
    const { data: mc } = await gh.rest.repos.getCommit({ owner: "acme", repo: "merge", ref: merge });
    expect(mc.parents.map((p) => p.sha)).toEqual([repo.branchSha("main"), pr.headSha]);

    const { data: files } = await gh.rest.pulls.listFiles({ owner: "acme", repo: "merge", pull_number: pr.number });
    expect(files.map((f) => [f.filename, f.status])).toEqual([
      ["a.txt", "modified"],
      ["gone.txt", "removed"],
      ["new.txt", "added"],
    ]);
    const { data: commits } = await gh.rest.pulls.listCommits({ owner: "acme", repo: "merge", pull_number: pr.number });
    expect(commits.map((c) => c.sha)).toEqual([pr.headSha]);
    expect(sim.violations).toEqual([]);
  });

  test("both sides changing a file differently is a conflict: not mergeable, no merge commit", async () => {
    const repo = sim.createRepo("acme/conflict", { files: { "a.txt": "a\n" } });
    repo.createBranch("feature", "main");
    repo.commit("feature", { "a.txt": "feature\n" });
    repo.commit("main", { "a.txt": "main\n" });
    const pr = repo.openPullRequest({ head: "feature", base: "main" });
    const { data } = await octokitFor(sim.url).rest.pulls.get({
      owner: "acme",
      repo: "conflict",
      pull_number: pr.number,
    });
    expect(data).toMatchObject({ mergeable: false, mergeable_state: "dirty", merge_commit_sha: null });
  });

  test("renames are reported with previous_filename", async () => {
    const repo = sim.createRepo("acme/rename", { files: { "old/x.yaml": "kind: A\n" } });
    repo.createBranch("mv", "main");
    repo.commit("mv", { "old/x.yaml": null, "new/x.yaml": "kind: A\n" });
    const pr = repo.openPullRequest({ head: "mv", base: "main" });
    const { data } = await octokitFor(sim.url).rest.pulls.listFiles({
      owner: "acme",
      repo: "rename",
      pull_number: pr.number,
    });
    expect(data).toEqual([
      expect.objectContaining({ filename: "new/x.yaml", status: "renamed", previous_filename: "old/x.yaml" }),
    ]);
  });

  test("250 files are paginated with Link headers (per_page capped at 100)", async () => {
    const repo = sim.createRepo("acme/many");
    repo.createBranch("big", "main");
    const files: Record<string, string> = {};
    for (let i = 0; i < 250; i++) files[`f/${String(i).padStart(3, "0")}.yaml`] = `i: ${i}\n`;
    repo.commit("big", files);
    const pr = repo.openPullRequest({ head: "big", base: "main" });
    const gh = octokitFor(sim.url);
    const first = await gh.rest.pulls.listFiles({ owner: "acme", repo: "many", pull_number: pr.number, per_page: 100 });
    expect(first.data).toHaveLength(100);
    expect(first.headers.link).toContain('rel="next"');
    expect(first.headers.link).toContain("page=3");
    const all = await gh.paginate(gh.rest.pulls.listFiles, {
      owner: "acme",
      repo: "many",
      pull_number: pr.number,
      per_page: 100,
    });
    expect(all).toHaveLength(250);
    expect(new Set(all.map((f) => f.filename)).size).toBe(250);
    sim.resetRequests();
    const capped = await gh.rest.pulls.listFiles({
      owner: "acme",
      repo: "many",
      pull_number: pr.number,
      per_page: 1000,
    });
    expect(capped.data).toHaveLength(100);
    expect(sim.requests).toEqual([
      {
        method: "GET",
        path: expect.stringContaining("/pulls/1/files"),
        route: "/repos/{owner}/{repo}/pulls/{pull_number}/files",
        status: 200,
        graphql: false,
      },
    ]);
  });

  test("list open pulls by base, reviews, and create a pull request", async () => {
    const repo = sim.createRepo("acme/list");
    repo.createBranch("one", "main");
    repo.commit("one", { "1.txt": "1" });
    repo.createBranch("two", "main");
    repo.commit("two", { "2.txt": "2" });
    repo.createBranch("staging", "main");
    const a = repo.openPullRequest({ head: "one", base: "main" });
    repo.openPullRequest({ head: "two", base: "staging" });
    repo.review(a.number, "bob", "APPROVED");
    const gh = octokitFor(sim.url);
    const { data } = await gh.rest.pulls.list({ owner: "acme", repo: "list", state: "open", base: "main" });
    expect(data.map((p) => p.number)).toEqual([a.number]);
    const { data: reviews } = await gh.rest.pulls.listReviews({ owner: "acme", repo: "list", pull_number: a.number });
    expect(reviews).toEqual([
      expect.objectContaining({
        state: "APPROVED",
        user: expect.objectContaining({ login: "bob" }),
        commit_id: a.headSha,
      }),
    ]);
    repo.createBranch("three", "main");
    repo.commit("three", { "3.txt": "3" });
    const { data: created } = await gh.rest.pulls.create({
      owner: "acme",
      repo: "list",
      head: "three",
      base: "main",
      title: "Promote",
    });
    expect(created).toMatchObject({ title: "Promote", state: "open", head: { ref: "three" } });
    expect(repo.pullRequest(created.number)?.headRef).toBe("three");
    expect(sim.violations).toEqual([]);
  });

  test("the PR head follows its branch; merging moves the base", async () => {
    const repo = sim.createRepo("acme/follow");
    repo.createBranch("f", "main");
    const pr = repo.openPullRequest({ head: "f", base: "main" });
    const sha = repo.commit("f", { "x.txt": "x" });
    expect(pr.headSha).toBe(sha);
    const merged = repo.mergePullRequest(pr.number);
    expect(repo.branchSha("main")).toBe(merged);
    expect(repo.pullRequest(pr.number)).toMatchObject({ state: "closed", merged: true });
    expect(repo.readFile("main", "x.txt")?.toString()).toBe("x");
  });
});

import { createSimulator, type Simulator } from "../support/sim/index.js";
import { failure, octokitFor } from "./helpers.js";

let sim: Simulator;
beforeAll(async () => {
  sim = await createSimulator();
});
afterAll(() => sim.close());
beforeEach(() => sim.violations.splice(0));

describe("repositories and git", () => {
  test("repo, contents, trees, blobs, refs, commits, branches", async () => {
    const repo = sim.createRepo("acme/gitops", {
      files: { "apps/web/deploy.yaml": "kind: Deployment\n", "README.md": "hi\n" },
    });
    const gh = octokitFor(sim.url);
    const { data: r } = await gh.rest.repos.get({ owner: "acme", repo: "gitops" });
    expect(r).toMatchObject({
      full_name: "acme/gitops",
      default_branch: "main",
      private: true,
      owner: { login: "acme" },
    });

    const { data: file } = await gh.rest.repos.getContent({
      owner: "acme",
      repo: "gitops",
      path: "apps/web/deploy.yaml",
      ref: "main",
    });
    expect(Array.isArray(file)).toBe(false);
    const f = file as { content: string; sha: string; encoding: string };
    expect(Buffer.from(f.content, "base64").toString()).toBe("kind: Deployment\n");
    const { data: dir } = await gh.rest.repos.getContent({ owner: "acme", repo: "gitops", path: "apps" });
    expect((dir as Array<{ name: string; type: string }>).map((e) => [e.name, e.type])).toEqual([["web", "dir"]]);
    expect((await failure(gh.rest.repos.getContent({ owner: "acme", repo: "gitops", path: "nope.yaml" }))).status).toBe(
      404,
    );

    const { data: tree } = await gh.rest.git.getTree({
      owner: "acme",
      repo: "gitops",
      tree_sha: "main",
      recursive: "1",
    });
    expect(tree.tree.map((e) => `${e.type}:${e.path}`)).toEqual([
      "blob:README.md",
      "tree:apps",
      "tree:apps/web",
      "blob:apps/web/deploy.yaml",
    ]);
    const blob = tree.tree.find((e) => e.path === "apps/web/deploy.yaml")!;
    expect(blob.sha).toBe(f.sha);
    const { data: b } = await gh.rest.git.getBlob({ owner: "acme", repo: "gitops", file_sha: blob.sha! });
    expect(Buffer.from(b.content, "base64").toString()).toBe("kind: Deployment\n");

    const sha = repo.commit(
      "main",
      { "apps/web/deploy.yaml": "kind: Deployment\nmetadata: {}\n" },
      { message: "edit", verified: true },
    );
    const { data: c } = await gh.rest.repos.getCommit({ owner: "acme", repo: "gitops", ref: sha });
    expect(c.commit.verification).toMatchObject({ verified: true, reason: "valid" });
    expect(c.files?.map((x) => [x.filename, x.status, x.additions, x.deletions])).toEqual([
      ["apps/web/deploy.yaml", "modified", 1, 0],
    ]);

    const { data: br } = await gh.rest.repos.getBranch({ owner: "acme", repo: "gitops", branch: "main" });
    expect(br.commit.sha).toBe(sha);
    const { data: ref } = await gh.rest.git.getRef({ owner: "acme", repo: "gitops", ref: "heads/main" });
    expect(ref.object.sha).toBe(sha);
    await gh.rest.git.createRef({ owner: "acme", repo: "gitops", ref: "refs/heads/feature/x", sha });
    expect(repo.branchSha("feature/x")).toBe(sha);
    expect(sim.violations).toEqual([]);
    expect(
      (await failure(gh.rest.git.createRef({ owner: "acme", repo: "gitops", ref: "refs/heads/feature/x", sha })))
        .status,
    ).toBe(422);
  });

  test("blob shas are git's", async () => {
    const repo = sim.createRepo("acme/hash", { files: { "a.txt": "hello\n" } });
    const gh = octokitFor(sim.url);
    const { data } = await gh.rest.repos.getContent({ owner: "acme", repo: "hash", path: "a.txt" });
    // `printf 'hello\n' | git hash-object --stdin`
    expect((data as { sha: string }).sha).toBe("ce013625030ba8dba906f756967f9e9ca394464a");
    expect(repo.readFile("main", "a.txt")?.toString()).toBe("hello\n");
    const raw = await gh.rest.repos.getContent({
      owner: "acme",
      repo: "hash",
      path: "a.txt",
      mediaType: { format: "raw" },
    });
    expect(String(raw.data)).toBe("hello\n");
  });

  test("compare reports ahead/behind and the changed files", async () => {
    const repo = sim.createRepo("acme/cmp", { files: { "a.txt": "1\n" } });
    repo.createBranch("dev", "main");
    repo.commit("dev", { "b.txt": "new\n" });
    repo.commit("dev", { "a.txt": null });
    repo.commit("main", { "c.txt": "main only\n" });
    const gh = octokitFor(sim.url);
    const { data } = await gh.rest.repos.compareCommitsWithBasehead({
      owner: "acme",
      repo: "cmp",
      basehead: "main...dev",
    });
    expect(data).toMatchObject({ status: "diverged", ahead_by: 2, behind_by: 1, total_commits: 2 });
    expect(data.files?.map((f) => [f.filename, f.status])).toEqual([
      ["a.txt", "removed"],
      ["b.txt", "added"],
    ]);
  });

  test("permissions and team membership", async () => {
    const repo = sim.createRepo("acme/perm");
    repo.setPermission("alice", "write");
    repo.addTeamMember("acme", "platform", "alice");
    const gh = octokitFor(sim.url);
    const { data } = await gh.rest.repos.getCollaboratorPermissionLevel({
      owner: "acme",
      repo: "perm",
      username: "alice",
    });
    expect(data.permission).toBe("write");
    const { data: none } = await gh.rest.repos.getCollaboratorPermissionLevel({
      owner: "acme",
      repo: "perm",
      username: "mallory",
    });
    expect(none.permission).toBe("none");
    const { data: m } = await gh.rest.teams.getMembershipForUserInOrg({
      org: "acme",
      team_slug: "platform",
      username: "alice",
    });
    expect(m.state).toBe("active");
    expect(
      (await failure(gh.rest.teams.getMembershipForUserInOrg({ org: "acme", team_slug: "platform", username: "bob" })))
        .status,
    ).toBe(404);
  });

  test("unknown routes and missing auth are rejected and recorded", async () => {
    const gh = octokitFor(sim.url);
    const res = await failure(gh.request("GET /repos/{owner}/{repo}/no-such-thing", { owner: "acme", repo: "gitops" }));
    expect(res.status).toBe(404);
    expect(sim.violations).toEqual([
      { method: "GET", path: "/repos/acme/gitops/no-such-thing", message: expect.stringContaining("no such route") },
    ]);
    const anon = await fetch(`${sim.url}/repos/acme/gitops`);
    expect(anon.status).toBe(401);
    expect(sim.violations).toHaveLength(2);
  });

  test("bad query parameters are rejected like GitHub", async () => {
    const gh = octokitFor(sim.url);
    const res = await failure(
      gh.request("GET /repos/{owner}/{repo}/pulls", { owner: "acme", repo: "gitops", state: "bogus" as "open" }),
    );
    expect(res.status).toBe(422);
    expect(res.data.message).toMatch(/^Invalid request\.\n\n/);
    expect(sim.violations).toHaveLength(1);
  });

  test("installation tokens are minted for a JWT and carry the app id", async () => {
    const repo = sim.createRepo("acme/auth");
    const header = Buffer.from(JSON.stringify({ alg: "RS256" })).toString("base64url");
    const claims = Buffer.from(JSON.stringify({ iss: 777, iat: 1, exp: 2 })).toString("base64url");
    const jwt = `${header}.${claims}.sig`;
    const res = await fetch(`${sim.url}/app/installations/${repo.installationId}/access_tokens`, {
      method: "POST",
      headers: { authorization: `Bearer ${jwt}` },
    });
    expect(res.status).toBe(201);
    const { token } = (await res.json()) as { token: string };
    const gh = octokitFor(sim.url, token);
    const { data } = await gh.rest.checks.create({
      owner: "acme",
      repo: "auth",
      name: "x",
      head_sha: repo.branchSha("main")!,
    });
    expect(data.app?.id).toBe(777);
    expect(repo.checkRuns()[0].appId).toBe(777);
    // installation tokens cannot mint tokens
    const again = await fetch(`${sim.url}/app/installations/1/access_tokens`, {
      method: "POST",
      headers: { authorization: `token ${token}` },
    });
    expect(again.status).toBe(401);
  });
});

describe("GitHub App authentication through Probot's Octokit", () => {
  test("an app JWT is exchanged for an installation token that check runs are attributed to", async () => {
    const { generateKeyPairSync } = await import("node:crypto");
    const { ProbotOctokit } = await import("probot");
    const { privateKey } = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs1", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    });
    const repo = sim.createRepo("acme/appauth", { installationId: 31 });
    const gh = new ProbotOctokit({
      auth: { appId: 31337, privateKey, installationId: 31 },
      baseUrl: sim.url,
      retry: { enabled: false },
      throttle: { enabled: false },
    } as ConstructorParameters<typeof ProbotOctokit>[0]);
    const { data } = await gh.rest.checks.create({
      owner: "acme",
      repo: "appauth",
      name: "gate",
      head_sha: repo.branchSha("main")!,
    });
    expect(data.app?.id).toBe(31337);
    expect(
      sim.requests.some((r) => r.route === "/app/installations/{installation_id}/access_tokens" && r.status === 201),
    ).toBe(true);
  });
});

import { createSimulator, type Simulator, type SimRepo } from "../support/sim/index.js";
import { MAX_BLOB_TEXT } from "../support/sim/graphql.js";
import { octokitFor } from "./helpers.js";

let sim: Simulator;
let repo: SimRepo;
beforeAll(async () => {
  sim = await createSimulator();
  repo = sim.createRepo("acme/gql", {
    files: {
      "a.yaml": "a: 1\n",
      "big.txt": "x".repeat(MAX_BLOB_TEXT + 10),
      "img.png": new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]),
    },
  });
});
afterAll(() => sim.close());
beforeEach(() => sim.violations.splice(0));

async function post(query: string, variables?: Record<string, unknown>) {
  const res = await fetch(`${sim.url}/graphql`, {
    method: "POST",
    headers: { authorization: "token t", "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as { data?: any; errors?: Array<{ message: string }> } };
}

describe("GraphQL", () => {
  test("Commit.file(path:) on the default branch's head: a blob, or null when missing", async () => {
    const gh = octokitFor(sim.url);
    const q = (path: string) =>
      gh.graphql<any>(
        `query($owner: String!, $name: String!) { repository(owner: $owner, name: $name) { defaultBranchRef ` +
          `{ name target { oid ... on Commit { file(path: ${JSON.stringify(path)}) { path object { ... on ` +
          `Blob { text } } } } } } } }`,
        {
          owner: "acme",
          name: "gql",
        },
      );
    const found = (await q("a.yaml")).repository.defaultBranchRef.target;
    expect(found).toEqual({ oid: repo.branchSha("main"), file: { path: "a.yaml", object: { text: "a: 1\n" } } });
    expect((await q("nope.yaml")).repository.defaultBranchRef.target.file).toBeNull();
    expect(sim.violations).toEqual([]);
  });

  test("batched aliased object(expression:) reads: text, truncated, binary, missing", async () => {
    const sha = repo.branchSha("main")!;
    const gh = octokitFor(sim.url);
    const data = await gh.graphql<any>(
      `query($owner: String!, $name: String!) {
        repository(owner: $owner, name: $name) {
          defaultBranchRef { name target { oid } }
          f0: object(expression: "${sha}:a.yaml") { __typename ... on Blob { oid text byteSize isBinary isTruncated } }
          f1: object(expression: "${sha}:big.txt") { ... on Blob { text byteSize isTruncated } }
          f2: object(expression: "${sha}:img.png") { ... on Blob { text isBinary } }
          f3: object(expression: "${sha}:missing.yaml") { ... on Blob { text } }
          c: object(expression: "main") { __typename ... on Commit { oid } }
        }
        rateLimit { cost remaining }
      }`,
      { owner: "acme", name: "gql" },
    );
    const r = data.repository;
    expect(r.defaultBranchRef).toEqual({ name: "main", target: { oid: sha } });
    expect(r.f0).toEqual({
      __typename: "Blob",
      oid: expect.stringMatching(/^[0-9a-f]{40}$/),
      text: "a: 1\n",
      byteSize: 5,
      isBinary: false,
      isTruncated: false,
    });
    expect(r.f1.isTruncated).toBe(true);
    expect(r.f1.byteSize).toBe(MAX_BLOB_TEXT + 10);
    expect(r.f1.text).toHaveLength(MAX_BLOB_TEXT);
    expect(r.f2).toEqual({ text: null, isBinary: true });
    expect(r.f3).toBeNull();
    expect(r.c).toEqual({ __typename: "Commit", oid: sha });
    expect(data.rateLimit.remaining).toBeGreaterThan(0);
    expect(sim.violations).toEqual([]);
    expect(sim.requests.at(-1)).toMatchObject({ graphql: true, route: "/graphql", status: 200 });
  });

  test("pull request commits with signatures and reviews", async () => {
    repo.createBranch("f", "main");
    const c1 = repo.commit("f", { "b.yaml": "b: 1\n" }, { author: "alice", verified: true, message: "add b" });
    repo.commit("f", { "b.yaml": "b: 2\n" }, { author: "alice" });
    const pr = repo.openPullRequest({ head: "f", base: "main" });
    repo.review(pr.number, "bob", "APPROVED");
    const { body } = await post(
      `query($n: Int!) { repository(owner: "acme", name: "gql") { pullRequest(number: $n) { number headRefOid baseRefName
        commits(first: 10) { totalCount nodes { commit { oid message signature { isValid state } author { user { login } } } } }
        reviews(first: 10) { nodes { author { login } state submittedAt commit { oid } } } } } }`,
      { n: pr.number },
    );
    expect(body.errors).toBeUndefined();
    const p = body.data.repository.pullRequest;
    expect(p).toMatchObject({ number: pr.number, headRefOid: pr.headSha, baseRefName: "main" });
    expect(p.commits.totalCount).toBe(2);
    expect(p.commits.nodes[0].commit).toEqual({
      oid: c1,
      message: "add b",
      signature: { isValid: true, state: "VALID" },
      author: { user: { login: "alice" } },
    });
    expect(p.commits.nodes[1].commit.signature).toBeNull();
    expect(p.reviews.nodes).toEqual([
      { author: { login: "bob" }, state: "APPROVED", submittedAt: expect.any(String), commit: { oid: pr.headSha } },
    ]);
    const last = await post(
      `{ repository(owner: "acme", name: "gql") { pullRequest(number: ${pr.number}) { commits(last: 1) { ` +
        `nodes { commit { oid } } } } } }`,
    );
    expect(last.body.data.repository.pullRequest.commits.nodes).toEqual([{ commit: { oid: pr.headSha } }]);
  });

  test("a misspelt field fails like GitHub: 200 with errors, and a violation", async () => {
    const { status, body } = await post(`{ repository(owner: "acme", name: "gql") { defaultBrnachRef { name } } }`);
    expect(status).toBe(200);
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0].message).toMatch(/defaultBrnachRef/);
    expect(sim.violations).toHaveLength(1);
    expect(sim.violations[0]).toMatchObject({ method: "POST", path: "/graphql" });
  });

  test("connections need first or last; missing repositories are NOT_FOUND", async () => {
    const { body } = await post(
      `{ repository(owner: "acme", name: "gql") { pullRequest(number: 1) { commits { totalCount } } } }`,
    );
    expect(body.errors?.[0].message).toMatch(/must provide a `first` or `last`/);
    expect(sim.violations).toHaveLength(1);
    const missing = await post(`{ repository(owner: "acme", name: "nope") { name } }`);
    expect(missing.body).toMatchObject({ data: { repository: null }, errors: [{ type: "NOT_FOUND" }] });
  });
});

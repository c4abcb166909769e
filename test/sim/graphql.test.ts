import { createSimulator, type Simulator, type SimRepo } from "../support/sim/index.js";
import { MAX_BLOB_TEXT } from "../support/sim/graphql.js";
import { installationOctokit, octokitFor } from "./helpers.js";

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

describe("GraphQL listings of open pull requests and issues", () => {
  const APP = sim0AppId();
  let lists: SimRepo;
  beforeAll(() => {
    lists = sim.createRepo("acme/lists", { files: { "a.yaml": "a: 1\n" } });
    lists.createBranch("staging", "main");
    for (let i = 0; i < 3; i++) {
      lists.createBranch(`f${i}`, "main");
      lists.commit(`f${i}`, { "b.yaml": `b: ${i}\n` });
      lists.openPullRequest({ head: `f${i}`, base: i === 1 ? "staging" : "main", title: `pr ${i}` });
    }
    lists.closePullRequest(3);
    for (let i = 0; i < 120; i++) lists.createIssue({ title: `issue ${i}`, author: "carol" });
    lists.issues().find((i) => i.number === 4)!.state = "closed";
  });

  const LIST = `query($owner: String!, $name: String!, $pulls: String, $issues: String) {
    repository(owner: $owner, name: $name) {
      pullRequests(states: OPEN, first: 100, after: $pulls, orderBy: {field: CREATED_AT, direction: ASC}) {
        totalCount pageInfo { hasNextPage endCursor } nodes { number headRefOid baseRefName }
      }
      issues(states: OPEN, first: 100, after: $issues, orderBy: {field: CREATED_AT, direction: ASC}) {
        totalCount pageInfo { hasNextPage endCursor }
        nodes { number title viewerDidAuthor author { __typename login } labels(first: 10) { nodes { name } } }
      }
    }
  }`;

  test("open ones only, oldest first, pages of 100 followed by cursor; pull requests are never issues", async () => {
    const gh = octokitFor(sim.url);
    const first = (await gh.graphql<any>(LIST, { owner: "acme", name: "lists" })).repository;
    expect(first.pullRequests.nodes).toEqual([
      { number: 1, headRefOid: lists.branchSha("f0"), baseRefName: "main" },
      { number: 2, headRefOid: lists.branchSha("f1"), baseRefName: "staging" },
    ]);
    expect(first.pullRequests.pageInfo.hasNextPage).toBe(false);
    // Numbers 1–3 are the pull requests, #4 is closed: 119 open issues, #5 … #123.
    expect(first.issues.totalCount).toBe(119);
    expect(first.issues.nodes).toHaveLength(100);
    expect(first.issues.nodes[0]).toMatchObject({ number: 5, author: { __typename: "User", login: "carol" } });
    expect(first.issues.pageInfo.hasNextPage).toBe(true);
    const after = first.issues.pageInfo.endCursor;
    const second = (await gh.graphql<any>(LIST, { owner: "acme", name: "lists", issues: after })).repository;
    expect(second.issues.nodes.map((i: { number: number }) => i.number)).toEqual(
      Array.from({ length: 19 }, (_, i) => 105 + i),
    );
    expect(second.issues.pageInfo.hasNextPage).toBe(false);
    const newest = await gh.graphql<any>(
      `query { repository(owner: "acme", name: "lists") { issues(first: 1, states: [OPEN], ` +
        `orderBy: {field: CREATED_AT, direction: DESC}) { nodes { number } } } }`,
    );
    expect(newest.repository.issues.nodes).toEqual([{ number: 123 }]);
    expect(sim.violations).toEqual([]);
  });

  test("viewerDidAuthor: true only to the app whose bot opened the issue, whoever else asks", async () => {
    const ours = await installationOctokit(sim.url, APP);
    const theirs = await installationOctokit(sim.url, 555);
    const { data: made } = await ours.rest.issues.create({ owner: "acme", repo: "lists", title: "Freeze: production" });
    const { data: other } = await theirs.rest.issues.create({ owner: "acme", repo: "lists", title: "not ours" });
    const authored = async (gh: typeof ours) => {
      const res = await gh.graphql<any>(
        `query { repository(owner: "acme", name: "lists") { issues(first: 100, after: ${JSON.stringify(cursor(119))}` +
          `, states: OPEN) { nodes { number viewerDidAuthor author { __typename login } } } } }`,
      );
      return res.repository.issues.nodes;
    };
    expect(await authored(ours)).toEqual([
      { number: made.number, viewerDidAuthor: true, author: { __typename: "Bot", login: "stagegate" } },
      { number: other.number, viewerDidAuthor: false, author: { __typename: "Bot", login: "app-555" } },
    ]);
    expect((await authored(theirs)).map((i: { viewerDidAuthor: boolean }) => i.viewerDidAuthor)).toEqual([false, true]);
    const viewer = await ours.graphql<any>(`query { viewer { login } }`);
    expect(viewer).toEqual({ viewer: { login: "stagegate[bot]" } });
    expect(sim.violations).toEqual([]);
  });

  test("an issue's Bot author has the databaseId of that bot's viewer; a person is no Bot", async () => {
    const ours = await installationOctokit(sim.url, APP);
    const theirs = await installationOctokit(sim.url, 556);
    const { data: made } = await ours.rest.issues.create({ owner: "acme", repo: "lists", title: "by the bot" });
    const { data: other } = await theirs.rest.issues.create({ owner: "acme", repo: "lists", title: "another bot" });
    const person = lists.createIssue({ title: "by a person", author: "carol" });
    const authors = async (gh: typeof ours) => {
      const res = await gh.graphql<any>(
        `query { viewer { databaseId } repository(owner: "acme", name: "lists") { issues(first: 100, ` +
          `states: OPEN, orderBy: {field: CREATED_AT, direction: DESC}) { nodes { number ` +
          `author { ... on Bot { databaseId } } } } } }`,
      );
      const byNumber = new Map(
        res.repository.issues.nodes.map((i: { number: number; author: object }) => [i.number, i.author]),
      );
      return {
        viewer: res.viewer.databaseId as number,
        made: byNumber.get(made.number),
        other: byNumber.get(other.number),
        person: byNumber.get(person.number),
      };
    };
    const mine = await authors(ours);
    expect(mine.viewer).toEqual(expect.any(Number));
    expect(mine).toEqual({
      viewer: mine.viewer,
      made: { databaseId: mine.viewer },
      other: { databaseId: expect.any(Number) },
      person: {},
    });
    expect(mine.other).not.toEqual({ databaseId: mine.viewer });
    const yours = await authors(theirs);
    expect(yours.other).toEqual({ databaseId: yours.viewer });
    expect(yours.viewer).not.toBe(mine.viewer);
    expect(sim.violations).toEqual([]);
  });

  test("arguments the simulator does not model are refused, never silently ignored", async () => {
    const { body } = await post(
      `{ repository(owner: "acme", name: "lists") { issues(first: 1, labels: ["x"]) { totalCount } } }`,
    );
    expect(body.errors?.[0].message).toMatch(/does not implement labels on `issues`/);
    sim.violations.splice(0);
  });
});

/** The simulator's own app (createSimulator's default). */
function sim0AppId(): number {
  return 4242;
}

/** The connection cursor after the `n`th item, as the simulator encodes it. */
function cursor(n: number): string {
  return Buffer.from(`cursor:${n}`).toString("base64");
}

import nock from "nock";
import { ProbotOctokit } from "probot";
import { parse, validate } from "graphql";
import { GitHubClient } from "../../src/github/client.js";
import { GitHubPullFacts } from "../../src/github/pull-facts.js";
import { FREEZE_LABEL, freezeMarker, parseFreezeMarker } from "../../src/gather/freeze-marker.js";
import { needsFor } from "../../src/gather/needs.js";
import { gatherPrInput } from "../../src/gather/pr-input.js";
import { parseConfig } from "../../src/config/load.js";
import { githubSchema } from "../support/sim/graphql.js";
import type { ChangedFile, PullRequest } from "../../src/github/types.js";
import type { StagegateConfig } from "../../src/config/types.js";

const API = "https://api.github.com";
const REPO = "/repos/acme/gitops";
const APP_ID = 42;
const HEAD = "a".repeat(40);
const OLD = "b".repeat(40);
const C1 = "c".repeat(40);
const C2 = "d".repeat(40);
const STAGING = "e".repeat(40);
const MAIN = "f".repeat(40);
const WEDNESDAY = Date.parse("2025-06-04T12:00:00Z");
/** The GitHub App that runs the e2e checks. */
const CI = { id: 5, slug: "ci" };

const branchConfig = parseConfig(`
version: 1
environments:
  staging:
    branches: [staging]
  production:
    branches: [production]
    promote_from: staging
    gates:
      approvals: { count: 2, from: { teams: ["@acme/sre"], users: [carol] } }
      signed_commits: true
      verified_by: [argocd/staging, e2e/staging]
      soak: 1h
    freeze:
      windows:
        - weekly: "Fri 16:00 - Mon 08:00"
          timezone: Europe/Berlin
          reason: weekend
`);

const directoryConfig = parseConfig(`
version: 1
environments:
  staging:
    paths: ["envs/staging/**"]
  production:
    paths: ["envs/production/**"]
    promote_from: staging
    gates:
      soak: 1h
      promotion: { ignore_fields: [spec.replicas] }
`);

function pull(over: Partial<PullRequest> = {}): PullRequest {
  return {
    number: 7,
    title: "Promote web 1.2.3",
    body: "",
    author: "alice",
    authorAssociation: "MEMBER",
    draft: false,
    state: "open",
    baseRef: "production",
    baseSha: "0".repeat(40),
    headRef: "promote",
    headSha: HEAD,
    fork: false,
    labels: ["promotion"],
    mergeable: true,
    mergeCommitSha: null,
    ...over,
  };
}

let requests: string[];
let queries: string[];

/** The GitHub implementation of PullFacts, every request logged. */
function facts(): GitHubPullFacts {
  const octokit = new ProbotOctokit({ auth: { token: "t" }, retry: { enabled: false }, throttle: { enabled: false } });
  octokit.hook.before("request", (options) => {
    requests.push(`${options.method} ${options.url}`);
    if (options.url === "/graphql") queries.push(String((options as { query?: string }).query));
  });
  return new GitHubPullFacts(new GitHubClient(octokit, { owner: "acme", repo: "gitops" }));
}

beforeEach(() => {
  requests = [];
  queries = [];
  nock.disableNetConnect();
});
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
  // every GraphQL query sent must be valid against GitHub's published schema
  for (const q of queries) expect(validate(githubSchema(), parse(q)).map((e) => e.message)).toEqual([]);
});
afterAll(() => nock.enableNetConnect());

const review = (login: string, state: string, at: string, sha = HEAD) => ({
  author: { login },
  state,
  submittedAt: at,
  commit: { oid: sha },
});
const commit = (oid: string, signature: { isValid: boolean; state: string } | null, login = "alice") => ({
  commit: {
    oid,
    message: `commit ${oid.slice(0, 3)}`,
    author: { user: { login } },
    committer: { user: { login: "web-flow" } },
    signature,
  },
});

function graphqlReply(pr: object, teams: Record<string, unknown> = {}) {
  return nock(API)
    .post("/graphql", (b: { query: string }) => b.query.includes("pullRequest(number:"))
    .reply(200, { data: { repository: { pullRequest: pr }, ...teams } });
}

/** Every open issue (freezes are the app's own issues, whatever their labels) and the app's issues' comments. */
function freezeIssues(_env: string, issues: Array<Record<string, unknown>>) {
  for (const i of issues.filter((x) => (x.performed_via_github_app as { id?: number } | null)?.id === APP_ID))
    nock(API)
      .get(`${REPO}/issues/${i.number as number}/comments`)
      .query({ per_page: "100" })
      .reply(200, []);
  return nock(API).get(`${REPO}/issues`).query({ state: "open", per_page: "100" }).reply(200, issues);
}

const production = (c: StagegateConfig) => c.environments.production;

describe("needsFor", () => {
  it("asks only for what the configured gates need", () => {
    expect(needsFor(production(branchConfig))).toEqual({
      reviews: true,
      commits: true,
      promotion: true,
      verification: true,
      soak: true,
      permissions: { currentHeadOnly: false, from: { users: ["carol"], teams: ["acme/sre"] } },
      teams: ["acme/sre"],
      freeze: true,
    });
    expect(needsFor(branchConfig.environments.staging)).toEqual({
      reviews: false,
      commits: false,
      promotion: false,
      verification: false,
      soak: false,
      permissions: undefined,
      teams: [],
      freeze: true,
    });
  });
});

describe("gatherPrInput, branch per environment", () => {
  const files: ChangedFile[] = [{ path: "apps/web.yaml", status: "modified", additions: 1, deletions: 1 }];

  it("gathers reviews, teams, commits, promotion, verification and freezes in few requests", async () => {
    graphqlReply(
      {
        reviews: {
          nodes: [
            review("bob", "APPROVED", "2025-06-01T10:00:00Z", OLD), // on an old head
            review("carol", "APPROVED", "2025-06-02T10:00:00Z"),
            review("alice", "APPROVED", "2025-06-02T11:00:00Z"), // the author
            review("dave", "DISMISSED", "2025-06-02T12:00:00Z"), // a dismissed approval
            review("erin", "CHANGES_REQUESTED", "2025-06-02T13:00:00Z"),
            review("erin", "COMMENTED", "2025-06-03T09:00:00Z"), // does not replace the request for changes
            review("carol", "COMMENTED", "2025-06-03T10:00:00Z"), // nor an approval
            review("frank", "COMMENTED", "2025-06-03T11:00:00Z"),
            review("gina", "PENDING", "2025-06-03T12:00:00Z"),
          ],
        },
        commits: {
          totalCount: 3,
          pageInfo: { hasPreviousPage: false, startCursor: "x" },
          nodes: [
            commit(C1, { isValid: true, state: "VALID" }),
            commit(C2, null),
            commit(HEAD, { isValid: false, state: "UNKNOWN_KEY" }, "mallory"),
          ],
        },
      },
      { t0: { team: { members: { pageInfo: { hasNextPage: false }, nodes: [{ login: "Bob" }, { login: "erin" }] } } } },
    );
    nock(API)
      .get(`${REPO}/compare/staging...${HEAD}`)
      .query(true)
      .reply(200, {
        ahead_by: 2,
        behind_by: 0,
        base_commit: { sha: STAGING },
        merge_base_commit: { sha: C1 },
        commits: [{ sha: C2 }, { sha: HEAD }],
        files: [],
      });
    nock(API)
      .get(`${REPO}/commits/${STAGING}/statuses`)
      .query(true)
      .reply(200, [{ context: "argocd/staging", state: "failure", creator: { login: "argocd[bot]" } }]);
    nock(API).get(`${REPO}/commits/${STAGING}/check-runs`).query(true).reply(200, { total_count: 0, check_runs: [] });
    // approvals count only from writers: asked for the two approvers who are neither the author nor a pusher
    nock(API).get(`${REPO}/collaborators/bob/permission`).reply(200, { permission: "write" });
    nock(API).get(`${REPO}/collaborators/carol/permission`).reply(200, { permission: "read" });
    freezeIssues("production", [
      {
        number: 3,
        title: "Freeze production",
        html_url: "https://github.com/acme/gitops/issues/3",
        performed_via_github_app: { id: APP_ID },
        body: `Frozen by @alice.\n${freezeMarker({ environment: "production", by: "alice", reason: "incident 123" })}`,
      },
      // anyone can add the label: an issue not opened by the app is ignored
      {
        number: 4,
        title: "fake freeze",
        html_url: "https://github.com/acme/gitops/issues/4",
        performed_via_github_app: null,
        body: freezeMarker({ environment: "production", by: "mallory", reason: "lol" }),
      },
      {
        number: 5,
        title: "another app",
        html_url: "https://github.com/acme/gitops/issues/5",
        performed_via_github_app: { id: 7 },
        body: "",
      },
    ]);

    const input = await gatherPrInput(facts(), {
      pr: pull(),
      files,
      env: production(branchConfig),
      config: branchConfig,
      appId: APP_ID,
      nowMs: WEDNESDAY,
    });

    expect(input.environment).toEqual({ name: "production", mode: "enforce", source: "staging" });
    expect(input.pull_request).toMatchObject({
      number: 7,
      author: "alice",
      head: { ref: "promote", sha: HEAD },
      labels: ["promotion"],
      fork: false,
    });
    expect(input.files).toEqual([
      {
        path: "apps/web.yaml",
        status: "modified",
        previous_path: null,
        additions: 1,
        deletions: 1,
        environment: "production",
      },
    ]);
    expect(input.now_ns).toBe(WEDNESDAY * 1e6);
    const byReviewer = Object.fromEntries(input.reviews!.map((r) => [r.reviewer, r]));
    expect(Object.keys(byReviewer).sort()).toEqual(["alice", "bob", "carol", "dave", "erin", "frank"]);
    expect(byReviewer.bob).toMatchObject({
      state: "APPROVED",
      on_current_head: false,
      commit_sha: OLD,
      teams: ["acme/sre"],
      permission: "write",
    });
    expect(byReviewer.carol).toMatchObject({ state: "APPROVED", on_current_head: true, teams: [], permission: "read" });
    expect(byReviewer.alice).toMatchObject({ state: "APPROVED", permission: null }); // the author: never counts
    expect(byReviewer.dave.state).toBe("DISMISSED");
    expect(byReviewer.erin).toMatchObject({ state: "CHANGES_REQUESTED", teams: ["acme/sre"] });
    expect(byReviewer.frank.state).toBe("COMMENTED");
    expect(input.commits).toEqual([
      {
        sha: C1,
        author: "alice",
        committer: "web-flow",
        message: "commit ccc",
        verified: true,
        verification_reason: null,
      },
      {
        sha: C2,
        author: "alice",
        committer: "web-flow",
        message: "commit ddd",
        verified: false,
        verification_reason: "unsigned",
      },
      {
        sha: HEAD,
        author: "mallory",
        committer: "web-flow",
        message: "commit aaa",
        verified: false,
        verification_reason: "unknown_key",
      },
    ]);
    expect(input.promotion).toEqual({
      source: "staging",
      mode: "commits",
      commits_not_in_source: [C2, HEAD],
      files_not_in_source: [],
      verification: [
        { context: "argocd/staging", app: null, creator: null, state: "failure", sha: STAGING },
        { context: "e2e/staging", app: null, creator: null, state: "missing", sha: STAGING },
      ],
      in_source_since_ns: null, // not all in staging yet
    });
    expect(input.freeze).toEqual({
      frozen: true,
      active: [
        {
          kind: "manual",
          reason: "incident 123",
          until_ns: null,
          by: "alice",
          url: "https://github.com/acme/gitops/issues/3",
        },
      ],
    });
    // reviews + commits + team members in one GraphQL query; eight requests in all, two of them the
    // approvers' permissions (issue 11 item 4: approvals count only from writers), one the freeze issue's comments
    expect(requests.filter((r) => r === "POST /graphql")).toHaveLength(1);
    expect(input.commits_total).toBe(3);
    expect(requests).toHaveLength(8);
  });

  it("finds soak time and successful verification when the head is in staging, and scheduled freezes", async () => {
    graphqlReply(
      {
        reviews: { nodes: [] },
        commits: {
          totalCount: 1,
          pageInfo: { hasPreviousPage: false },
          nodes: [commit(HEAD, { isValid: true, state: "VALID" })],
        },
      },
      { t0: { team: null } },
    );
    nock(API)
      .get(`${REPO}/compare/staging...${HEAD}`)
      .query(true)
      .reply(200, {
        ahead_by: 0,
        behind_by: 3,
        base_commit: { sha: STAGING },
        merge_base_commit: { sha: HEAD },
        commits: [],
        files: [],
      });
    nock(API)
      .get(`${REPO}/compare/${HEAD}...${STAGING}`)
      .query(true)
      .reply(200, {
        ahead_by: 2,
        behind_by: 0,
        base_commit: { sha: HEAD, commit: { committer: { date: "2025-06-01T00:00:00Z" } } },
        merge_base_commit: { sha: HEAD },
        commits: [
          { sha: C1, parents: [{ sha: OLD }], commit: { committer: { date: "2025-06-05T10:00:00Z" } } },
          { sha: C2, parents: [{ sha: C1 }, { sha: HEAD }], commit: { committer: { date: "2025-06-06T09:30:00Z" } } },
        ],
        files: [],
      });
    nock(API)
      .get(`${REPO}/commits/${STAGING}/statuses`)
      .query(true)
      .reply(200, [{ context: "argocd/staging", state: "success", creator: { login: "argocd[bot]" } }]);
    nock(API)
      .get(`${REPO}/commits/${STAGING}/check-runs`)
      .query(true)
      .reply(200, {
        total_count: 2,
        check_runs: [
          { id: 1, name: "e2e/staging", head_sha: STAGING, status: "completed", conclusion: "failure", app: CI },
          // the same app's re-run decides
          { id: 2, name: "e2e/staging", head_sha: STAGING, status: "completed", conclusion: "success", app: CI },
        ],
      });
    freezeIssues("production", []);
    const friday = Date.parse("2025-06-06T15:00:00Z"); // 17:00 in Berlin

    const input = await gatherPrInput(facts(), {
      pr: pull(),
      files,
      env: production(branchConfig),
      config: branchConfig,
      appId: APP_ID,
      nowMs: friday,
    });

    expect(input.promotion).toMatchObject({
      commits_not_in_source: [],
      verification: [
        { context: "argocd/staging", app: null, creator: null, state: "success", sha: STAGING },
        { context: "e2e/staging", app: null, creator: null, state: "success", sha: STAGING },
      ],
      in_source_since_ns: Date.parse("2025-06-06T09:30:00Z") * 1e6, // the merge that has the head as parent
    });
    // an unknown or invisible team has no members
    expect(input.reviews).toEqual([]);
    expect(input.freeze).toEqual({
      frozen: true,
      active: [
        {
          kind: "schedule",
          reason: "weekend",
          until_ns: Date.parse("2025-06-09T06:00:00Z") * 1e6,
          by: null,
          url: null,
          timezone: "Europe/Berlin",
          window: "weekly",
        },
      ],
    });
  });

  it("reports pending checks and statuses", async () => {
    graphqlReply(
      { reviews: { nodes: [] }, commits: { totalCount: 0, pageInfo: {}, nodes: [] } },
      { t0: { team: { members: { nodes: [] } } } },
    );
    nock(API)
      .get(`${REPO}/compare/staging...${HEAD}`)
      .query(true)
      .reply(200, {
        ahead_by: 0,
        behind_by: 0,
        base_commit: { sha: HEAD },
        merge_base_commit: { sha: HEAD },
        commits: [],
        files: [],
      });
    nock(API)
      .get(`${REPO}/compare/${HEAD}...${HEAD}`)
      .query(true)
      .reply(200, {
        ahead_by: 0,
        behind_by: 0,
        base_commit: { sha: HEAD, commit: { committer: { date: "2025-06-04T11:00:00Z" } } },
        merge_base_commit: { sha: HEAD },
        commits: [],
        files: [],
      });
    nock(API)
      .get(`${REPO}/commits/${HEAD}/statuses`)
      .query(true)
      .reply(200, [{ context: "argocd/staging", state: "pending", creator: { login: "argocd[bot]" } }]);
    nock(API)
      .get(`${REPO}/commits/${HEAD}/check-runs`)
      .query(true)
      .reply(200, {
        total_count: 1,
        check_runs: [{ id: 9, name: "e2e/staging", head_sha: HEAD, status: "in_progress", conclusion: null, app: CI }],
      });
    freezeIssues("production", []);
    const input = await gatherPrInput(facts(), {
      pr: pull(),
      files,
      env: production(branchConfig),
      config: branchConfig,
      appId: APP_ID,
      nowMs: WEDNESDAY,
    });
    expect(input.promotion!.verification.map((v) => v.state)).toEqual(["pending", "pending"]);
    // the source branch is at the head itself: since the head's commit date
    expect(input.promotion!.in_source_since_ns).toBe(Date.parse("2025-06-04T11:00:00Z") * 1e6);
    expect(input.freeze).toEqual({ frozen: false, active: [] });
  });

  it("costs three requests when only approvals and signed commits are configured", async () => {
    const config = parseConfig(`
version: 1
environments:
  production:
    branches: [production]
    gates:
      approvals: { count: 1, from: { teams: [acme/sre, acme/platform] } }
      signed_commits: true
`);
    graphqlReply(
      {
        reviews: { nodes: [review("bob", "APPROVED", "2025-06-02T10:00:00Z")] },
        commits: { totalCount: 1, pageInfo: {}, nodes: [commit(HEAD, null)] },
      },
      {
        t0: { team: { members: { nodes: [{ login: "bob" }] } } },
        t1: { team: { members: { nodes: [{ login: "BOB" }] } } },
      },
    );
    nock(API).get(`${REPO}/collaborators/bob/permission`).reply(200, { permission: "write", role_name: "maintain" });
    freezeIssues("production", []);
    const input = await gatherPrInput(facts(), {
      pr: pull(),
      files,
      env: production(config),
      config,
      appId: APP_ID,
      nowMs: WEDNESDAY,
    });
    expect(input.reviews).toEqual([
      {
        reviewer: "bob",
        state: "APPROVED",
        submitted_at: "2025-06-02T10:00:00Z",
        commit_sha: HEAD,
        on_current_head: true,
        teams: ["acme/sre", "acme/platform"],
        permission: "write", // GitHub reports the maintain role as write
      },
    ]);
    expect(input.promotion).toBeUndefined();
    // the third: the approver's permission (issue 11 item 4: approvals count only from writers)
    expect([...requests].sort()).toEqual([
      "GET /repos/{owner}/{repo}/collaborators/{username}/permission",
      "GET https://api.github.com/repos/acme/gitops/issues?state=open&per_page=100",
      "POST /graphql",
    ]);
    expect(queries[0]).toContain("members(first: 100)");
  });
});

describe("gatherPrInput, directory per environment (content mode)", () => {
  const staging =
    "kind: Deployment\nmetadata: { name: web }\nspec:\n  replicas: 2\n" +
    "  template: { spec: { containers: [{ name: web, image: web:1.2.3 }] } }\n";
  const prodSame = staging.replace("replicas: 2", "replicas: 6"); // replicas are ignored
  const prodNewer = staging.replace("1.2.3", "1.2.4");
  const files: ChangedFile[] = [
    { path: "envs/production/web.yaml", status: "modified", additions: 1, deletions: 1 },
    { path: "envs/production/api.yaml", status: "modified", additions: 1, deletions: 1 },
    { path: "envs/production/new.yaml", status: "added", additions: 5, deletions: 0 },
    { path: "envs/staging/other.yaml", status: "modified", additions: 1, deletions: 0 },
  ];
  const contents: Record<string, Record<string, string>> = {
    [HEAD]: {
      "envs/production/web.yaml": prodSame,
      "envs/production/api.yaml": prodNewer,
      "envs/production/new.yaml": staging,
    },
    [MAIN]: { "envs/staging/web.yaml": staging, "envs/staging/api.yaml": staging },
  };

  /** Answers readFiles' aliased object(expression:) queries from `contents`. */
  function blobs() {
    return nock(API)
      .post("/graphql", (b: { query: string }) => b.query.includes("object(expression:"))
      .times(2)
      .reply(200, (_uri: string, body: { query: string }) => {
        const repository: Record<string, unknown> = {};
        for (const m of body.query.matchAll(/(f\d+): object\(expression: "([^":]+):([^"]+)"\)/g)) {
          const text = contents[m[2]]?.[m[3]];
          repository[m[1]] =
            text === undefined ? null : { oid: "1".repeat(40), text, isTruncated: false, isBinary: false };
        }
        return { data: { repository } };
      });
  }

  it("names the files whose content has not been through staging (squash-merged promotion)", async () => {
    nock(API)
      .get(/\/repos\/acme\/gitops\/git\/ref\/heads(\/|%2F)main$/)
      .reply(200, { ref: "refs/heads/main", object: { sha: MAIN, type: "commit" } });
    blobs();
    freezeIssues("production", []);
    const pr = pull({ baseRef: "main" });
    const input = await gatherPrInput(facts(), {
      pr,
      files,
      env: production(directoryConfig),
      config: directoryConfig,
      appId: APP_ID,
      nowMs: WEDNESDAY,
    });
    expect(input.promotion).toEqual({
      source: "staging",
      mode: "content",
      commits_not_in_source: [],
      files_not_in_source: [
        { path: "envs/production/api.yaml", source_path: "envs/staging/api.yaml", reason: "different" },
        { path: "envs/production/new.yaml", source_path: "envs/staging/new.yaml", reason: "missing" },
      ],
      verification: [],
      in_source_since_ns: null,
    });
    expect(input.files.map((f) => f.environment)).toEqual(["production", "production", "production", "staging"]);
    expect(input.reviews).toBeUndefined();
    expect(input.commits).toBeUndefined();
  });

  it("takes the soak time from the last source commit touching the mapped files", async () => {
    nock(API)
      .get(/\/repos\/acme\/gitops\/git\/ref\/heads(\/|%2F)main$/)
      .reply(200, { ref: "refs/heads/main", object: { sha: MAIN, type: "commit" } });
    blobs();
    nock(API)
      .get(`${REPO}/commits`)
      .query({ sha: MAIN, path: "envs/staging/web.yaml", per_page: "1" })
      .reply(200, [{ sha: C1, commit: { committer: { date: "2025-06-04T10:00:00Z" } } }]);
    nock(API)
      .get(`${REPO}/commits`)
      .query({ sha: MAIN, path: "envs/staging/api.yaml", per_page: "1" })
      .reply(200, [{ sha: C2, commit: { committer: { date: "2025-06-04T11:30:00Z" } } }]);
    freezeIssues("production", []);
    contents[HEAD]["envs/production/api.yaml"] = prodSame;
    const twoFiles = files.slice(0, 2);
    const input = await gatherPrInput(facts(), {
      pr: pull({ baseRef: "main" }),
      files: twoFiles,
      env: production(directoryConfig),
      config: directoryConfig,
      appId: APP_ID,
      nowMs: WEDNESDAY,
    });
    expect(input.promotion!.files_not_in_source).toEqual([]);
    expect(input.promotion!.in_source_since_ns).toBe(Date.parse("2025-06-04T11:30:00Z") * 1e6);
    // the file reads are two GraphQL queries: the PR's side and staging's
    expect(requests.filter((r) => r === "POST /graphql")).toHaveLength(2);
  });
});

describe("freeze markers", () => {
  it("round-trips and survives comment-breaking text", () => {
    const m = { environment: "production", by: "alice", reason: "incident --> 123 <!-- x" };
    const text = freezeMarker(m);
    expect(text.slice(4, -3)).not.toContain("--");
    expect(parseFreezeMarker(`Frozen.\n\n${text}\nmore`)).toEqual(m);
  });

  it("rejects missing or malformed markers", () => {
    expect(parseFreezeMarker(null)).toBeNull();
    expect(parseFreezeMarker("no marker")).toBeNull();
    expect(parseFreezeMarker('<!-- stagegate:freeze {"environment": 1} -->')).toBeNull();
    expect(parseFreezeMarker("<!-- stagegate:freeze {not json} -->")).toBeNull();
    expect(FREEZE_LABEL("production")).toBe("stagegate:freeze:production");
  });
});

describe("gatherPrInput errors", () => {
  it("says which source branch is missing", async () => {
    graphqlReply(
      { reviews: { nodes: [] }, commits: { totalCount: 0, pageInfo: {}, nodes: [] } },
      { t0: { team: null } },
    );
    nock(API).get(`${REPO}/compare/staging...${HEAD}`).query(true).reply(404, { message: "Not Found" });
    freezeIssues("production", []);
    const files: ChangedFile[] = [];
    await expect(
      gatherPrInput(facts(), {
        pr: pull(),
        files,
        env: production(branchConfig),
        config: branchConfig,
        appId: APP_ID,
        nowMs: WEDNESDAY,
      }),
    ).rejects.toThrow(/cannot compare aaaaaaa with branch staging: not found/);
  });
});

describe("GitHubPullFacts", () => {
  it("makes each read once per instance, and answers a comparison GitHub cannot find with null", async () => {
    nock(API)
      .get(`${REPO}/compare/staging...${HEAD}`)
      .query({ per_page: "100" })
      .reply(200, {
        ahead_by: 1,
        behind_by: 0,
        base_commit: { sha: STAGING, commit: { committer: { date: "2025-06-01T00:00:00Z" } } },
        merge_base_commit: { sha: C1 },
        commits: [{ sha: HEAD, parents: [{ sha: C1 }], commit: { committer: { date: "2025-06-02T00:00:00Z" } } }],
        files: [],
      });
    nock(API).get(`${REPO}/compare/nope...${HEAD}`).query(true).reply(404, { message: "Not Found" });
    const github = facts();
    const expected = {
      aheadBy: 1,
      behindBy: 0,
      base: { sha: STAGING, committedAt: "2025-06-01T00:00:00Z" },
      commits: [{ sha: HEAD, parents: [C1], committedAt: "2025-06-02T00:00:00Z" }],
    };
    expect(await github.compare("staging", HEAD)).toEqual(expected);
    expect(await github.compare("staging", HEAD)).toEqual(expected);
    expect(await github.compare("nope", HEAD)).toBeNull();
    expect(requests).toHaveLength(2);
  });

  it("asks GitHub about approvers a team's first page of members does not list", async () => {
    const config = parseConfig(`
version: 1
environments:
  production:
    branches: [production]
    gates:
      approvals: { count: 2, from: { teams: [acme/big] } }
`);
    graphqlReply(
      {
        reviews: {
          nodes: [
            review("bob", "APPROVED", "2025-06-02T10:00:00Z"),
            review("carol", "APPROVED", "2025-06-02T11:00:00Z"),
            review("dave", "APPROVED", "2025-06-02T12:00:00Z"),
          ],
        },
      },
      { t0: { team: { members: { pageInfo: { hasNextPage: true }, nodes: [{ login: "bob" }] } } } },
    );
    nock(API).get("/orgs/acme/teams/big/memberships/carol").reply(200, { state: "active", role: "member" });
    nock(API).get("/orgs/acme/teams/big/memberships/dave").reply(404, { message: "Not Found" });
    // approvals count only from writers: asked for the team's members, not for dave, who cannot count anyway
    nock(API).get(`${REPO}/collaborators/bob/permission`).reply(200, { permission: "write" });
    nock(API).get(`${REPO}/collaborators/carol/permission`).reply(200, { permission: "admin" });
    freezeIssues("production", []);
    const input = await gatherPrInput(facts(), {
      pr: pull(),
      files: [],
      env: production(config),
      config,
      appId: APP_ID,
      nowMs: WEDNESDAY,
    });
    expect(input.reviews!.map((r) => [r.reviewer, r.teams])).toEqual([
      ["bob", ["acme/big"]],
      ["carol", ["acme/big"]],
      ["dave", []],
    ]);
    expect(requests).toHaveLength(6); // two of them the permissions (issue 11 item 4)
  });

  it("lists open issues without the pull requests GitHub lists among them", async () => {
    freezeIssues("production", [
      {
        number: 3,
        title: "Freeze production",
        body: null,
        html_url: "https://github.com/acme/gitops/issues/3",
        created_at: "2025-06-01T00:00:00Z",
        performed_via_github_app: { id: APP_ID },
      },
      {
        number: 4,
        title: "a pull request",
        body: "",
        html_url: "https://github.com/acme/gitops/pull/4",
        created_at: "2025-06-01T00:00:00Z",
        pull_request: { url: `https://api.github.com${REPO}/pulls/4` },
      },
    ]);
    expect(await facts().openIssues()).toEqual([
      {
        number: 3,
        title: "Freeze production",
        body: null,
        appId: APP_ID,
        url: "https://github.com/acme/gitops/issues/3",
        createdAt: "2025-06-01T00:00:00Z",
        labels: [],
      },
    ]);
    expect(await facts().issueComments(3)).toEqual([]);
  });
});

import { parseConfig } from "../../src/config/load.js";
import { needsFor } from "../../src/gather/needs.js";
import { gatherPrInput } from "../../src/gather/pr-input.js";
import { plainFacts, pullInfo, review, sha, unsigned } from "./plain-facts.js";

const HEAD = sha("a");
const NOW = Date.parse("2025-06-04T12:00:00Z");

const config = parseConfig(`
version: 1
environments:
  staging:
    paths: ["envs/staging/**"]
  production:
    paths: ["envs/production/**"]
    gates:
      approvals: { count: 1, from: { teams: [acme/sre] } }
  sandbox:
    paths: ["envs/sandbox/**"]
`);

describe("gatherPrInput", () => {
  it("describes the pull request and reads only what the configured gates need", async () => {
    const facts = plainFacts({
      reviews: [review("bob", "APPROVED", "2025-06-02T10:00:00Z", HEAD)],
      commits: [unsigned(HEAD)],
      teams: { "acme/sre": { logins: ["bob"], complete: true } },
      permissions: { bob: "write" },
    });
    const input = await gatherPrInput(facts, {
      pr: pullInfo(HEAD, { labels: ["promotion"], baseRef: "main" }),
      files: [
        { path: "envs/production/web.yaml", status: "modified", additions: 1, deletions: 1 },
        {
          path: "envs/staging/web.yaml",
          status: "renamed",
          previousPath: "envs/staging/w.yaml",
          additions: 0,
          deletions: 0,
        },
        { path: "README.md", status: "added", additions: 3, deletions: 0 },
      ],
      env: config.environments.production,
      config,
      appId: 42,
      nowMs: NOW,
    });
    expect(input).toEqual({
      environment: { name: "production", mode: "enforce", source: null },
      pull_request: {
        number: 7,
        title: "Promote web 1.2.3",
        body: "",
        author: "alice",
        author_association: "MEMBER",
        draft: false,
        labels: ["promotion"],
        base: { ref: "main", sha: "0".repeat(40) },
        head: { ref: "promote", sha: HEAD },
        fork: false,
      },
      files: [
        {
          path: "envs/production/web.yaml",
          status: "modified",
          previous_path: null,
          additions: 1,
          deletions: 1,
          environment: "production",
        },
        {
          path: "envs/staging/web.yaml",
          status: "renamed",
          previous_path: "envs/staging/w.yaml",
          additions: 0,
          deletions: 0,
          environment: "staging",
        },
        { path: "README.md", status: "added", previous_path: null, additions: 3, deletions: 0, environment: null },
      ],
      reviews: [
        {
          reviewer: "bob",
          state: "APPROVED",
          submitted_at: "2025-06-02T10:00:00Z",
          commit_sha: HEAD,
          on_current_head: true,
          teams: ["acme/sre"],
          permission: "write",
        },
      ],
      // the approvals gate does not count those who pushed commits: the commits come with the reviews
      commits: [
        {
          sha: HEAD,
          author: "alice",
          committer: "web-flow",
          message: "commit aaa",
          verified: false,
          verification_reason: "unsigned",
        },
      ],
      commits_total: 1,
      freeze: { frozen: false, active: [] },
      gates: config.environments.production.gates,
      now_ns: NOW * 1e6,
    });
    // the approver's permission is asked; no promote_from: no promotion reads (freezes are read too)
    expect(facts.reads.filter((r) => !r.startsWith("issues"))).toEqual(["activity #7", "permission bob"]);
  });

  it("reads only freezes for an environment without gates", async () => {
    const facts = plainFacts();
    const input = await gatherPrInput(facts, {
      pr: pullInfo(HEAD),
      files: [],
      env: config.environments.sandbox,
      config,
      appId: 42,
      nowMs: NOW,
    });
    expect(input.reviews).toBeUndefined();
    expect(input.commits).toBeUndefined();
    expect(input.promotion).toBeUndefined();
    expect(facts.reads).toEqual(["issues"]);
    expect(needsFor(config.environments.sandbox)).toEqual({
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

  it("gives custom PR-level policies reviews and commits", () => {
    const env = { ...config.environments.sandbox, gates: { policies: ["acme.pr"] } };
    expect(needsFor(env)).toMatchObject({ reviews: true, commits: true, teams: [] });
  });
});

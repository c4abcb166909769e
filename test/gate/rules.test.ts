import { parseConfig } from "../../src/config/load.js";
import type { Engine } from "../../src/gate/engine.js";
import type { GateResult } from "../../src/gate/verdict.js";
import { FREEZE_LABEL, freezeMarker } from "../../src/gather/freeze-marker.js";
import { gatherPrInput } from "../../src/gather/pr-input.js";
import type { PullFile } from "../../src/gather/pull-facts.js";
import { type FactsData, issue, plainFacts, pullInfo, review, sha, signed, unsigned } from "../gather/plain-facts.js";
import { engineFor } from "./helpers.js";

// The gate rules end to end without HTTP: plain facts → gatherPrInput → the
// built-in Rego gates compiled to wasm (Engine.checkGates) → gate results.

const CONFIG = `
version: 1
environments:
  staging:
    branches: [staging]
  production:
    branches: [production]
    promote_from: staging
    gates:
      approvals: { count: 2, from: { users: [carol], teams: [acme/sre] }, current_head_only: true }
      signed_commits: true
      verified_by: [argocd/staging]
      soak: 1h
    freeze:
      windows:
        - weekly: "Fri 16:00 - Mon 08:00"
          timezone: Europe/Berlin
          reason: weekend
  eu-staging:
    paths: ["envs/eu-staging/**"]
  eu-production:
    paths: ["envs/eu-production/**"]
    promote_from: eu-staging
    gates:
      soak: 30m
`;
const config = parseConfig(CONFIG);
const APP_ID = 42;
const HEAD = sha("a");
const OLD = sha("b");
const C1 = sha("c");
const C2 = sha("d");
const STAGING = sha("e");
const MAIN = sha("f");
const WEDNESDAY = Date.parse("2025-06-04T12:00:00Z");
const ago = (minutes: number) => new Date(WEDNESDAY - minutes * 60_000).toISOString();

let engine: Engine;
beforeAll(async () => {
  engine = await engineFor(CONFIG, {});
});

/** Production's facts with every gate satisfied: the head merged into staging two hours ago. */
function production(): FactsData {
  return {
    reviews: [review("carol", "APPROVED", ago(90), HEAD), review("bob", "APPROVED", ago(80), HEAD)],
    teams: { "acme/sre": { logins: ["bob", "dave", "alice"], complete: true } },
    permissions: { carol: "write", bob: "admin", dave: "write", alice: "write" },
    commits: [signed(C1), signed(HEAD)],
    comparisons: {
      [`staging...${HEAD}`]: { aheadBy: 0, behindBy: 1, base: { sha: STAGING, committedAt: null }, commits: [] },
      [`${HEAD}...${STAGING}`]: {
        aheadBy: 1,
        behindBy: 0,
        base: { sha: HEAD, committedAt: ago(180) },
        commits: [{ sha: STAGING, parents: [OLD, HEAD], committedAt: ago(120) }],
      },
    },
    ci: { [STAGING]: { sha: STAGING, statuses: [{ context: "argocd/staging", state: "success", creator: "argocd" }] } },
  };
}

/** The gates of `env` for these facts, by name. */
async function gates(
  data: FactsData,
  opts: { env?: string; nowMs?: number; files?: PullFile[] } = {},
): Promise<Record<string, GateResult>> {
  const env = config.environments[opts.env ?? "production"];
  const nowMs = opts.nowMs ?? WEDNESDAY;
  const input = await gatherPrInput(plainFacts(data), {
    pr: pullInfo(HEAD, { baseRef: env.branches[0] ?? "main" }),
    files: opts.files ?? [{ path: "apps/web.yaml", status: "modified", additions: 1, deletions: 1 }],
    env,
    config,
    appId: APP_ID,
    nowMs,
  });
  const results = engine.checkGates(env.name, input, { now: () => BigInt(nowMs) * 1_000_000n });
  return Object.fromEntries(results.map((g) => [g.gate, g]));
}

const failing = (byGate: Record<string, GateResult>) =>
  Object.values(byGate)
    .filter((g) => g.state !== "passed")
    .map((g) => g.gate);

test("a promotion with every fact in order passes every gate", async () => {
  const byGate = await gates(production());
  expect(Object.keys(byGate).sort()).toEqual([
    "approvals",
    "draft",
    "freeze",
    "promotion",
    "signed_commits",
    "soak",
    "verified_by",
  ]);
  expect(failing(byGate)).toEqual([]);
});

describe("approvals", () => {
  it("waits for the configured number of approvals", async () => {
    const byGate = await gates({ ...production(), reviews: [review("carol", "APPROVED", ago(90), HEAD)] });
    expect(byGate.approvals).toEqual({
      gate: "approvals",
      state: "waiting",
      messages: ["needs 1 more approval from @carol or @acme/sre"],
    });
    expect(failing(byGate)).toEqual(["approvals"]);
  });

  it("counts only the named users and members of the named teams", async () => {
    const byGate = await gates({
      ...production(),
      reviews: [review("carol", "APPROVED", ago(90), HEAD), review("zed", "APPROVED", ago(80), HEAD)],
    });
    expect(byGate.approvals.state).toBe("waiting");
    expect(byGate.approvals.messages[0]).toContain("@zed is not among them");
  });

  it("counts team members a partial member list misses, asking about them", async () => {
    const data = {
      ...production(),
      teams: { "acme/sre": { logins: ["dave"], complete: false } },
      members: { "acme/sre": ["dave", "bob"] },
    };
    expect((await gates(data)).approvals.state).toBe("passed");
  });

  it("counts only approvals of the current head", async () => {
    const byGate = await gates({
      ...production(),
      reviews: [review("carol", "APPROVED", ago(90), HEAD), review("bob", "APPROVED", ago(80), OLD)],
    });
    expect(byGate.approvals.state).toBe("waiting");
    expect(byGate.approvals.messages[0]).toContain("approvals of earlier commits do not count");
  });

  it("does not count the author's own approval", async () => {
    const byGate = await gates({
      ...production(),
      reviews: [review("carol", "APPROVED", ago(90), HEAD), review("alice", "APPROVED", ago(80), HEAD)],
    });
    expect(byGate.approvals.state).toBe("waiting");
    expect(byGate.approvals.messages[0]).toContain("the author's own approval does not count");
  });

  it("does not count an approval dismissed or replaced by a request for changes", async () => {
    const byGate = await gates({
      ...production(),
      reviews: [
        review("carol", "APPROVED", ago(90), HEAD),
        review("dave", "APPROVED", ago(85), HEAD),
        review("bob", "APPROVED", ago(80), HEAD),
        review("dave", "DISMISSED", ago(75), HEAD),
        review("bob", "CHANGES_REQUESTED", ago(70), HEAD),
        review("bob", "COMMENTED", ago(60), HEAD),
      ],
    });
    expect(byGate.approvals.state).toBe("waiting");
  });
});

describe("issue 11 item 4: approvals only from writers who did not push", () => {
  // approvals that name no approvers: anyone's approval could count
  const ANYONE_YAML =
    "version: 1\nenvironments:\n  production:\n    branches: [production]\n" +
    "    gates:\n      approvals: { count: 1 }\n";
  const ANYONE = parseConfig(ANYONE_YAML);
  let open: Engine;
  beforeAll(async () => {
    open = await engineFor(ANYONE_YAML, {});
  });
  const approvalsOf = async (data: FactsData, cfg = ANYONE) => {
    const env = cfg.environments.production;
    const facts = plainFacts(data);
    const input = await gatherPrInput(facts, {
      pr: pullInfo(HEAD, { baseRef: "production" }),
      files: [{ path: "apps/web.yaml", status: "modified", additions: 1, deletions: 1 }],
      env,
      config: cfg,
      appId: APP_ID,
      nowMs: WEDNESDAY,
    });
    const results = (cfg === ANYONE ? open : engine).checkGates(env.name, input, {
      now: () => BigInt(WEDNESDAY) * 1_000_000n,
    });
    return { gate: results.find((g) => g.gate === "approvals")!, reads: facts.reads };
  };

  test("issue 11 item 4: an approval by an account without write access does not count", async () => {
    const { gate, reads } = await approvalsOf({
      reviews: [review("stranger", "APPROVED", ago(10), HEAD), review("carol", "COMMENTED", ago(5), HEAD)],
      commits: [signed(HEAD)],
      permissions: { stranger: "read", carol: "write" },
    });
    expect(gate).toEqual({
      gate: "approvals",
      state: "waiting",
      messages: ["needs 1 more approval (approvals without write access do not count: @stranger)"],
    });
    // only the approver was looked up: a comment could not count
    expect(reads.filter((r) => r.startsWith("permission"))).toEqual(["permission stranger"]);
    const writer = await approvalsOf({
      reviews: [review("carol", "APPROVED", ago(10), HEAD)],
      commits: [signed(HEAD)],
      permissions: { carol: "write" },
    });
    expect(writer.gate.state).toBe("passed");
  });

  test("issue 11 item 4: a named approver without write access does not count either", async () => {
    const byGate = await gates({ ...production(), permissions: { carol: "read", bob: "write" } });
    expect(byGate.approvals).toEqual({
      gate: "approvals",
      state: "waiting",
      messages: [
        "needs 1 more approval from @carol or @acme/sre (approvals without write access do not count: @carol)",
      ],
    });
  });

  test("issue 11 item 4: someone who pushed commits to the pull request cannot approve it", async () => {
    const { gate, reads } = await approvalsOf({
      reviews: [review("mallory", "APPROVED", ago(10), HEAD)],
      commits: [signed(C1), { ...signed(HEAD, "alice"), committer: "Mallory" }],
      permissions: { mallory: "admin" },
    });
    expect(gate.messages).toEqual([
      "needs 1 more approval (approvals by those who pushed commits do not count: @mallory)",
    ]);
    expect(reads.filter((r) => r.startsWith("permission"))).toEqual([]);
  });

  test("issue 11 item 4: with commits left unread, no approval counts", async () => {
    const { gate } = await approvalsOf({
      reviews: [review("carol", "APPROVED", ago(10), HEAD)],
      commits: [signed(HEAD)],
      commitsTotal: 1001,
      permissions: { carol: "write" },
    });
    expect(gate.messages).toEqual([
      "needs 1 more approval (only 1 of its 1001 commits could be read, so no approval counts)",
    ]);
  });

  test("issue 11 item 4: with current_head_only, approvals of earlier commits are not looked up", async () => {
    const data = {
      ...production(),
      reviews: [review("carol", "APPROVED", ago(90), HEAD), review("bob", "APPROVED", ago(80), OLD)],
    };
    const facts = plainFacts(data);
    const env = config.environments.production;
    await gatherPrInput(facts, { pr: pullInfo(HEAD), files: [], env, config, appId: APP_ID, nowMs: WEDNESDAY });
    expect(facts.reads.filter((r) => r.startsWith("permission"))).toEqual(["permission carol"]);
  });
});

describe("promotion and soak, branch per environment", () => {
  it("fails for commits not yet in the source branch, which have not soaked either", async () => {
    const data = production();
    data.comparisons![`staging...${HEAD}`] = {
      aheadBy: 2,
      behindBy: 0,
      base: { sha: STAGING, committedAt: null },
      commits: [
        { sha: C2, parents: [C1], committedAt: null },
        { sha: HEAD, parents: [C2], committedAt: null },
      ],
    };
    const byGate = await gates(data);
    expect(byGate.promotion).toEqual({
      gate: "promotion",
      state: "failed",
      messages: ["commits ddddddd and aaaaaaa are not in staging"],
    });
    expect(byGate.soak.state).toBe("waiting");
    expect(byGate.soak.messages).toEqual(["the change is not live in staging yet; it must soak there for 1h"]);
  });

  it("waits until the change has soaked in the source stage", async () => {
    const data = production();
    data.comparisons![`${HEAD}...${STAGING}`].commits[0].committedAt = ago(20);
    const byGate = await gates(data);
    expect(byGate.soak).toEqual({
      gate: "soak",
      state: "waiting",
      messages: ["the change has been in staging for 20m; 40m more soak time needed"],
    });
    expect(failing(byGate)).toEqual(["soak"]);
  });
});

describe("promotion and soak, directory per environment (content mode)", () => {
  const text = "kind: ConfigMap\nmetadata: { name: web }\ndata: { version: 1.2.3 }\n";
  const files: PullFile[] = [
    { path: "envs/eu-production/web.yaml", status: "modified", additions: 1, deletions: 1 },
    { path: "envs/eu-production/api.yaml", status: "added", additions: 3, deletions: 0 },
  ];
  const content = (api: string | undefined, staged: string): FactsData => ({
    branches: { main: MAIN },
    files: {
      [HEAD]: { "envs/eu-production/web.yaml": text, "envs/eu-production/api.yaml": text },
      [MAIN]: { "envs/eu-staging/web.yaml": text, ...(api === undefined ? {} : { "envs/eu-staging/api.yaml": api }) },
    },
    history: {
      [MAIN]: {
        "envs/eu-staging/web.yaml": { sha: C1, committedAt: ago(90) },
        "envs/eu-staging/api.yaml": { sha: C2, committedAt: staged },
      },
    },
  });

  it("fails for a file missing from the source stage", async () => {
    const byGate = await gates(content(undefined, ago(90)), { env: "eu-production", files });
    expect(byGate.promotion.state).toBe("failed");
    expect(byGate.promotion.messages).toEqual([
      "envs/eu-production/api.yaml is missing from eu-staging (no envs/eu-staging/api.yaml there)",
    ]);
    expect(byGate.soak.state).toBe("waiting");
  });

  it("fails for a file whose content differs from the source stage's", async () => {
    const byGate = await gates(content(text.replace("1.2.3", "1.2.2"), ago(90)), { env: "eu-production", files });
    expect(byGate.promotion.messages).toEqual([
      "envs/eu-production/api.yaml differs from envs/eu-staging/api.yaml in eu-staging",
    ]);
  });

  it("soaks since the last of the files reached the source stage", async () => {
    const fresh = await gates(content(text, ago(10)), { env: "eu-production", files });
    expect(fresh.promotion.state).toBe("passed");
    expect(fresh.soak.messages).toEqual(["the change has been in eu-staging for 10m; 20m more soak time needed"]);
    const soaked = await gates(content(text, ago(45)), { env: "eu-production", files });
    expect(failing(soaked)).toEqual([]);
  });
});

describe("freeze", () => {
  it("fails inside a scheduled window, saying when it ends in the window's time zone", async () => {
    const friday = Date.parse("2025-06-06T15:00:00Z"); // 17:00 in Berlin
    const byGate = await gates(production(), { nowMs: friday });
    expect(byGate.freeze).toEqual({
      gate: "freeze",
      state: "failed",
      messages: ["production is frozen until Mon 08:00 Europe/Berlin (weekly window: weekend)"],
    });
  });

  it("fails for a freeze issue this app opened, not for one someone else labelled", async () => {
    const body = freezeMarker({ environment: "production", by: "alice", reason: "incident 123" });
    const byApp = await gates({ ...production(), issues: { [FREEZE_LABEL("production")]: [issue(3, APP_ID, body)] } });
    expect(byApp.freeze).toEqual({
      gate: "freeze",
      state: "failed",
      messages: ["production is frozen until unfrozen by @alice: incident 123"],
    });
    const byOthers = await gates({
      ...production(),
      issues: { [FREEZE_LABEL("production")]: [issue(4, null, body), issue(5, 7, body)] },
    });
    expect(byOthers.freeze.state).toBe("passed");
  });
});

describe("signed commits", () => {
  it("fails for a commit GitHub has not verified", async () => {
    const byGate = await gates({ ...production(), commits: [signed(C1), unsigned(C2, "mallory"), signed(HEAD)] });
    expect(byGate.signed_commits).toEqual({
      gate: "signed_commits",
      state: "failed",
      messages: ["commit ddddddd by @mallory is not verified by GitHub (unsigned)"],
    });
    expect(failing(byGate)).toEqual(["signed_commits"]);
  });

  test("issue 11 item 8: fails closed when GitHub counts more commits than were read", async () => {
    // 1,001 commits: the oldest, never read, might be unsigned
    const byGate = await gates({ ...production(), commits: [signed(C1), signed(HEAD)], commitsTotal: 1001 });
    expect(byGate.signed_commits).toEqual({
      gate: "signed_commits",
      state: "failed",
      messages: ["999 of the pull request's 1001 commits were not read, so their signatures were not checked"],
    });
  });
});

describe("verified_by", () => {
  const withStatus = (state: string | undefined): FactsData => ({
    ...production(),
    ci: {
      [STAGING]: { sha: STAGING, statuses: state ? [{ context: "argocd/staging", state, creator: "argocd" }] : [] },
    },
  });

  it("fails when the source stage reported a failure", async () => {
    expect((await gates(withStatus("failure"))).verified_by).toEqual({
      gate: "verified_by",
      state: "failed",
      messages: ["staging has not reported argocd/staging as successful for eeeeeee (it failed)"],
    });
  });

  it("waits while the source stage has not reported", async () => {
    expect((await gates(withStatus(undefined))).verified_by).toEqual({
      gate: "verified_by",
      state: "waiting",
      messages: ["staging has not reported argocd/staging as successful for eeeeeee (not reported yet)"],
    });
    expect((await gates(withStatus("pending"))).verified_by.state).toBe("waiting");
  });

  it("passes on success, from a status or a check run", async () => {
    expect((await gates(withStatus("success"))).verified_by.state).toBe("passed");
    const byCheck = await gates({
      ...production(),
      ci: {
        [STAGING]: {
          sha: STAGING,
          checkRuns: [
            // a re-run by the same app supersedes its earlier failure
            {
              id: 1,
              name: "argocd/staging",
              headSha: STAGING,
              status: "completed",
              conclusion: "failure",
              app: "argocd",
            },
            {
              id: 2,
              name: "argocd/staging",
              headSha: STAGING,
              status: "completed",
              conclusion: "success",
              app: "argocd",
            },
          ],
        },
      },
    });
    expect(byCheck.verified_by.state).toBe("passed");
  });

  // Argo CD (the app `argocd`) reported a failed sync; a workflow and a person reported success afterwards
  const forged: FactsData["ci"] = {
    [STAGING]: {
      sha: STAGING,
      statuses: [{ context: "argocd/staging", state: "success", creator: "mallory" }],
      checkRuns: [
        { id: 1, name: "argocd/staging", headSha: STAGING, status: "completed", conclusion: "failure", app: "argocd" },
        {
          id: 2,
          name: "argocd/staging",
          headSha: STAGING,
          status: "completed",
          conclusion: "success",
          app: "github-actions",
        },
      ],
    },
  };
  const boundYaml = (entry: string) => CONFIG.replace("verified_by: [argocd/staging]", `verified_by: [${entry}]`);

  test("issue 11 item 7: a failure from the trusted app wins over successes from anyone else", async () => {
    const yaml = boundYaml("{ context: argocd/staging, app: argocd }");
    const bound = parseConfig(yaml);
    const eng = await engineFor(yaml, {});
    const env = bound.environments.production;
    const input = await gatherPrInput(plainFacts({ ...production(), ci: forged }), {
      pr: pullInfo(HEAD, { baseRef: "production" }),
      files: [{ path: "apps/web.yaml", status: "modified", additions: 1, deletions: 1 }],
      env,
      config: bound,
      appId: APP_ID,
      nowMs: WEDNESDAY,
    });
    const gate = eng
      .checkGates(env.name, input, { now: () => BigInt(WEDNESDAY) * 1_000_000n })
      .find((g) => g.gate === "verified_by");
    expect(gate).toEqual({
      gate: "verified_by",
      state: "failed",
      messages: ["staging has not reported argocd/staging from app argocd as successful for eeeeeee (it failed)"],
    });
  });

  test("issue 11 item 7: a plain name trusts any source, so any source's failure fails it", async () => {
    const byGate = await gates({ ...production(), ci: forged });
    expect(byGate.verified_by.state).toBe("failed");
  });
});

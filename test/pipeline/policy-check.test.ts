/**
 * The `stagegate / policy` check against the GitHub API simulator: build,
 * tests, impact preview and approval of pull requests that change policies.
 */
import { generateKeyPairSync } from "node:crypto";
import type { Logger } from "probot";
import { Probot, ProbotOctokit } from "probot";
import { pino } from "pino";
import stagegate from "../../src/app.js";
import { EngineCache } from "../../src/pipeline/engines.js";
import type { Deps } from "../../src/pipeline/evaluate.js";
import { POLICY_CHECK, runPolicyCheck } from "../../src/pipeline/policy-check/run.js";
import { approvalStatus } from "../../src/gate/policy-approval.js";
import { latestReviews } from "../../src/gather/reviews.js";
import { diffFailures, environmentBranch } from "../../src/pipeline/policy-check/impact.js";
import { GitHubClient } from "../../src/github/client.js";
import { createSimulator, payloads, type SimCheckRun, type SimRepo, type Simulator } from "../support/sim/index.js";
import type { Finding } from "../../src/types.js";

const CONFIG = `version: 1
policies:
  paths: [policy]
  namespaces: [main]
schemas:
  kubernetes:
    enabled: false
policy:
  approvers:
    users: [carol]
environments:
  staging:
    paths: ["envs/staging/**"]
  production:
    branches: [production]
`;

const POLICY = `package main

import rego.v1

deny_replicas contains msg if {
  input.kind == "Deployment"
  input.spec.replicas < 1
  msg := "replicas must be at least 1"
}
`;

const POLICY_TEST = `package main

import rego.v1

test_zero_replicas_denied if {
  count(deny_replicas) == 1 with input as {"kind": "Deployment", "spec": {"replicas": 0}}
}
`;

const deployment = (name: string, labels: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: {${labels}}
spec:
  replicas: 2
`;

// Two Deployments without a team label and one with: a team-label rule newly blocks two documents.
const APPS = [
  deployment("web", "app: web"),
  deployment("api", "app: api"),
  deployment("db", "app: db, team: data"),
].join("---\n");

const silent = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  trace() {},
  fatal() {},
  child() {
    return silent;
  },
} as unknown as Logger;

let sim: Simulator;
let seq = 0;

beforeAll(async () => {
  sim = await createSimulator();
});
afterAll(() => sim.close());
beforeEach(() => sim.violations.splice(0));
afterEach(() => expect(sim.violations).toEqual([]));

function octokit() {
  return new ProbotOctokit({
    auth: { token: "t" },
    baseUrl: sim.url,
    retry: { enabled: false },
    throttle: { enabled: false },
  } as ConstructorParameters<typeof ProbotOctokit>[0]);
}

function depsFor(repo: SimRepo): Deps {
  const gh = octokit();
  return {
    client: new GitHubClient(gh, { owner: repo.owner, repo: repo.name }),
    appId: sim.appId,
    log: silent,
    engines: new EngineCache(),
  };
}

/** A repository using Stagegate: config and policies on main, a production branch, staging in a directory of main. */
function newRepo(): SimRepo {
  seq += 1;
  const repo = sim.createRepo(`acme/policies-${seq}`, {
    files: {
      ".github/stagegate.yml": CONFIG,
      "policy/main.rego": POLICY,
      "policy/main_test.rego": POLICY_TEST,
      "envs/staging/apps.yaml": APPS,
    },
  });
  repo.setPermission("bob", "write");
  repo.setPermission("carol", "write");
  repo.createBranch("production", "main");
  // The production branch holds only its own manifests.
  repo.commit("production", { "apps.yaml": APPS, "envs/staging/apps.yaml": null });
  return repo;
}

async function policyPr(repo: SimRepo, files: Record<string, string | null>, branch = "change") {
  repo.createBranch(branch, "main");
  repo.commit(branch, files, { author: "alice" });
  return repo.openPullRequest({ head: branch, base: "main", title: "policy change", author: "alice" });
}

async function check(repo: SimRepo, number: number, delivery = `d-${++seq}`): Promise<SimCheckRun> {
  expect(await runPolicyCheck(depsFor(repo), number, { deliveryId: delivery, reason: "test" }, { now: () => 0n })).toBe(
    true,
  );
  const runs = repo.checkRuns(repo.pullRequest(number)!.headSha).filter((r) => r.name === POLICY_CHECK);
  const run = runs[runs.length - 1];
  expect(run.status).toBe("completed");
  return run;
}

const lineOf = (text: string, needle: string) => text.split("\n").findIndex((l) => l.includes(needle)) + 1;

describe("build", () => {
  test("a syntax error fails the check with an annotation at its line", async () => {
    const repo = newRepo();
    const broken = POLICY.replace(
      'msg := "replicas must be at least 1"',
      'msg := "replicas must be at least 1"\n  input.spec.replicas >',
    );
    const pr = await policyPr(repo, { "policy/main.rego": broken });
    const run = await check(repo, pr.number);
    expect(run.conclusion).toBe("failure");
    expect(run.output.title).toMatch(/policy build error/);
    const at = run.annotations.filter((a) => a.path === "policy/main.rego" && a.annotation_level === "failure");
    expect(at.length).toBeGreaterThan(0);
    // opa reports the incomplete expression on its own line or the one after it.
    expect([lineOf(broken, "input.spec.replicas >"), lineOf(broken, "input.spec.replicas >") + 1]).toContain(
      at[0].start_line,
    );
    expect(at[0].message).toMatch(/parse|unexpected|rego/i);
  });

  test("an unsupported builtin (http.send) is annotated where it is called", async () => {
    const repo = newRepo();
    const fetching = `${POLICY}
deny_remote contains msg if {
  resp := http.send({"method": "get", "url": "https://example.com"})
  resp.status_code != 200
  msg := "remote says no"
}
`;
    const pr = await policyPr(repo, { "policy/main.rego": fetching });
    const run = await check(repo, pr.number);
    expect(run.conclusion).toBe("failure");
    // http.send is not merely unsupported in wasm: it does not exist for policies at all (sandbox), so opa check
    // rejects it.
    const at = run.annotations.filter((a) => a.message.includes("http.send"));
    expect(at).toEqual([
      expect.objectContaining({
        path: "policy/main.rego",
        start_line: lineOf(fetching, "http.send"),
        annotation_level: "failure",
      }),
    ]);
    expect(at[0].message).toContain("undefined function http.send");
  });

  test("an invalid proposed config is annotated at its line and nothing is built", async () => {
    const repo = newRepo();
    const bad = CONFIG.replace("    branches: [production]", "    branches: [production]\n    mode: enforced");
    const pr = await policyPr(repo, { ".github/stagegate.yml": bad });
    const run = await check(repo, pr.number);
    expect(run.conclusion).toBe("failure");
    expect(run.annotations).toEqual([
      expect.objectContaining({
        path: ".github/stagegate.yml",
        start_line: lineOf(bad, "mode: enforced"),
        title: "Invalid Stagegate config",
      }),
    ]);
    expect(run.output.summary).toMatch(/environments\.production\.mode/);
  });
});

describe("tests", () => {
  test("a failing policy unit test is annotated at the test", async () => {
    const repo = newRepo();
    const tests = `${POLICY_TEST}
test_two_replicas_denied if {
  count(deny_replicas) == 1 with input as {"kind": "Deployment", "spec": {"replicas": 2}}
}
`;
    const pr = await policyPr(repo, { "policy/main_test.rego": tests });
    repo.review(pr.number, "carol", "APPROVED");
    const run = await check(repo, pr.number);
    expect(run.conclusion).toBe("failure");
    expect(run.output.title).toMatch(/1 failing policy test/);
    expect(run.annotations).toEqual([
      expect.objectContaining({
        path: "policy/main_test.rego",
        start_line: lineOf(tests, "test_two_replicas_denied"),
        annotation_level: "failure",
        title: expect.stringContaining("main.test_two_replicas_denied"),
      }),
    ]);
    expect(run.output.summary).toContain("1 passed, 1 failed");
  });
});

describe("impact preview", () => {
  test(
    "a new rule that newly blocks two documents in production is listed per environment; the preview " +
      "does not fail the check",
    async () => {
      const repo = newRepo();
      const stricter = `${POLICY}
deny_team_label contains msg if {
  input.kind == "Deployment"
  not input.metadata.labels.team
  msg := "every Deployment needs a team label"
}
`;
      const pr = await policyPr(repo, { "policy/main.rego": stricter });
      repo.review(pr.number, "carol", "APPROVED");
      const run = await check(repo, pr.number);
      expect(run.conclusion).toBe("success");
      const summary = run.output.summary!;
      const row = (env: string) => summary.split("\n").find((l) => l.startsWith(`| ${env} |`));
      expect(row("production")).toMatch(/\| 1 \| 2 \| 0 \|$/);
      expect(row("production")).toContain(`\`production\` @ \`${repo.branchSha("production")!.slice(0, 7)}\``);
      expect(row("staging")).toMatch(/\| 1 \| 2 \| 0 \|$/);
      const prodNew = summary.slice(summary.indexOf("**production: newly failing**"));
      // Each finding at its document's first line.
      expect(prodNew).toContain(
        "`apps.yaml:1` (document 1) `main.deny_team_label`: every Deployment needs a team label",
      );
      expect(prodNew).toContain(`\`apps.yaml:${lineOf(APPS, "name: api") - 3}\` (document 2) \`main.deny_team_label\``);
      expect(prodNew).not.toContain("(document 3)");
    },
  );

  test("removing a rule lists the documents that stop failing; a cap on files is reported", async () => {
    const repo = newRepo();
    repo.commit("production", {
      "apps.yaml": APPS.replace(/replicas: 2/g, "replicas: 0"),
      "more.yaml": deployment("x", "team: x"),
    });
    const capped = CONFIG.replace("policy:\n", "limits:\n  max_files: 1\npolicy:\n");
    const pr = await policyPr(repo, {
      "policy/main.rego": "package main\n",
      "policy/main_test.rego": null,
      ".github/stagegate.yml": capped,
    });
    const run = await check(repo, pr.number);
    const summary = run.output.summary!;
    expect(summary).toContain("1 of 2 ⚠️ capped");
    expect(summary).toContain("only the first 1 (by path) were previewed");
    expect(summary).toMatch(/\| production \| [^|]+ \| 1 of 2 ⚠️ capped \| 0 \| 3 \|/);
    expect(summary).toContain("**production: no longer failing**");
  });
});

describe("approval", () => {
  const stricter = `${POLICY}\ndeny_latest contains msg if {\n  input.kind == "Deployment"\n  false\n  msg := "x"\n}\n`;

  test("a non-approver's approval does not count; a policy approver's on the current head does", async () => {
    const repo = newRepo();
    const pr = await policyPr(repo, { "policy/main.rego": stricter });
    repo.review(pr.number, "bob", "APPROVED");
    repo.review(pr.number, "alice", "APPROVED"); // the author: never counts
    let run = await check(repo, pr.number);
    expect(run.conclusion).toBe("failure");
    expect(run.output.title).toContain("approval by one of @carol on the current head");
    expect(run.output.summary).toContain("@bob's approval does not count: not a policy approver");
    expect(run.output.summary).toContain("@alice's approval does not count: the author cannot approve");

    repo.review(pr.number, "carol", "APPROVED");
    run = await check(repo, pr.number);
    expect(run.conclusion).toBe("success");
    expect(run.output.summary).toContain("Approved on the current head by @carol");
  });

  test("an approval of an earlier head does not count", async () => {
    const repo = newRepo();
    const pr = await policyPr(repo, { "policy/main.rego": stricter });
    const oldHead = pr.headSha;
    repo.review(pr.number, "carol", "APPROVED");
    repo.commit("change", { "policy/main.rego": `${stricter}\n# tweak\n` }, { author: "alice" });
    const run = await check(repo, pr.number);
    expect(repo.pullRequest(pr.number)!.headSha).not.toBe(oldHead);
    expect(run.conclusion).toBe("failure");
    expect(run.output.summary).toContain(`approved an earlier commit (${oldHead.slice(0, 7)})`);
  });

  test(
    "without configured approvers, a repository admin's approval is needed — from the default branch's " +
      "config, not the PR's",
    async () => {
      const repo = newRepo();
      repo.commit("main", {
        ".github/stagegate.yml": CONFIG.replace("policy:\n  approvers:\n    users: [carol]\n", ""),
      });
      // The PR tries to make its author's friend an approver: it has no effect on its own check.
      const pr = await policyPr(repo, { ".github/stagegate.yml": CONFIG.replace("users: [carol]", "users: [bob]") });
      repo.review(pr.number, "bob", "APPROVED");
      let run = await check(repo, pr.number);
      expect(run.conclusion).toBe("failure");
      expect(run.output.title).toContain("approval by a repository admin");
      repo.setPermission("dana", "admin");
      repo.review(pr.number, "dana", "APPROVED");
      run = await check(repo, pr.number);
      expect(run.conclusion).toBe("success");
    },
  );
});

describe("scope and idempotency", () => {
  test(
    "a PR that changes no policy file gets a green policy check at once (so it can be required); a " +
      "redelivery publishes nothing more",
    async () => {
      const repo = newRepo();
      const plain = await policyPr(repo, { "envs/staging/apps.yaml": APPS.replace("app: web", "app: web2") }, "plain");
      expect(await runPolicyCheck(depsFor(repo), plain.number, { deliveryId: "x", reason: "test" })).toBe(true);
      expect(
        repo
          .checkRuns(plain.headSha)
          .filter((r) => r.name === POLICY_CHECK)
          .map((r) => [r.status, r.conclusion, r.output.title]),
      ).toEqual([["completed", "success", "No policy files changed"]]);
      expect(await runPolicyCheck(depsFor(repo), plain.number, { deliveryId: "x", reason: "test" })).toBe(false);

      const pr = await policyPr(repo, { "policy/main.rego": `${POLICY}\n# comment\n` });
      await check(repo, pr.number, "same-delivery");
      expect(await runPolicyCheck(depsFor(repo), pr.number, { deliveryId: "same-delivery", reason: "test" })).toBe(
        false,
      );
      expect(repo.checkRuns(pr.headSha).filter((r) => r.name === POLICY_CHECK)).toHaveLength(1);
    },
  );
});

describe("pure parts", () => {
  const finding = (file: string, documentIndex: number, ruleId: string): Finding => ({
    ruleId,
    message: "m",
    severity: "failure",
    source: "policy",
    location: { file, line: 1 },
    documentIndex,
  });

  test("diffFailures keys on file, document and rule", () => {
    const d = diffFailures(
      [finding("a", 0, "r1"), finding("a", 1, "r1")],
      [finding("a", 0, "r1"), finding("a", 0, "r2"), finding("a", 0, "r2")],
    );
    expect(d.newlyFailing.map((e) => [e.file, e.documentIndex, e.ruleId])).toEqual([["a", 0, "r2"]]);
    expect(d.noLongerFailing.map((e) => [e.file, e.documentIndex, e.ruleId])).toEqual([["a", 1, "r1"]]);
  });

  test("environmentBranch takes the first literal branch, or the default branch for directory environments", () => {
    const env = (branches: string[], paths: string[]) =>
      ({ branches, paths }) as Parameters<typeof environmentBranch>[0];
    expect(environmentBranch(env(["release/*", "prod"], []), "main")).toBe("prod");
    expect(environmentBranch(env(["release/*"], []), "main")).toBeUndefined();
    expect(environmentBranch(env([], ["envs/prod/**"]), "main")).toBe("main");
  });

  test("the latest verdict per reviewer counts; a later comment leaves an approval standing, a dismissal removes it", async () => {
    const at = (m: number) => `2026-01-01T00:0${m}:00Z`;
    const latest = latestReviews(
      [
        { reviewer: "carol", state: "APPROVED", submittedAt: at(1), commitSha: "h" },
        { reviewer: "carol", state: "COMMENTED", submittedAt: at(2), commitSha: "h" },
        { reviewer: "dave", state: "APPROVED", submittedAt: at(3), commitSha: "h" },
        { reviewer: "Dave", state: "DISMISSED", submittedAt: at(4), commitSha: "h" },
        { reviewer: "erin", state: "APPROVED", submittedAt: at(5), commitSha: "old" },
      ],
      "h",
    );
    expect(latest.map((r) => [r.reviewer, r.state])).toEqual([
      ["carol", "APPROVED"],
      ["Dave", "DISMISSED"],
      ["erin", "APPROVED"],
    ]);
    const s = await approvalStatus(latest, "alice", { users: ["carol", "dave", "erin"], teams: [] }, async (u) =>
      ["carol", "dave", "erin"].includes(u.toLowerCase()),
    );
    expect(s.approvedBy).toEqual(["carol"]);
    expect(s.ignored).toEqual([{ user: "erin", reason: expect.stringContaining("earlier commit (old)") }]);
  });
});

/** The whole Probot app against the simulator. */
async function app(): Promise<Probot> {
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const probot = new Probot({
    appId: sim.appId,
    privateKey,
    log: pino({ level: "silent" }),
    // A function default applies last: Probot would otherwise replace `throttle` and space writes a second apart.
    Octokit: ProbotOctokit.defaults((o: Record<string, unknown>) => ({
      ...o,
      baseUrl: sim.url,
      retry: { enabled: false },
      throttle: { enabled: false },
    })),
  });
  await probot.load(stagegate);
  return probot;
}

type Delivery = Parameters<Probot["receive"]>[0];

describe("through the app's handlers", () => {
  test("pull_request.opened publishes the policy check; an approving review re-runs it", async () => {
    const repo = newRepo();
    const pr = await policyPr(repo, { "policy/main.rego": `${POLICY}\n# reworded\n` });
    const probot = await app();
    await probot.receive({
      id: "open-1",
      name: "pull_request",
      payload: payloads.pullRequest(repo, pr.number, "opened"),
    } as Delivery);
    let runs = repo.checkRuns(pr.headSha).filter((r) => r.name === POLICY_CHECK);
    expect(runs.map((r) => [r.status, r.conclusion, r.externalId])).toEqual([
      ["completed", "failure", "open-1:stagegate / policy"],
    ]);

    repo.review(pr.number, "carol", "APPROVED");
    await probot.receive({
      id: "review-1",
      name: "pull_request_review",
      payload: payloads.pullRequestReview(repo, pr.number, "submitted"),
    } as Delivery);
    runs = repo.checkRuns(pr.headSha).filter((r) => r.name === POLICY_CHECK);
    expect(runs.map((r) => [r.conclusion, r.externalId])).toEqual([
      ["failure", "open-1:stagegate / policy"],
      ["success", "review-1:stagegate / policy"],
    ]);
  });
});

describe("after a policy change merges", () => {
  test("a push to the default branch that changes policies re-evaluates open pull requests", async () => {
    const repo = newRepo();
    // An open PR into production, evaluated under the old policies.
    repo.createBranch("release", "production");
    repo.commit("release", { "apps.yaml": APPS.replace("app: web", "app: web, version: v2") });
    const open = repo.openPullRequest({ head: "release", base: "production", title: "release", author: "bob" });
    const policyPrNumber = (
      await policyPr(repo, {
        "policy/main.rego":
          `${POLICY}\ndeny_team_label contains msg if {\n  input.kind == "Deployment"\n  ` +
          `not input.metadata.labels.team\n  msg := "team label"\n}\n`,
      })
    ).number;
    const before = repo.branchSha("main")!;
    repo.mergePullRequest(policyPrNumber);

    const probot = await app();
    await probot.receive({ id: "push-1", name: "push", payload: payloads.push(repo, "main", { before }) } as Delivery);

    const prod = repo.checkRuns(open.headSha).filter((r) => r.name === "stagegate / production");
    expect(prod).toHaveLength(1);
    expect(prod[0].externalId).toBe("push-1:stagegate / production");
    // Judged by the merged policies: the changed file's Deployments lack team labels.
    expect(prod[0].conclusion).toBe("failure");
    expect(prod[0].annotations.filter((a) => a.path === "apps.yaml" && a.message.includes("team label"))).toHaveLength(
      2,
    );
  });
});

/**
 * Issue 11 item 1: a pull request's proposed policy cannot hang the app. The policy check evaluates it in a worker
 * thread under a wall-clock budget; while it runs, the app handles another repository's delivery; when the budget
 * expires, the check fails naming it.
 */
import type { Logger } from "probot";
import { ProbotOctokit } from "probot";
import { EngineCache } from "../../src/pipeline/engines.js";
import type { Deps } from "../../src/pipeline/evaluate.js";
import { POLICY_CHECK, runPolicyCheck } from "../../src/pipeline/policy-check/run.js";
import { GitHubClient } from "../../src/github/client.js";
import { createSimulator, type SimRepo, type Simulator } from "../support/sim/index.js";

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

// 10^10 iterations per document: effectively forever.
const FOREVER = `${POLICY}
deny_forever contains msg if {
  input.kind == "Deployment"
  # 10^10 steps; each product allocates in wasm, so on a fast machine the memory budget may stop it first.
  r := numbers.range(1, 100000)
  some a in r
  some b in r
  a * b == -1
  msg := "never"
}
`;

// Exponential on a backtracking engine (issue 11 item 1: 116 s for 30 characters); linear with RE2 semantics.
const CATASTROPHIC = `${POLICY}
deny_name contains msg if {
  input.kind == "Deployment"
  regex.match("^(a+)+$", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!")
  msg := "unreachable"
}
`;

const APPS = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
`;

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
beforeAll(async () => {
  sim = await createSimulator();
});
afterAll(() => sim.close());

function depsFor(repo: SimRepo): Deps {
  const gh = new ProbotOctokit({
    auth: { token: "t" },
    baseUrl: sim.url,
    retry: { enabled: false },
    throttle: { enabled: false },
  } as ConstructorParameters<typeof ProbotOctokit>[0]);
  return {
    client: new GitHubClient(gh, { owner: repo.owner, repo: repo.name }),
    appId: sim.appId,
    log: silent,
    engines: new EngineCache(),
  };
}

function repoWithPr(name: string, policy: string) {
  const repo = sim.createRepo(name, {
    files: { ".github/stagegate.yml": CONFIG, "policy/main.rego": POLICY },
  });
  repo.setPermission("carol", "write");
  repo.createBranch("production", "main");
  repo.commit("production", { "apps.yaml": APPS });
  repo.createBranch("change", "main");
  repo.commit("change", { "policy/main.rego": policy }, { author: "alice" });
  const pr = repo.openPullRequest({ head: "change", base: "main", title: "policy change", author: "alice" });
  return { repo, pr };
}

const lastRun = (repo: SimRepo, number: number) =>
  repo
    .checkRuns(repo.pullRequest(number)!.headSha)
    .filter((r) => r.name === POLICY_CHECK)
    .at(-1)!;

test(
  "issue 11 item 1: a proposed policy that runs forever fails the policy check naming the budget; " +
    "another repository's delivery is handled meanwhile",
  async () => {
    const slow = repoWithPr("acme/forever", FOREVER);
    const other = repoWithPr("acme/regex", CATASTROPHIC);
    other.repo.review(other.pr.number, "carol", "APPROVED");
    const finished: string[] = [];
    const trigger = (id: string) => ({ deliveryId: id, reason: "test" });

    const forever = runPolicyCheck(depsFor(slow.repo), slow.pr.number, trigger("d-forever"), {
      now: () => 0n,
      budget: { timeoutMs: 20_000, memoryMiB: 1024 },
    }).then(() => finished.push("forever"));
    // Another repository's pull request, with a catastrophic regex in its proposed policy, while the first one runs.
    await runPolicyCheck(depsFor(other.repo), other.pr.number, trigger("d-regex"), { now: () => 0n });
    finished.push("other");
    await forever;

    expect(finished).toEqual(["other", "forever"]);
    const otherRun = lastRun(other.repo, other.pr.number);
    expect(otherRun.status).toBe("completed");
    expect(otherRun.conclusion).toBe("success");
    const run = lastRun(slow.repo, slow.pr.number);
    expect(run.status).toBe("completed");
    expect(run.conclusion).toBe("failure");
    // Whichever budget stops it first (time here, memory on a fast machine), the title names it.
    expect(run.output.title).toMatch(/policy evaluation exceeded its (budget of 20 s|memory budget of 1024 MiB)/);
    expect(sim.violations).toEqual([]);
  },
);

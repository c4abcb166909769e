/** Issue 11 items 12 and 17: what the process keeps between deliveries must not weaken the gate. */
import type { Logger } from "probot";
import { ProbotOctokit } from "probot";
import { parseConfig } from "../../src/config/load.js";
import { GitHubClient } from "../../src/github/client.js";
import type { GitHubRepoReader } from "../../src/github/repo-reader.js";
import { Coalescer } from "../../src/pipeline/coalesce.js";
import { EngineCache } from "../../src/pipeline/engines.js";
import { reevaluatePulls } from "../../src/pipeline/reevaluate.js";
import { memoryReader } from "../gate/helpers.js";
import { startApp, useNock } from "../handlers/harness.js";
import { pullRequest } from "../handlers/payloads.js";
import { DIRECTORY_CONFIG, GOOD_WEB, POLICY } from "../handlers/repo-content.js";
import { directoryRepo, PROD_CHECK, WEB } from "../handlers/scenarios.js";

useNock();

const silent = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  trace() {},
  fatal() {},
  child: () => silent,
} as unknown as Logger;

describe("issue 11 item 17: coalescing and shared heads", () => {
  test("a policy check asked for by a request the coalescer replaced still runs", async () => {
    const fx = directoryRepo({ "policy/main.rego": `${POLICY}\n# tightened\n` });
    await startApp(fx); // routes GitHub through the simulator
    const octokit = new ProbotOctokit({
      auth: { token: "t" },
      retry: { enabled: false },
      throttle: { enabled: false },
    });
    const client = new GitHubClient(octokit, { owner: fx.owner, repo: fx.repo });
    const deps = { client, appId: fx.appId, log: silent, engines: new EngineCache() };
    const coalescer = new Coalescer();
    const trigger = (deliveryId: string) => ({ deliveryId, reason: "test" });
    // The first runs at once; the second (which asks for the policy check) queues; the third replaces it.
    await Promise.all([
      reevaluatePulls(deps, coalescer, [5], trigger("a")),
      reevaluatePulls(deps, coalescer, [5], trigger("b"), { policyCheck: true }),
      reevaluatePulls(deps, coalescer, [5], trigger("c")),
    ]);
    expect(fx.runsNamed("stagegate / policy")).toHaveLength(1);
  });

  test("two open PRs into one environment with the same head commit: neither can pass the other's check", async () => {
    const fx = directoryRepo({ [WEB]: GOOD_WEB.replace("replicas: 3", "replicas: 4") });
    const pr = fx.repository.pullRequest(5)!;
    // A second PR from another branch at exactly the same commit.
    fx.repository.createBranch("copy", "feature-5");
    fx.repository.openPullRequest({ head: "copy", base: "main", number: 6, title: "copy", author: "mallory" });
    const { receive } = await startApp(fx);
    await receive("pull_request", pullRequest(fx, 5, "opened"));
    const [run] = fx.runsNamed(PROD_CHECK);
    const done = fx.completion(run.id);
    expect(done.conclusion).toBe("failure");
    expect(JSON.stringify(done.output)).toContain("also the head of #6");
    expect(pr.headSha).toBe(fx.repository.pullRequest(6)!.headSha);
  });
});

describe("issue 11 item 12: a tightened organization config applies at once", () => {
  test("the engine cache is keyed by the resolved config, not only the repository's commit", async () => {
    const files = { "policy/main.rego": POLICY };
    const reader = { ...memoryReader(files), preload: async () => {} } as unknown as GitHubRepoReader;
    const cache = new EngineCache();
    const loose = parseConfig(DIRECTORY_CONFIG);
    const strict = parseConfig(DIRECTORY_CONFIG.replace("mode: warn", "mode: enforce"));
    expect(strict.environments.staging.mode).toBe("enforce");
    const a = await cache.get("acme/gitops", "sha1", loose, reader);
    const again = await cache.get("acme/gitops", "sha1", loose, reader);
    expect(again).toBe(a);
    // Same repository commit, but the organization default it extends changed: a new engine.
    const b = await cache.get("acme/gitops", "sha1", strict, reader);
    expect(b).not.toBe(a);
  });
});

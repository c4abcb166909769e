/**
 * Issue 11: ways around the gate through the evaluation pipeline, each tried as an attacker with write access
 * would, against the real app and the GitHub simulator. Every test names the item it closes.
 */
import { startApp, useNock } from "../handlers/harness.js";
import { mergeGroup, pullRequest } from "../handlers/payloads.js";
import { BAD_WEB, configWith, GOOD_WEB } from "../handlers/repo-content.js";
import { directoryRepo, PROD_CHECK, WEB } from "../handlers/scenarios.js";

useNock();

const POLICY_CHECK = "stagegate / policy";

/** 3,000 harmless files that sort before `envs/`: GitHub's file list of the PR ends before anything else. */
function padding(): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < 3000; i++) out[`aaa/pad-${String(i).padStart(4, "0")}.txt`] = `${i}\n`;
  return out;
}

describe("issue 11 item 2: 3,000-file padding", () => {
  test("a production manifest past GitHub's 3,000 listed files is still judged (production is not green)", async () => {
    const fx = directoryRepo({ ...padding(), "envs/production/evil.yaml": BAD_WEB });
    const { receive } = await startApp(fx);
    await receive("pull_request", pullRequest(fx, 5, "opened"));
    const [run] = fx.runsNamed(PROD_CHECK);
    const done = fx.completion(run.id);
    expect(done.conclusion).toBe("failure");
    expect(fx.annotationsOf(run.id)).toContainEqual(
      expect.objectContaining({ path: "envs/production/evil.yaml", annotation_level: "failure" }),
    );
  }, 120_000);
});

describe("issue 11 item 3: 3,000-file padding around a policy change", () => {
  test("emptying the policy file behind 3,000 padded files still needs a policy approval", async () => {
    const fx = directoryRepo({ ...padding(), "policy/main.rego": "package main\n" });
    const { receive } = await startApp(fx);
    await receive("pull_request", pullRequest(fx, 5, "opened"));
    const [run] = fx.runsNamed(POLICY_CHECK);
    const done = fx.completion(run.id);
    expect(done.output.title).not.toBe("No policy files changed");
    expect(done.conclusion).toBe("failure");
    expect(done.output.summary).toContain("policy/main.rego");
  }, 120_000);
});

describe("issue 11 item 5: changed paths Stagegate does not read", () => {
  test("a symlink, a dot-file and an extensionless file under production fail it, each by name", async () => {
    const fx = directoryRepo({});
    const repo = fx.repository;
    repo.git.modes.set("envs/production/link.yaml", "120000");
    const head = repo.commit("feature-5", {
      "envs/production/link.yaml": "../../somewhere/else.yaml",
      "envs/production/.hidden.yaml": BAD_WEB,
      "envs/production/kustomization": "resources: [web.yaml]\n",
    });
    fx.sha.head = head;
    const { receive } = await startApp(fx);
    await receive("pull_request", pullRequest(fx, 5, "synchronize"));
    const runs = fx.runsNamed(PROD_CHECK);
    const run = runs[runs.length - 1];
    expect(fx.completion(run.id).conclusion).toBe("failure");
    const paths = fx.annotationsOf(run.id).map((a) => `${a.path}: ${a.message}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^envs\/production\/link\.yaml: .*symbolic link/),
        expect.stringMatching(/^envs\/production\/\.hidden\.yaml: .*not judged/),
        expect.stringMatching(/^envs\/production\/kustomization: .*not judged/),
      ]),
    );
    // The symlink's text was never downloaded as if it were the manifest.
    expect(fx.graphqlReads.map((r) => r.path)).not.toContain("envs/production/link.yaml");
  });

  test("a submodule under production fails it", async () => {
    const fx = directoryRepo({});
    fx.repository.git.modes.set("envs/production/vendor.yaml", "160000");
    fx.sha.head = fx.repository.commit("feature-5", { "envs/production/vendor.yaml": "submodule" });
    const { receive } = await startApp(fx);
    await receive("pull_request", pullRequest(fx, 5, "synchronize"));
    const runs = fx.runsNamed(PROD_CHECK);
    const run = runs[runs.length - 1];
    expect(fx.completion(run.id).conclusion).toBe("failure");
    expect(fx.annotationsOf(run.id)).toContainEqual(
      expect.objectContaining({ path: "envs/production/vendor.yaml", message: expect.stringContaining("submodule") }),
    );
  });

  test("`ignore` is how a file the deploy tool never reads passes", async () => {
    const config = configWith(`  production:
    paths: ["envs/production/**"]
    ignore: ["**/README*"]
`);
    const fx = directoryRepo({ "envs/production/README": "notes\n" });
    fx.repository.commit("main", { ".github/stagegate.yml": config });
    const { receive } = await startApp(fx);
    await receive("pull_request", pullRequest(fx, 5, "opened"));
    const [run] = fx.runsNamed(PROD_CHECK);
    expect(fx.completion(run.id).conclusion).toBe("success");
  });
});

describe("issue 11 item 10: manifests over max_file_bytes", () => {
  test("an oversized manifest fails without being downloaded", async () => {
    const big = `${GOOD_WEB}# ${"x".repeat(2_000_000)}\n`;
    const fx = directoryRepo({ [WEB]: big });
    const { receive } = await startApp(fx);
    await receive("pull_request", pullRequest(fx, 5, "opened"));
    const [run] = fx.runsNamed(PROD_CHECK);
    expect(fx.completion(run.id).conclusion).toBe("failure");
    expect(fx.annotationsOf(run.id)).toContainEqual(
      expect.objectContaining({ path: WEB, message: expect.stringMatching(/more than the limit of 1048576 bytes/) }),
    );
    expect(fx.graphqlReads.map((r) => r.path)).not.toContain(WEB);
  });
});

describe("issue 11 item 13: merge groups and freezes", () => {
  test("a merge group that changes no manifest still stops at a frozen environment", async () => {
    const config = configWith(`  production:
    paths: ["envs/production/**"]
    freeze:
      windows:
        - { cron: "* * * * *", duration: 1h, timezone: UTC, reason: "always frozen" }
`);
    const fx = directoryRepo({ "README.md": "# changed\n" });
    fx.repository.commit("main", { ".github/stagegate.yml": config });
    fx.repository.createBranch("gh-readonly-queue/main/pr-1", "main");
    const head = fx.repository.commit("gh-readonly-queue/main/pr-1", { "docs/notes.md": "notes\n" });
    const { receive } = await startApp(fx);
    await receive("merge_group", mergeGroup(fx, "checks_requested", { headSha: head, baseRef: "main" }));
    const [run] = fx.runsNamed(PROD_CHECK);
    const done = fx.completion(run.id);
    expect(done.conclusion).toBe("failure");
    expect(JSON.stringify(done.output)).toContain("always frozen");
  });
});

describe("issue 11 item 19: a test merge commit that lags a push behind", () => {
  test("the head is evaluated when GitHub's merge commit does not contain it", async () => {
    const fx = directoryRepo({ [WEB]: GOOD_WEB });
    const repo = fx.repository;
    const pr = repo.pullRequest(5)!;
    const stale = repo.testMerge(pr).sha!;
    fx.sha.head = repo.commit("feature-5", { [WEB]: BAD_WEB });
    // GitHub still serves the merge commit it computed for the previous head.
    (repo as unknown as { mergeCache: Map<string, unknown> }).mergeCache.set(`${pr.baseSha}..${pr.headSha}`, {
      sha: stale,
      conflicts: [],
    });
    const { receive } = await startApp(fx);
    await receive("pull_request", pullRequest(fx, 5, "synchronize"));
    const [run] = fx.runsNamed(PROD_CHECK);
    const done = fx.completion(run.id);
    expect(done.conclusion).toBe("failure");
    expect(done.output.summary).toContain("does not contain the head");
  });
});

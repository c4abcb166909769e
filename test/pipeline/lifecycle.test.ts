/**
 * Graceful shutdown and recovery against the simulator: in-flight check runs are completed (failed, inviting a
 * re-run) when the grace period ends, and on start the runs an earlier process left in progress are completed and
 * their pull requests evaluated again.
 */
import { withRuntime } from "../../src/app.js";
import { GitHubClient } from "../../src/github/client.js";
import { CheckPublisher } from "../../src/pipeline/publish.js";
import { RESTARTED_TITLE } from "../../src/pipeline/restart-recovery.js";
import { createRuntime } from "../../src/pipeline/runtime.js";
import { INTERRUPTED_TITLE, shutdown } from "../../src/pipeline/shutdown.js";
import { startApp, useNock } from "../handlers/harness.js";
import { BAD_WEB } from "../handlers/repo-content.js";
import { productionRepo, PROD_CHECK, WEB } from "../handlers/scenarios.js";

useNock();

describe("shutdown", () => {
  test("a run still in progress when the grace period ends is completed as a failure inviting a re-run", async () => {
    const fx = productionRepo();
    const runtime = createRuntime();
    const { probot, logs } = await startApp(fx, withRuntime(runtime));
    const client = new GitHubClient(await probot.auth(fx.installationId), { owner: fx.owner, repo: fx.repo });
    const publisher = new CheckPublisher(client, runtime.runs);
    const id = await publisher.start(PROD_CHECK, fx.sha.head, "d1:x");
    // An evaluation that will not finish in time.
    runtime.lifecycle.track(new Promise(() => undefined));

    const result = await shutdown(runtime, 0, probot.log);
    expect(result).toEqual({ finished: false, interrupted: 1 });
    const done = fx.completion(id);
    expect(done.conclusion).toBe("failure");
    expect(done.output.title).toBe(INTERRUPTED_TITLE);
    expect(fx.pending()).toEqual([]);
    expect(runtime.lifecycle.phase).toBe("stopped");
    expect(logs).toContainEqual(expect.objectContaining({ msg: "check runs completed as interrupted on shutdown" }));
    // The evaluation that owned the run writes nothing more to it.
    await publisher.complete(id, "success", { title: "late", summary: "late" });
    expect(fx.updatesOf(id)).toHaveLength(1);
  });

  test("work that finishes within the grace period is waited for, and nothing is interrupted", async () => {
    const runtime = createRuntime();
    const { probot } = await startApp(productionRepo(), withRuntime(runtime));
    let finish!: () => void;
    runtime.lifecycle.track(new Promise<void>((resolve) => (finish = resolve)));
    expect(runtime.lifecycle.accepting).toBe(true);
    const stopping = shutdown(runtime, 60_000, probot.log);
    expect(runtime.lifecycle.accepting).toBe(false);
    expect(runtime.lifecycle.phase).toBe("draining");
    finish();
    await expect(stopping).resolves.toEqual({ finished: true, interrupted: 0 });
  });
});

describe("recovery on start", () => {
  test("a run left in progress on an open PR is completed and the PR evaluated again", async () => {
    const fx = productionRepo({ change: { [WEB]: BAD_WEB } });
    const stale = fx.seedRun({ name: PROD_CHECK, head_sha: fx.sha.head, status: "in_progress", conclusion: null });
    const runtime = createRuntime();
    await startApp(fx, withRuntime(runtime));

    // The simulator's clock runs ahead of the real one: any run it started counts as started before.
    const found = await runtime.recover!(Date.now() + 86_400_000);
    expect(found).toEqual({ repositories: 1, pulls: 1, runs: 1 });
    expect(fx.completion(stale.id)).toMatchObject({ conclusion: "failure", output: { title: RESTARTED_TITLE } });
    const fresh = fx.runsNamed(PROD_CHECK).filter((r) => r.id !== stale.id);
    expect(fresh).toHaveLength(1);
    expect(fx.completion(fresh[0].id).conclusion).toBe("failure");
    expect(fx.pending()).toEqual([]);
  });

  test("nothing left in progress: no check run is written", async () => {
    const fx = productionRepo({ change: { [WEB]: BAD_WEB } });
    const runtime = createRuntime();
    await startApp(fx, withRuntime(runtime));
    await expect(runtime.recover!(Date.now() + 86_400_000)).resolves.toEqual({ repositories: 1, pulls: 0, runs: 0 });
    expect(fx.created).toEqual([]);
    expect(fx.updates).toEqual([]);
  });
});

/**
 * Fail closed, visibly, when the config cannot be read: a failing check appears at once, under the last known
 * environment names (or one `stagegate` check), and the PR is re-evaluated on a schedule until GitHub recovers.
 * The retry clock is injected: the test fires each scheduled retry itself.
 */
import { withRuntime } from "../../src/app.js";
import type { ScheduleFn } from "../../src/pipeline/config-recovery.js";
import { createRuntime } from "../../src/pipeline/runtime.js";
import { startApp, useNock } from "../handlers/harness.js";
import { pullRequest } from "../handlers/payloads.js";
import { BAD_WEB } from "../handlers/repo-content.js";
import { productionRepo, PROD_CHECK, WEB } from "../handlers/scenarios.js";
import type { SimGitHub } from "../support/github.js";

useNock();

/** A clock that only moves when the test says so. */
function manualClock() {
  const due: Array<{ ms: number; fn: () => Promise<void>; cancelled: boolean }> = [];
  const schedule: ScheduleFn = (fn, ms) => {
    const entry = { ms, fn, cancelled: false };
    due.push(entry);
    return () => (entry.cancelled = true);
  };
  return {
    schedule,
    /** Delays of the retries waiting, in order. */
    waiting: () => due.filter((d) => !d.cancelled).map((d) => d.ms),
    /** Runs the earliest waiting retry to its end. */
    async fire() {
      const next = due.find((d) => !d.cancelled);
      if (!next) throw new Error("no retry scheduled");
      next.cancelled = true;
      await next.fn();
    },
  };
}

const configRead500 = (fx: SimGitHub) => {
  fx.override = (method, path, body) =>
    method === "POST" && path === "/graphql" && String(body?.query).includes("stagegate.yml")
      ? [500, { message: "Server Error" }]
      : undefined;
};

describe("config cannot be read", () => {
  test("no config known: one failing `stagegate` check says why, then the real verdict once GitHub recovers", async () => {
    const fx = productionRepo({ change: { [WEB]: BAD_WEB } });
    const clock = manualClock();
    const runtime = createRuntime({ recovery: { schedule: clock.schedule } });
    configRead500(fx);
    const { receive, logs } = await startApp(fx, withRuntime(runtime));
    await receive("pull_request", pullRequest(fx, 7, "opened"), "d-cfg");

    expect(fx.created.map((c) => c.name)).toEqual(["stagegate"]);
    const [failing] = fx.created;
    expect(failing).toMatchObject({ status: "completed", conclusion: "failure", head_sha: fx.sha.head });
    expect(failing.output.title).toMatch(/^Stagegate could not read \.github\/stagegate\.yml: GitHub answered 500/);
    expect(failing.output.summary).toContain("tries again in 15 s");
    expect(logs).toContainEqual(expect.objectContaining({ msg: "config could not be read: failing closed" }));
    expect(clock.waiting()).toEqual([15_000]);

    // Still failing: the next attempt backs off.
    await clock.fire();
    expect(clock.waiting()).toEqual([30_000]);
    expect(fx.created.filter((c) => c.name === "stagegate")).toHaveLength(2);

    // GitHub recovers: the retry evaluates for real, without anyone pushing, and schedules nothing more.
    fx.override = undefined;
    await clock.fire();
    const [run] = fx.runsNamed(PROD_CHECK);
    expect(fx.completion(run.id).conclusion).toBe("failure");
    expect(fx.annotationsOf(run.id).length).toBeGreaterThan(0);
    expect(clock.waiting()).toEqual([]);
    expect(fx.pending()).toEqual([]);
  });

  test("a config read before: the failing checks carry its environment names", async () => {
    const fx = productionRepo({ change: { [WEB]: BAD_WEB } });
    const clock = manualClock();
    const { receive } = await startApp(fx, withRuntime({ recovery: { schedule: clock.schedule } }));
    await receive("pull_request", pullRequest(fx, 7, "opened"), "first");
    configRead500(fx);
    await receive("pull_request", pullRequest(fx, 7, "synchronize"), "second");

    const failing = fx.created.filter((c) => c.external_id === `second:${PROD_CHECK}`);
    expect(failing).toEqual([
      expect.objectContaining({ name: PROD_CHECK, status: "completed", conclusion: "failure" }),
    ]);
    expect(failing[0].output.title).toMatch(/could not read \.github\/stagegate\.yml/);
    expect(fx.createdNamed("stagegate")).toEqual([]);
    // A retry that fails again posts its own failing check; the next one, once GitHub answers, the real verdict.
    await clock.fire();
    expect(fx.createdNamed(PROD_CHECK).map((c) => [c.external_id, c.conclusion])).toEqual([
      [`first:${PROD_CHECK}`, undefined],
      [`second:${PROD_CHECK}`, "failure"],
      [`config-retry-1:second:${PROD_CHECK}`, "failure"],
    ]);
    fx.override = undefined;
    await clock.fire();
    const real = fx.runsNamed(PROD_CHECK).find((r) => r.externalId === `config-retry-2:second:${PROD_CHECK}`);
    expect(fx.completion(real!.id).output.title).not.toMatch(/could not read/);
    expect(fx.annotationsOf(real!.id).length).toBeGreaterThan(0);
    expect(clock.waiting()).toEqual([]);
    configRead500(fx);
    await receive("pull_request", pullRequest(fx, 7, "synchronize"), "fourth");
    expect(clock.waiting()).toEqual([15_000]);
    // A new delivery that reads the config settles the pending retry.
    fx.override = undefined;
    await receive("pull_request", pullRequest(fx, 7, "synchronize"), "third");
    expect(clock.waiting()).toEqual([]);
  });

  test("the same delivery received twice posts the failing check once", async () => {
    const fx = productionRepo({ change: { [WEB]: BAD_WEB } });
    const clock = manualClock();
    configRead500(fx);
    const { receive } = await startApp(fx, withRuntime({ recovery: { schedule: clock.schedule } }));
    await receive("pull_request", pullRequest(fx, 7, "opened"), "same");
    await receive("pull_request", pullRequest(fx, 7, "opened"), "same");
    expect(fx.createdNamed("stagegate")).toHaveLength(1);
  });
});

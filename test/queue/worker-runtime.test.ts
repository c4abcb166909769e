/**
 * A job a Redis worker runs belongs to its replica's runtime like in-process work: counted in flight (a
 * graceful shutdown waits for it) and in the metrics; and a config-read retry of a queued PR goes back to the
 * shared queue, because the client it is built from keeps the installation it acts as.
 */
import { Redis } from "ioredis";
import { withRuntime } from "../../src/app.js";
import type { ScheduleFn } from "../../src/pipeline/config-recovery.js";
import { createRuntime, type Runtime } from "../../src/pipeline/runtime.js";
import { closeWorkQueues, queuedWork } from "../../src/queue/index.js";
import { startApp, useNock } from "../handlers/harness.js";
import { pullRequest } from "../handlers/payloads.js";
import { BAD_WEB } from "../handlers/repo-content.js";
import { productionRepo, PROD_CHECK, WEB } from "../handlers/scenarios.js";
import type { SimGitHub } from "../support/github.js";
import { startRedis, type RedisServer } from "./redis-server.js";

useNock();

let redis: RedisServer;
let client: Redis;
let tests = 0;

beforeAll(async () => {
  redis = await startRedis();
  process.env.REDIS_URL = redis.url;
  client = new Redis(redis.url);
}, 30_000);

beforeEach(() => {
  // Each test its own keys: a PR's request counter starts at zero.
  process.env.STAGEGATE_REDIS_PREFIX = `worker-runtime-${++tests}`;
});

afterEach(async () => {
  await closeWorkQueues();
});

afterAll(async () => {
  delete process.env.REDIS_URL;
  delete process.env.STAGEGATE_REDIS_PREFIX;
  client?.disconnect();
  await redis?.stop();
});

async function settled(fx: SimGitHub): Promise<void> {
  while ((await queuedWork()) > 0 || fx.pending().length > 0) await new Promise((r) => setTimeout(r, 50));
}

/** Requests the shared queue has counted for PR 7 (every webhook or retry enqueued for it). */
async function queuedRequests(fx: SimGitHub): Promise<number> {
  return Number(await client.hget(`${process.env.STAGEGATE_REDIS_PREFIX}:pull:${fx.fullName}#7`, "seq"));
}

async function evaluations(runtime: Runtime): Promise<number> {
  return (await runtime.metrics.evaluations.get()).values.reduce((sum, v) => sum + v.value, 0);
}

describe("a Redis worker's job", () => {
  test("is work in hand of its replica while it runs, and counted in its metrics", async () => {
    const fx = productionRepo({ change: { [WEB]: BAD_WEB } });
    const runtime = createRuntime();
    const inFlightAtWrite: number[] = [];
    const queueAtWrite: Array<Promise<string>> = [];
    const queueGauge = () => runtime.metrics.registry.getSingleMetricAsString("stagegate_queue_jobs");
    fx.override = (method, path) => {
      if (method === "POST" && path.endsWith("/check-runs")) {
        inFlightAtWrite.push(runtime.lifecycle.inFlight);
        queueAtWrite.push(queueGauge());
      }
      return undefined;
    };
    const { receive } = await startApp(fx, withRuntime(runtime));
    await receive("pull_request", pullRequest(fx, 7, "opened"), "queued-1");
    await settled(fx);

    expect(await queuedRequests(fx)).toBe(1);
    expect(inFlightAtWrite.length).toBeGreaterThan(0);
    expect(inFlightAtWrite.every((n) => n > 0)).toBe(true);
    expect(runtime.lifecycle.inFlight).toBe(0);
    expect(await evaluations(runtime)).toBeGreaterThan(0);
    // /metrics shows the shared queue's depth: the running job while it wrote, nothing once done.
    expect(await Promise.all(queueAtWrite)).toContainEqual(expect.stringMatching(/^stagegate_queue_jobs [1-9]/m));
    expect(await queueGauge()).toMatch(/^stagegate_queue_jobs 0$/m);
    const [run] = fx.runsNamed(PROD_CHECK);
    expect(fx.completion(run.id).conclusion).toBe("failure");
  }, 60_000);

  test("whose config could not be read is retried through the shared queue", async () => {
    const fx = productionRepo({ change: { [WEB]: BAD_WEB } });
    const due: Array<() => Promise<void>> = [];
    const schedule: ScheduleFn = (fn) => {
      due.push(fn);
      return () => {};
    };
    fx.override = (method, path, body) =>
      method === "POST" && path === "/graphql" && String(body?.query).includes("stagegate.yml")
        ? [500, { message: "Server Error" }]
        : undefined;
    const { receive } = await startApp(fx, withRuntime({ recovery: { schedule } }));
    await receive("pull_request", pullRequest(fx, 7, "opened"), "cfg-1");
    await settled(fx);
    expect(fx.created.map((c) => [c.name, c.conclusion])).toEqual([["stagegate", "failure"]]);
    expect(due).toHaveLength(1);

    // GitHub recovers; the scheduled retry enqueues the PR again (not run on the side in this process).
    fx.override = undefined;
    await due.shift()!();
    await settled(fx);
    expect(await queuedRequests(fx)).toBe(2);
    const [run] = fx.runsNamed(PROD_CHECK);
    expect(run.externalId).toBe(`config-retry-1:cfg-1:${PROD_CHECK}`);
    expect(fx.completion(run.id).conclusion).toBe("failure");
    expect(fx.completion(run.id).output.title).not.toMatch(/could not read/);
  }, 60_000);
});

/**
 * Issue 13: two app replicas (two Probot instances with the real app) sharing a real Redis, against the GitHub
 * simulator. Deliveries spread over both replicas; any replica's worker takes the work.
 */
import { closeWorkQueues, queuedWork } from "../../src/queue/index.js";
import { startApp, useNock, type Harness } from "../handlers/harness.js";
import { pullRequest } from "../handlers/payloads.js";
import { BAD_WEB, GOOD_WEB } from "../handlers/repo-content.js";
import { productionRepo, PROD_CHECK, WEB } from "../handlers/scenarios.js";
import type { SimGitHub } from "../support/github.js";
import { startRedis, type RedisServer } from "./redis-server.js";

useNock();

let redis: RedisServer;

beforeAll(async () => {
  redis = await startRedis();
  process.env.REDIS_URL = redis.url;
}, 30_000);

afterEach(async () => {
  await closeWorkQueues();
});

afterAll(async () => {
  delete process.env.REDIS_URL;
  await redis?.stop();
});

async function replicas(fx: SimGitHub): Promise<[Harness, Harness]> {
  return [await startApp(fx), await startApp(fx)];
}

/** Until every queued job of both replicas has run and no check run of ours is left open. */
async function settled(fx: SimGitHub): Promise<void> {
  while ((await queuedWork()) > 0 || fx.pending().length > 0) await new Promise((r) => setTimeout(r, 50));
}

/** Our check runs as `sha name` → how many. */
function runsBySha(fx: SimGitHub): Record<string, number> {
  const count: Record<string, number> = {};
  for (const run of fx.repository.checkRuns().filter((r) => r.appId === fx.appId)) {
    const key = `${run.headSha} ${run.name}`;
    count[key] = (count[key] ?? 0) + 1;
  }
  return count;
}

describe("two replicas sharing Redis", () => {
  test(
    "5 concurrent synchronize deliveries + 2 redeliveries over 2 replicas: one run per (SHA, environment), " +
      "on the newest head",
    async () => {
      const fx = productionRepo({ change: { [WEB]: BAD_WEB } });
      const [a, b] = await replicas(fx);
      // Five pushes; each delivery carries the head of its push, and all arrive after the last push.
      const payloads = [1, 2, 3, 4, 5].map((i) => {
        fx.repository.commit("feature-7", { [WEB]: GOOD_WEB.replace("web:1.4.0", `web:1.4.${i}`) });
        return pullRequest(fx, 7, "synchronize");
      });
      const newest = fx.repository.pull(7).headSha;
      await Promise.all([
        a.receive("pull_request", payloads[0], "push-1"),
        b.receive("pull_request", payloads[1], "push-2"),
        a.receive("pull_request", payloads[2], "push-3"),
        b.receive("pull_request", payloads[3], "push-4"),
        a.receive("pull_request", payloads[4], "push-5"),
        // Redeliveries, to the other replica.
        a.receive("pull_request", payloads[1], "push-2"),
        b.receive("pull_request", payloads[4], "push-5"),
      ]);
      await settled(fx);

      expect(runsBySha(fx)).toEqual({ [`${newest} ${PROD_CHECK}`]: 1 });
      const [run] = fx.runsNamed(PROD_CHECK);
      expect(fx.completion(run.id).conclusion).toBe("success");
      expect([...a.logs, ...b.logs].filter((l) => l.level >= 50)).toEqual([]);
    },
    60_000,
  );

  test("older pushes and a redelivery arriving after the newest head was evaluated add no run", async () => {
    const fx = productionRepo({ change: { [WEB]: BAD_WEB } });
    const [a, b] = await replicas(fx);
    const payloads = [1, 2, 3].map((i) => {
      fx.repository.commit("feature-7", { [WEB]: GOOD_WEB.replace("web:1.4.0", `web:1.4.${i}`) });
      return pullRequest(fx, 7, "synchronize");
    });
    await b.receive("pull_request", payloads[2], "push-3");
    await settled(fx);
    await Promise.all([
      a.receive("pull_request", payloads[0], "push-1"),
      b.receive("pull_request", payloads[1], "push-2"),
      a.receive("pull_request", payloads[2], "push-3"),
    ]);
    await settled(fx);
    expect(runsBySha(fx)).toEqual({ [`${fx.repository.pull(7).headSha} ${PROD_CHECK}`]: 1 });
  }, 60_000);

  test("a request that is not about a head (main moved) arriving after a run evaluates again", async () => {
    const fx = productionRepo({ change: { [WEB]: BAD_WEB } });
    const [a, b] = await replicas(fx);
    await a.receive("pull_request", pullRequest(fx, 7, "synchronize"), "push-1");
    await settled(fx);
    // Labelled: not about the head, so the earlier run does not cover it.
    await b.receive("pull_request", pullRequest(fx, 7, "labeled", { label: { name: "x" } }), "label-1");
    await settled(fx);
    expect(fx.createdNamed(PROD_CHECK).map((c) => c.external_id)).toEqual([
      `push-1:${PROD_CHECK}`,
      `label-1:${PROD_CHECK}`,
    ]);
  }, 60_000);
});

/**
 * The Redis work queue driven directly (two instances = two replicas) on a real Redis, with the GitHub simulator:
 * a policy check is never dropped, a dead replica's lock or job is taken over, freeze ticks run on one replica.
 */
import { Redis } from "ioredis";
import type { Probot } from "probot";
import { clientForInstallation } from "../../src/github/probot.js";
import type { GitHubClient } from "../../src/github/client.js";
import type { Deps } from "../../src/pipeline/deps.js";
import { EngineCache } from "../../src/pipeline/engines.js";
import { reevaluatePulls } from "../../src/pipeline/reevaluate.js";
import { redisTicks } from "../../src/queue/freeze-ticks.js";
import { RedisWorkQueue } from "../../src/queue/redis-queue.js";
import { startApp, useNock } from "../handlers/harness.js";
import { POLICY } from "../handlers/repo-content.js";
import { directoryRepo, PROD_CHECK } from "../handlers/scenarios.js";
import type { SimGitHub } from "../support/github.js";
import { startRedis, type RedisServer } from "./redis-server.js";

useNock();

let redis: RedisServer;
const open: RedisWorkQueue[] = [];

beforeAll(async () => {
  redis = await startRedis();
}, 30_000);

afterEach(async () => {
  await Promise.all(open.splice(0).map((q) => q.close()));
});

afterAll(async () => {
  await redis?.stop();
});

const engines = new EngineCache();

function replica(
  probot: Probot,
  opts: { prefix: string; lockMs?: number; depsFor?: (client: GitHubClient) => Promise<Deps> },
): RedisWorkQueue {
  const depsFor = opts.depsFor ?? (async (client: GitHubClient) => ({ client, appId: 123, log: probot.log, engines }));
  const q = new RedisWorkQueue(probot, depsFor, {
    url: redis.url,
    prefix: opts.prefix,
    lockMs: opts.lockMs,
    stalledIntervalMs: opts.lockMs,
  });
  open.push(q);
  return q;
}

async function settled(fx: SimGitHub, q: RedisWorkQueue): Promise<void> {
  while ((await q.depth()) > 0 || fx.pending().length > 0) await new Promise((r) => setTimeout(r, 50));
}

const trigger = (deliveryId: string) => ({ deliveryId, reason: "test" });

describe("the Redis work queue", () => {
  test("a policy check asked for by one of three requests spread over two replicas runs once", async () => {
    const fx = directoryRepo({ "policy/main.rego": `${POLICY}\n# tightened\n` });
    const { probot } = await startApp(fx);
    const [a, b] = [replica(probot, { prefix: "policy" }), replica(probot, { prefix: "policy" })];
    const client = await clientForInstallation(probot, fx.installationId, { owner: fx.owner, repo: fx.repo });
    const deps = { client, appId: fx.appId, log: probot.log, engines };
    await Promise.all([
      reevaluatePulls(deps, a, [5], trigger("a")),
      reevaluatePulls(deps, b, [5], trigger("b"), { policyCheck: true }),
      reevaluatePulls(deps, a, [5], trigger("c")),
    ]);
    await settled(fx, a);
    expect(fx.runsNamed("stagegate / policy")).toHaveLength(1);
    expect(fx.runsNamed(PROD_CHECK).length).toBeGreaterThanOrEqual(1);
  }, 60_000);

  test("a PR lock left by a replica that died expires, and the waiting request then runs", async () => {
    const fx = directoryRepo({ "README.md": "# changed\n" });
    const { probot } = await startApp(fx);
    const conn = new Redis(redis.url);
    // What a replica killed mid-run leaves behind: the PR's lock, no longer renewed.
    await conn.set("dead:lock:acme/gitops#5", "gone", "PX", 1_000);
    conn.disconnect();
    const a = replica(probot, { prefix: "dead" });
    const client = await clientForInstallation(probot, fx.installationId, { owner: fx.owner, repo: fx.repo });
    await reevaluatePulls({ client, appId: fx.appId, log: probot.log, engines }, a, [5], trigger("after-crash"));
    await settled(fx, a);
    expect(fx.createdNamed(PROD_CHECK).map((c) => c.external_id)).toEqual([`after-crash:${PROD_CHECK}`]);
  }, 60_000);

  test("a job whose replica died mid-run is retried by another replica", async () => {
    const fx = directoryRepo({ "README.md": "# changed\n" });
    const { probot } = await startApp(fx);
    let taken!: () => void;
    const wasTaken = new Promise<void>((r) => (taken = r));
    // This replica takes the job and never finishes it (it hangs as a process would that is being killed).
    const dying = replica(probot, {
      prefix: "stall",
      lockMs: 1_000,
      depsFor: () => {
        taken();
        return new Promise<Deps>(() => {});
      },
    });
    const client = await clientForInstallation(probot, fx.installationId, { owner: fx.owner, repo: fx.repo });
    const deps = { client, appId: fx.appId, log: probot.log, engines };
    await reevaluatePulls(deps, dying, [5], trigger("crashed"));
    await wasTaken;
    // Killed: its connections drop, so neither its PR lock nor its hold on the job is renewed.
    await dying.kill();
    const survivor = replica(probot, { prefix: "stall", lockMs: 1_000 });
    await settled(fx, survivor);
    expect(fx.createdNamed(PROD_CHECK).map((c) => c.external_id)).toEqual([`crashed:${PROD_CHECK}`]);
  }, 60_000);

  test("freeze re-check ticks: one replica of two wins each interval, and the marks are shared", async () => {
    const [r1, r2] = [new Redis(redis.url), new Redis(redis.url)];
    try {
      const [t1, t2] = [redisTicks(r1, "ticks"), redisTicks(r2, "ticks")];
      const wins = await Promise.all([t1.claim(60_000), t2.claim(60_000)]);
      expect(wins.filter(Boolean)).toHaveLength(1);
      await t1.save(new Map([["acme/gitops", 1234]]));
      const marks = new Map<string, number>();
      await t2.load(marks);
      expect(marks).toEqual(new Map([["acme/gitops", 1234]]));
    } finally {
      r1.disconnect();
      r2.disconnect();
    }
  });
});

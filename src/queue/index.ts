import type { Probot } from "probot";
import type { GitHubClient } from "../github/client.js";
import { closePacers } from "../github/shared-pacing.js";
import { Coalescer, type WorkQueue } from "../pipeline/coalesce.js";
import type { Deps } from "../pipeline/deps.js";
import type { TickCoordinator } from "../pipeline/freeze-scheduler.js";
import { redisTicks } from "./freeze-ticks.js";
import { RedisWorkQueue } from "./redis-queue.js";

export { RedisWorkQueue } from "./redis-queue.js";

export interface Work {
  queue: WorkQueue;
  /** With several replicas, which one runs a freeze re-check tick; absent with one. */
  ticks?: TickCoordinator;
}

/**
 * The work queue, chosen at start-up: without `REDIS_URL` the in-process
 * coalescer (one replica, nothing to install); with it, BullMQ on Redis,
 * shared by every replica. `depsFor` gives a worker what an evaluation needs
 * for a client it built from a job's installation.
 */
export function createWork(
  app: Probot,
  depsFor: (client: GitHubClient) => Promise<Deps>,
  env: NodeJS.ProcessEnv = process.env,
): Work {
  const url = env.REDIS_URL;
  if (!url) return { queue: new Coalescer() };
  const prefix = env.STAGEGATE_REDIS_PREFIX || "stagegate";
  const concurrency = Number(env.STAGEGATE_WORKER_CONCURRENCY) || 4;
  const queue = new RedisWorkQueue(app, depsFor, { url, prefix, concurrency });
  open.add(queue);
  return { queue, ticks: redisTicks(queue.redis, prefix) };
}

const open = new Set<RedisWorkQueue>();

/** Jobs waiting, delayed or running over every replica sharing the process's Redis queue (0 in-process). */
export async function queuedWork(): Promise<number> {
  const depths = await Promise.all([...open].map((q) => q.depth()));
  return Math.max(0, ...depths);
}

/** Closes every Redis work queue and write pacer of the process (shutdown, tests): running jobs finish first. */
export async function closeWorkQueues(): Promise<void> {
  const all = [...open];
  open.clear();
  closePacers();
  await Promise.all(all.map((q) => q.close()));
}

import type { Redis } from "ioredis";
import type { FreezeMarks, TickCoordinator } from "../pipeline/freeze-scheduler.js";

/**
 * Freeze re-check ticks shared by replicas: each interval one replica wins
 * the tick (a Redis key that expires just before the next one), and the
 * marks of what was re-checked live in Redis, so whichever replica runs the
 * next tick starts where the last one stopped.
 */
export function redisTicks(redis: Redis, prefix: string): TickCoordinator {
  const marksKey = `${prefix}:freeze:marks`;
  return {
    async claim(intervalMs) {
      // A little shorter than the interval, so the next tick (on any replica) finds it free.
      const ttl = Math.max(1, intervalMs - Math.min(5_000, Math.floor(intervalMs / 10)));
      return (await redis.set(`${prefix}:freeze:tick`, String(Date.now()), "PX", ttl, "NX")) === "OK";
    },
    async load(marks: FreezeMarks) {
      for (const [repo, ms] of Object.entries(await redis.hgetall(marksKey))) marks.set(repo, Number(ms));
    },
    async save(marks: FreezeMarks) {
      if (marks.size === 0) return;
      await redis.hset(marksKey, ...[...marks].flatMap(([repo, ms]) => [repo, String(ms)]));
    },
  };
}

import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";

const RENEW =
  `if redis.call("get", KEYS[1]) == ARGV[1] then ` + `return redis.call("pexpire", KEYS[1], ARGV[2]) end return 0`;
const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) end return 0`;

export interface HeldLock {
  release(): Promise<void>;
}

/**
 * A lock shared by replicas: taken with an expiry and renewed while held, so
 * a replica that dies mid-run frees it within `ttlMs` and another can retry.
 */
export async function tryLock(redis: Redis, key: string, ttlMs: number): Promise<HeldLock | undefined> {
  const token = randomUUID();
  if ((await redis.set(key, token, "PX", ttlMs, "NX")) !== "OK") return undefined;
  const timer = setInterval(
    () => {
      redis.eval(RENEW, 1, key, token, ttlMs).catch(() => {});
    },
    Math.max(100, Math.floor(ttlMs / 3)),
  );
  timer.unref();
  return {
    release: async () => {
      clearInterval(timer);
      await redis.eval(RELEASE, 1, key, token);
    },
  };
}

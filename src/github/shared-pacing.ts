import { Redis } from "ioredis";

/** Something that lets callers through one by one, a minimum interval apart. */
export interface WritePacer {
  next(): Promise<void>;
}

/** Resolves callers one by one, at least `ms` apart (one process). */
export class LocalPacer implements WritePacer {
  private nextAt = 0;
  constructor(private readonly ms: number) {}

  async next(): Promise<void> {
    const now = Date.now();
    const at = Math.max(now, this.nextAt);
    this.nextAt = at + this.ms;
    if (at > now) await new Promise((resolve) => setTimeout(resolve, at - now));
  }
}

// Takes the next free slot on Redis's own clock and answers how long to wait for it: replicas share one pace.
const TAKE_SLOT =
  `local t = redis.call("TIME") local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) ` +
  `local at = math.max(now, tonumber(redis.call("GET", KEYS[1]) or "0")) local ms = tonumber(ARGV[1]) ` +
  `redis.call("SET", KEYS[1], at + ms, "PX", at + ms - now + 60000) return at - now`;

/**
 * Writes paced across every replica sharing Redis, per installation (`id`):
 * GitHub asks for a second between an installation's writes, not a process's.
 * One connection serves every installation. Should Redis fail, this replica
 * paces its own writes rather than stopping them.
 */
export class RedisPacing {
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly prefix: string,
    private readonly ms: number,
  ) {
    this.redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    this.redis.on("error", () => {});
    open.add(this);
  }

  pacer(id: string): WritePacer {
    const key = `${this.prefix}:pacing:writes:${id}`;
    const fallback = new LocalPacer(this.ms);
    return {
      next: async () => {
        let wait: number;
        try {
          wait = Number(await this.redis.eval(TAKE_SLOT, 1, key, this.ms));
        } catch {
          return fallback.next();
        }
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      },
    };
  }

  close(): void {
    open.delete(this);
    this.redis.disconnect();
  }
}

const open = new Set<RedisPacing>();

/** Closes every Redis pacing connection of the process (graceful shutdown, tests). */
export function closePacers(): void {
  for (const p of [...open]) p.close();
}

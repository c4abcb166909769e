import { Redis } from "ioredis";

/** Something that lets callers through one by one, each at its paced time. */
export interface WritePacer {
  next(): Promise<void>;
  /** GitHub answered a secondary rate limit: no write before `ms` from now, then the sustained pace, no burst. */
  hold(ms: number): Promise<void>;
}

/**
 * How fast one installation's writes may go. Sustained: one per `intervalMs`
 * (GitHub asks for a second between writes). A quiet installation may spend up
 * to `burst` writes `gapMs` apart before the sustained pace applies, so no
 * window of 60 s holds more than 60 + `burst` writes: with the default burst
 * of 20, GitHub's secondary limit of 80 content-creating requests a minute.
 * `burst: 0` keeps the strict one-a-second pace.
 */
export interface WritePace {
  intervalMs: number;
  burst: number;
  gapMs: number;
}

export const DEFAULT_PACE: WritePace = { intervalMs: 1000, burst: 20, gapMs: 250 };

/** `STAGEGATE_WRITE_BURST` (default 20; 0: a second between every write). */
export function writePaceFromEnv(env: NodeJS.ProcessEnv = process.env): WritePace {
  const raw = env.STAGEGATE_WRITE_BURST?.trim();
  if (raw === undefined || raw === "") return DEFAULT_PACE;
  const burst = Number(raw);
  if (!Number.isInteger(burst) || burst < 0 || burst > 20)
    throw new Error(`STAGEGATE_WRITE_BURST must be a whole number from 0 to 20, not "${raw}"`);
  return { ...DEFAULT_PACE, burst };
}

/** When the pace last let a write through, and its theoretical arrival time (generic cell rate algorithm). */
export interface PaceState {
  tat: number;
  last: number;
}

export const START: PaceState = { tat: 0, last: -Infinity };

/**
 * The slot of a write asked for at `now`: as soon as the burst allowance and the gap allow. Pure, so the local and
 * the Redis pacer (the same steps in Lua) agree, and the 60 s bound can be checked without a clock.
 */
export function reserve(pace: WritePace, state: PaceState, now: number): { at: number; state: PaceState } {
  const tolerance = Math.max(0, pace.burst - 1) * pace.intervalMs;
  const gap = pace.burst > 0 ? pace.gapMs : pace.intervalMs;
  const at = Math.max(now, state.tat - tolerance, state.last + gap);
  return { at, state: { tat: Math.max(state.tat, at) + pace.intervalMs, last: at } };
}

/** The state after GitHub asked for `ms` of quiet at `now`: the next write at the end of it, without a burst. */
export function holdFor(pace: WritePace, state: PaceState, now: number, ms: number): PaceState {
  const resume = now + ms;
  const tolerance = Math.max(0, pace.burst - 1) * pace.intervalMs;
  const gap = pace.burst > 0 ? pace.gapMs : pace.intervalMs;
  return { tat: Math.max(state.tat, resume + tolerance), last: Math.max(state.last, resume - gap) };
}

/** Paces this process's writes alone. */
export class LocalPacer implements WritePacer {
  private state = START;
  constructor(private readonly pace: WritePace = DEFAULT_PACE) {}

  async next(): Promise<void> {
    const now = Date.now();
    const slot = reserve(this.pace, this.state, now);
    this.state = slot.state;
    if (slot.at > now) await new Promise((resolve) => setTimeout(resolve, slot.at - now));
  }

  async hold(ms: number): Promise<void> {
    this.state = holdFor(this.pace, this.state, Date.now(), ms);
  }
}

// `reserve` on Redis's own clock, atomically: replicas share one pace. Answers how long to wait for the slot.
const TAKE_SLOT = [
  `local t = redis.call("TIME") local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`,
  `local tat = tonumber(redis.call("HGET", KEYS[1], "tat") or "0")`,
  `local last = tonumber(redis.call("HGET", KEYS[1], "last") or "-1e15")`,
  `local interval, tolerance, gap = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])`,
  `local at = math.max(now, tat - tolerance, last + gap)`,
  `tat = math.max(tat, at) + interval`,
  `redis.call("HSET", KEYS[1], "tat", tat, "last", at)`,
  `redis.call("PEXPIRE", KEYS[1], math.floor(tat - now + 60000))`,
  `return at - now`,
].join(" ");

// `holdFor` on Redis's clock.
const HOLD = [
  `local t = redis.call("TIME") local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`,
  `local tat = tonumber(redis.call("HGET", KEYS[1], "tat") or "0")`,
  `local last = tonumber(redis.call("HGET", KEYS[1], "last") or "-1e15")`,
  `local resume, tolerance, gap = now + tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])`,
  `tat = math.max(tat, resume + tolerance)`,
  `redis.call("HSET", KEYS[1], "tat", tat, "last", math.max(last, resume - gap))`,
  `redis.call("PEXPIRE", KEYS[1], math.floor(tat - now + 60000))`,
].join(" ");

/**
 * Writes paced across every replica sharing Redis, per installation (`id`):
 * GitHub's limits are an installation's, not a process's. One connection
 * serves every installation. Should Redis fail, this replica paces its own
 * writes rather than stopping them.
 */
export class RedisPacing {
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly prefix: string,
    private readonly pace: WritePace = DEFAULT_PACE,
  ) {
    this.redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    this.redis.on("error", () => {});
    open.add(this);
  }

  pacer(id: string): WritePacer {
    const key = `${this.prefix}:pacing:bucket:${id}`;
    const fallback = new LocalPacer(this.pace);
    const { intervalMs, burst, gapMs } = this.pace;
    const args = [intervalMs, Math.max(0, burst - 1) * intervalMs, burst > 0 ? gapMs : intervalMs];
    return {
      next: async () => {
        let wait: number;
        try {
          wait = Number(await this.redis.eval(TAKE_SLOT, 1, key, ...args));
        } catch {
          return fallback.next();
        }
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      },
      hold: async (ms) => {
        await fallback.hold(ms);
        await this.redis.eval(HOLD, 1, key, ms, args[1], args[2]).catch(() => {});
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

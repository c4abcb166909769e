/**
 * Probot's throttling (octokit plugin-throttling) sends every GraphQL request
 * through the same one-per-second queue as writes: an
 * evaluation's reads then wait behind every other evaluation's check-run
 * writes. These limiter groups keep GitHub's advice for writes (one at a time,
 * a second apart, after a short burst) but let reads — REST GETs and GraphQL queries alike, which
 * is all Stagegate sends to /graphql — go at once, up to `maxConcurrent`.
 * They replace the plugin's `write` and `global` groups; the auth, search and
 * notification groups, and the retry on rate limits, stay the plugin's own.
 */

import { DEFAULT_PACE, LocalPacer, type WritePace, type WritePacer } from "./shared-pacing.js";

/** The slice of a Bottleneck group the throttling plugin calls. */
type Job = (...args: unknown[]) => Promise<unknown>;
interface Group {
  key(id: string): { schedule(jobOptions: object, fn: Job, ...args: unknown[]): Promise<unknown> };
}

export interface ReadsFirstOptions {
  /** Requests in flight at once (the plugin's default is 10). */
  maxConcurrent?: number;
  /** The pace of each installation's writes in this process (see WritePace). */
  pace?: WritePace;
  /**
   * The pace of one installation's writes (`id`: Probot's throttle id, the installation), when not this
   * process's alone (replicas sharing Redis: see shared-pacing.ts).
   */
  pacer?: (id: string) => WritePacer;
}

export interface ReadsFirst {
  /** The limiter groups that replace the plugin's `write` and `global`. */
  groups: { write: Group; global: Group };
  /** GitHub answered installation `id` with a secondary rate limit: hold its writes `ms`. */
  hold(id: string, ms: number): Promise<void>;
}

export function readsFirstThrottle(opts: ReadsFirstOptions = {}): ReadsFirst {
  const slots = new Semaphore(opts.maxConcurrent ?? 10);
  // Per installation, as Probot's own limiter keys them: one installation's burst does not hold up another's.
  const pacers = new Map<string, WritePacer>();
  const pacerOf = (id: string) => {
    let p = pacers.get(id);
    if (!p) pacers.set(id, (p = opts.pacer ? opts.pacer(id) : new LocalPacer(opts.pace ?? DEFAULT_PACE)));
    return p;
  };
  // The plugin waits on `write` before GraphQL requests and writes alike: pass through, and pace in `global`
  // where the request itself (method, url) is known.
  const write: Group = { key: () => ({ schedule: (_o, fn, ...args) => fn(...args) }) };
  const global: Group = {
    key: (id) => ({
      schedule: async (_o, fn, ...args) => {
        const options = args[0] as { method?: string; url?: string } | undefined;
        if (isWrite(options)) await pacerOf(String(id)).next();
        return slots.run(() => fn(...args));
      },
    }),
  };
  return { groups: { write, global }, hold: (id, ms) => pacerOf(id).hold(ms) };
}

function isWrite(options: { method?: string; url?: string } | undefined): boolean {
  const method = (options?.method ?? "GET").toUpperCase();
  if (method === "GET" || method === "HEAD") return false;
  const path = String(options?.url ?? "").replace(/^https?:\/\/[^/]+/, "");
  // Stagegate sends only queries to GraphQL (no mutations): reads.
  return !/(^|\/)graphql$/.test(path.split("?")[0]);
}

/** At most `n` tasks at once, first come first served. */
class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly n: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.n) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

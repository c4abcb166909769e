import type { StagegateConfig } from "../config/types.js";

/** Cancels a scheduled callback. */
export type Cancel = () => void;
/** Schedules `fn` after `ms`; injectable so tests drive retries without waiting. */
export type ScheduleFn = (fn: () => Promise<void>, ms: number) => Cancel;

export const realTimer: ScheduleFn = (fn, ms) => {
  const t = setTimeout(() => void fn().catch(() => undefined), ms);
  // A pending retry must not keep a stopping process alive.
  t.unref();
  return () => clearTimeout(t);
};

export interface ConfigRecoveryOptions {
  /** Delays between attempts; the last one repeats. Default 15 s, 30 s, 60 s, 2 min, 5 min. */
  delaysMs?: number[];
  /** Attempts before giving up (each still leaves a failing check). Default 24 (about 1 h 45 min). */
  maxAttempts?: number;
  schedule?: ScheduleFn;
  /** Repositories whose last good config is remembered. Default 1,000. */
  capacity?: number;
}

export interface KnownConfig {
  config: StagegateConfig;
  branch: string;
}

/**
 * When the config cannot be read, the failing check goes under the check names
 * of the last config read for that repository, so a required `stagegate / <env>`
 * check fails visibly instead of never appearing; and the PR is re-evaluated on
 * a backing-off schedule until GitHub answers again. In memory only: after a
 * restart the first failure falls back to a single `stagegate` check.
 */
export class ConfigRecovery {
  private readonly known = new Map<string, KnownConfig>();
  private readonly retries = new Map<string, { attempt: number; cancel?: Cancel }>();
  private readonly delays: number[];
  private readonly maxAttempts: number;
  private readonly schedule: ScheduleFn;
  private readonly capacity: number;
  private stopped = false;

  constructor(opts: ConfigRecoveryOptions = {}) {
    this.delays = opts.delaysMs?.length ? opts.delaysMs : [15_000, 30_000, 60_000, 120_000, 300_000];
    this.maxAttempts = opts.maxAttempts ?? 24;
    this.schedule = opts.schedule ?? realTimer;
    this.capacity = opts.capacity ?? 1000;
  }

  remember(repo: string, known: KnownConfig): void {
    // Re-inserting keeps the map in least-recently-read order, so the oldest goes first.
    this.known.delete(repo);
    this.known.set(repo, known);
    if (this.known.size > this.capacity) this.known.delete(this.known.keys().next().value!);
  }

  lastKnown(repo: string): KnownConfig | undefined {
    return this.known.get(repo);
  }

  /** The delay before the next attempt for `key`, or undefined when it has been retried enough. */
  nextDelay(key: string): number | undefined {
    const attempt = this.retries.get(key)?.attempt ?? 0;
    if (this.stopped || attempt >= this.maxAttempts) return undefined;
    return this.delays[Math.min(attempt, this.delays.length - 1)];
  }

  /** Schedules `run` after the next delay (replacing a pending one); returns the delay, or undefined if none. */
  retry(key: string, run: (attempt: number) => Promise<void>): number | undefined {
    const delay = this.nextDelay(key);
    const entry = this.retries.get(key) ?? { attempt: 0 };
    entry.cancel?.();
    entry.cancel = undefined;
    if (delay === undefined) {
      this.retries.delete(key);
      return undefined;
    }
    entry.attempt += 1;
    const attempt = entry.attempt;
    entry.cancel = this.schedule(async () => {
      entry.cancel = undefined;
      await run(attempt);
    }, delay);
    this.retries.set(key, entry);
    return delay;
  }

  /** The config was read again: no retry is pending any more for `key`. */
  settled(key: string): void {
    this.retries.get(key)?.cancel?.();
    this.retries.delete(key);
  }

  /** Retries waiting for their time. */
  get pending(): number {
    return [...this.retries.values()].filter((r) => r.cancel).length;
  }

  /** Shutdown: cancel every pending retry and schedule no more. */
  stop(): void {
    this.stopped = true;
    for (const r of this.retries.values()) r.cancel?.();
    this.retries.clear();
  }
}

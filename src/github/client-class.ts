import { ProbotOctokit } from "probot";
import type { RequestMetrics } from "./request-metrics.js";
import { RedisPacing, writePaceFromEnv, type WritePace } from "./shared-pacing.js";
import { readsFirstThrottle } from "./throttle.js";

export interface ThrottleSharing {
  /** Probot's own (clustered) limiter stays in charge: GraphQL reads then queue with writes. */
  sharedThrottle: boolean;
  /** Replicas share Redis: writes are paced across all of them, reads still go at once. */
  redis?: { url: string; prefix?: string };
  /** How fast an installation's writes go (default: from STAGEGATE_WRITE_BURST). */
  pace?: WritePace;
}

/**
 * The Octokit class the server gives Probot: every request counted for
 * `/metrics`, and reads that never wait behind writes — writes paced per
 * installation (see WritePace) in this process, or across replicas when they share Redis (`redis`). Only
 * `sharedThrottle` without `redis` leaves Probot's limiter in charge. A
 * function default applies to each instance last, after Probot's own
 * throttle options.
 */
export function clientClass(metrics: RequestMetrics | undefined, opts: ThrottleSharing) {
  const Base = metrics ? ProbotOctokit.plugin(metrics.plugin()) : ProbotOctokit;
  if (opts.sharedThrottle && !opts.redis) return Base;
  const pace = opts.pace ?? writePaceFromEnv();
  const shared = opts.redis ? new RedisPacing(opts.redis.url, opts.redis.prefix || "stagegate", pace) : undefined;
  const pacer = shared ? (id: string) => shared.pacer(id) : undefined;
  const { groups, hold } = readsFirstThrottle(pacer ? { pacer, pace } : { pace });
  return Base.defaults((options: Record<string, unknown>) => {
    const throttle = options.throttle as Record<string, unknown> | undefined;
    if (throttle?.enabled === false) return options;
    const id = String(throttle?.id ?? "no-id");
    return { ...options, throttle: { ...throttle, ...groups, onSecondaryRateLimit: secondaryLimit(id, hold) } };
  });
}

type Hold = (id: string, ms: number) => Promise<void>;
interface Logged {
  log: { warn(msg: string): void };
}

/**
 * Probot's own handler gives up on a secondary rate limit, so a check-run write would be lost. Instead the
 * installation's writes all wait as long as GitHub asks (no burst afterwards), and the request is retried twice.
 */
function secondaryLimit(id: string, hold: Hold) {
  return async (retryAfter: number, options: { method?: string; url?: string }, octokit: Logged, retries: number) => {
    await hold(id, retryAfter * 1000);
    const again = retries < 2;
    octokit.log.warn(
      `GitHub's secondary rate limit on ${options.method} ${options.url}: writes of installation ${id} wait ` +
        `${retryAfter} s` +
        (again ? ", then it is retried" : "; not retried again"),
    );
    return again;
  };
}

/** Probot options that install that class. */
export function clientOverrides(metrics: RequestMetrics | undefined, opts: ThrottleSharing) {
  return { Octokit: clientClass(metrics, opts) };
}

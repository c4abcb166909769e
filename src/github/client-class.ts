import { ProbotOctokit } from "probot";
import type { RequestMetrics } from "./request-metrics.js";
import { readsFirstThrottle } from "./throttle.js";

/**
 * The Octokit class the server gives Probot: every request counted for
 * `/metrics`, and — unless throttling is shared through Redis (`REDIS_URL`),
 * where Probot's clustered limiter must stay in charge — reads that never wait
 * behind writes. A function default applies to each instance last, after
 * Probot's own throttle options.
 */
export function clientClass(metrics: RequestMetrics | undefined, opts: { sharedThrottle: boolean }) {
  const Base = metrics ? ProbotOctokit.plugin(metrics.plugin()) : ProbotOctokit;
  if (opts.sharedThrottle) return Base;
  const groups = readsFirstThrottle();
  return Base.defaults((options: Record<string, unknown>) => {
    const throttle = options.throttle as Record<string, unknown> | undefined;
    if (throttle?.enabled === false) return options;
    return { ...options, throttle: { ...throttle, ...groups } };
  });
}

/** Probot options that install that class. */
export function clientOverrides(metrics: RequestMetrics | undefined, opts: { sharedThrottle: boolean }) {
  return { Octokit: clientClass(metrics, opts) };
}

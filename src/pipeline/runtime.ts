import type { GitHubClient } from "../github/client.js";
import { ConfigRecovery, type ConfigRecoveryOptions } from "./config-recovery.js";
import { InFlightRuns } from "./inflight-runs.js";
import { Lifecycle } from "./lifecycle.js";
import { PipelineMetrics } from "./metrics.js";

/**
 * What outlives one evaluation, for the life of the process: its phase and
 * in-flight work, the check runs it left open, the last good config of each
 * repository, and the metrics.
 */
export interface Runtime {
  lifecycle: Lifecycle;
  runs: InFlightRuns;
  recovery: ConfigRecovery;
  metrics: PipelineMetrics;
  /** A check whose evaluation finishes within this is created completed in one write (0: start at once). */
  startAfterMs: number;
  /** Registers what to stop on shutdown (timers, schedulers). */
  onStop(fn: () => void): void;
  /** Stops everything registered: no retry or scheduled re-check starts afterwards. */
  stop(): void;
  /** Finds and re-evaluates PRs whose runs an earlier process left unfinished (wired by the app). */
  recover?: (startedBeforeMs: number) => Promise<{ repositories: number; pulls: number; runs: number }>;
  /** Re-evaluates one PR through the handlers' coalescer (wired by the app's state). */
  rerun?: (client: GitHubClient, number: number, trigger: { deliveryId: string; reason: string }) => Promise<void>;
}

export interface RuntimeOptions {
  recovery?: ConfigRecoveryOptions;
  metrics?: PipelineMetrics;
  lifecycle?: Lifecycle;
  /** Default 0 (runs start at once); the server uses 1 s. */
  startAfterMs?: number;
}

export function createRuntime(opts: RuntimeOptions = {}): Runtime {
  const stoppers: Array<() => void> = [];
  return {
    onStop: (fn) => void stoppers.push(fn),
    stop: () => {
      for (const fn of stoppers.splice(0)) fn();
    },
    lifecycle: opts.lifecycle ?? new Lifecycle(),
    runs: new InFlightRuns(),
    recovery: new ConfigRecovery(opts.recovery),
    metrics: opts.metrics ?? new PipelineMetrics(),
    startAfterMs: opts.startAfterMs ?? 0,
  };
}

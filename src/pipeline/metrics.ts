import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { RequestMetrics } from "../github/request-metrics.js";

/**
 * What `/metrics` exposes, in its own registry (one per app instance, so tests
 * and embedders can run several): evaluations by outcome, webhook → completed
 * latency, evaluations in flight, the work queue's depth, config retries waiting, and GitHub's side.
 */
export class PipelineMetrics {
  readonly registry = new Registry();
  readonly github = new RequestMetrics(this.registry);
  readonly evaluations = new Counter({
    name: "stagegate_evaluations_total",
    help: "Environment evaluations by conclusion (success, failure) and kind (verdict, error, config_unreadable …).",
    labelNames: ["conclusion", "kind"],
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: "stagegate_webhook_to_completed_seconds",
    help: "From the webhook's arrival to its check run completed, per environment.",
    buckets: [0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300],
    registers: [this.registry],
  });
  readonly inFlight = new Gauge({
    name: "stagegate_evaluations_in_flight",
    help: "Evaluations running now (the queue depth of this replica).",
    registers: [this.registry],
  });
  /** Where the work queue's depth is read from; set when the queue is chosen (0 until then). */
  queueDepth: () => Promise<number> = () => Promise.resolve(0);
  readonly queued: Gauge = new Gauge({
    name: "stagegate_queue_jobs",
    help: "Jobs waiting or running: on Redis over every replica; in-process, pull requests with work on this one.",
    registers: [this.registry],
    collect: async (): Promise<void> => this.queued.set(await this.queueDepth()),
  });
  readonly configRetries = new Gauge({
    name: "stagegate_config_retries_pending",
    help: "Pull requests waiting to be re-evaluated because their config could not be read.",
    registers: [this.registry],
  });

  /** One environment's check completed; `sinceMs` is when its webhook arrived (Date.now() clock). */
  completed(conclusion: string, kind: string, sinceMs?: number): void {
    this.evaluations.inc({ conclusion, kind });
    if (sinceMs !== undefined) this.latency.observe(Math.max(0, Date.now() - sinceMs) / 1000);
  }
}

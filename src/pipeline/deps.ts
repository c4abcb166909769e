import type { Logger } from "probot";
import type { GitHubClient } from "../github/client.js";
import type { EngineCache } from "./engines.js";
import type { Runtime } from "./runtime.js";

/** What one evaluation needs from the process: the repository's gateway, who we are, the engine cache. */
export interface Deps {
  client: GitHubClient;
  appId: number;
  log: Logger;
  engines: EngineCache;
  /** The process's shared state (shutdown, config recovery, metrics); absent in one-off callers. */
  runtime?: Runtime;
}

/** Why an evaluation runs; the delivery id makes a redelivered event idempotent. */
export interface Trigger {
  deliveryId: string;
  reason: string;
  /** When the webhook arrived (Date.now()), for the latency metric. */
  receivedAtMs?: number;
}

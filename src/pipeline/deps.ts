import type { Logger } from "probot";
import type { GitHubClient } from "../github/client.js";
import type { EngineCache } from "./engines.js";

/** What one evaluation needs from the process: the repository's gateway, who we are, the engine cache. */
export interface Deps {
  client: GitHubClient;
  appId: number;
  log: Logger;
  engines: EngineCache;
}

/** Why an evaluation runs; the delivery id makes a redelivered event idempotent. */
export interface Trigger {
  deliveryId: string;
  reason: string;
}

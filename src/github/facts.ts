import type { PrInput, FreezeFacts } from "../gate/pr-input.js";
import type { EnvironmentConfig } from "../config/types.js";
import { freezeFacts as freezeFactsOf } from "../gather/freeze-facts.js";
import { gatherPrInput as gatherPrInputOf, type PrInputRequest } from "../gather/pr-input.js";
import type { GitHubClient } from "./client.js";
import { GitHubPullFacts } from "./pull-facts.js";

/**
 * Transitional: the names that lived here before gathering moved to gather/,
 * for importers not yet switched over. New code imports gather/ and passes a
 * GitHubPullFacts.
 */

export { FREEZE_LABEL, freezeMarker, parseFreezeMarker, type FreezeMarker } from "../gather/freeze-marker.js";
export { FactsError } from "../gather/pull-facts.js";
export { needsFor, type FactsNeeds } from "../gather/needs.js";

export function gatherPrInput(client: GitHubClient, opts: PrInputRequest): Promise<PrInput> {
  return gatherPrInputOf(new GitHubPullFacts(client), opts);
}

export function freezeFacts(
  client: GitHubClient,
  env: EnvironmentConfig,
  appId: number,
  nowMs: number,
): Promise<FreezeFacts> {
  return freezeFactsOf(new GitHubPullFacts(client), env, appId, nowMs);
}

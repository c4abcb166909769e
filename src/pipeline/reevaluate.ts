import type { Logger } from "probot";
import { intoAny } from "../config/targeting.js";
import type { EnvironmentConfig, StagegateConfig } from "../config/types.js";
import type { Coalescer } from "./coalesce.js";
import type { Deps, Trigger } from "./deps.js";
import { evaluatePullRequest } from "./evaluate.js";
import { runPolicyCheck } from "./policy-check/run.js";

/**
 * Re-evaluates pull requests, one at a time per PR (coalesced: a burst of
 * triggers for the same PR costs two evaluations, not one each). A failing
 * PR is logged and does not stop the others. The one loop every
 * "something changed, refresh the open PRs" path uses.
 */
export async function reevaluatePulls(
  deps: Deps,
  coalescer: Coalescer,
  numbers: number[],
  trigger: Trigger,
  opts: { policyCheck?: boolean } = {},
): Promise<void> {
  const repo = `${deps.client.repo.owner}/${deps.client.repo.repo}`;
  for (const number of numbers) {
    const key = `${repo}#${number}`;
    // The coalescer runs only the newest queued request; a policy check asked for by a request it replaced must
    // still run, or `stagegate / policy` would stay pending on the new head.
    if (opts.policyCheck) policyCheckWanted.add(key);
    await coalescer.run(key, async () => {
      const policyCheck = policyCheckWanted.delete(key);
      await logged(deps.log, trigger, "evaluation", () => evaluatePullRequest(deps, number, trigger));
      if (policyCheck) {
        await logged(deps.log, trigger, "policy check", async () => void (await runPolicyCheck(deps, number, trigger)));
      }
    });
  }
}

/** PRs (`owner/repo#n`) with a policy check requested and not yet run; shared by every coalesced request. */
const policyCheckWanted = new Set<string>();

/** Numbers of the open PRs whose base maps to one of `envs`. */
export async function openPullsInto(
  deps: Deps,
  config: StagegateConfig,
  defaultBranch: string,
  envs: EnvironmentConfig[],
): Promise<number[]> {
  const open = await deps.client.openPullRequests();
  return open.filter((pr) => intoAny(config, pr.baseRef, defaultBranch, envs)).map((pr) => pr.number);
}

async function logged(log: Logger, trigger: Trigger, what: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    log.error({ err, deliveryId: trigger.deliveryId, reason: trigger.reason }, `${what} failed`);
  }
}

import type { Logger } from "probot";
import { intoAny } from "../config/targeting.js";
import type { EnvironmentConfig, StagegateConfig } from "../config/types.js";
import { installationOf } from "../github/probot.js";
import type { PullJob, WorkQueue } from "./coalesce.js";
import type { Deps, Trigger } from "./deps.js";
import { evaluatePullRequest } from "./evaluate.js";
import { runPolicyCheck } from "./policy-check/run.js";

/**
 * Re-evaluates pull requests, one at a time per PR (coalesced: a burst of
 * triggers for the same PR costs two evaluations, not one each). A failing
 * PR is logged and does not stop the others. The one loop every
 * "something changed, refresh the open PRs" path uses. In-process the
 * evaluations have run when it resolves; on a queue shared by replicas they
 * are durably enqueued, and any replica runs them.
 */
export async function reevaluatePulls(
  deps: Deps,
  queue: WorkQueue,
  numbers: number[],
  trigger: Trigger,
  opts: { policyCheck?: boolean; headSha?: string } = {},
): Promise<void> {
  const { owner, repo } = deps.client.repo;
  const installationId = installationOf(deps.client);
  for (const pr of numbers) {
    const job: PullJob = {
      ...(installationId === undefined ? {} : { installationId }),
      owner,
      repo,
      pr,
      deliveryId: trigger.deliveryId,
      reason: trigger.reason,
      policyCheck: opts.policyCheck ?? false,
      ...(opts.headSha ? { headSha: opts.headSha } : {}),
      ...(trigger.receivedAtMs === undefined ? {} : { receivedAtMs: trigger.receivedAtMs }),
    };
    await queue.submit(job, (policyCheck) => runPull(deps, pr, trigger, { evaluate: true, policyCheck }));
  }
}

/** One PR's work, wherever it runs: its evaluation and, when asked, the policy check; failures are logged. */
export async function runPull(
  deps: Deps,
  number: number,
  trigger: Trigger,
  what: { evaluate: boolean; policyCheck: boolean },
): Promise<void> {
  if (what.evaluate) {
    await logged(deps.log, trigger, "evaluation", () => evaluatePullRequest(deps, number, trigger));
  }
  if (what.policyCheck) {
    await logged(deps.log, trigger, "policy check", async () => void (await runPolicyCheck(deps, number, trigger)));
  }
}

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

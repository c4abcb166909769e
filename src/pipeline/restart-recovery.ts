import type { Logger, Probot } from "probot";
import { installationRepositories } from "../github/probot.js";
import { unfinishedRuns } from "../github/stale-runs.js";
import type { WorkQueue } from "./coalesce.js";
import type { EngineCache } from "./engines.js";
import { reevaluatePulls } from "./reevaluate.js";
import type { Runtime } from "./runtime.js";

export interface RecoveryState {
  appId(): Promise<number>;
  engines: EngineCache;
  coalescer: WorkQueue;
  runtime: Runtime;
}

export const RESTARTED_TITLE = "Stagegate restarted before finishing this evaluation";

/**
 * On start: a process that crashed (or was killed past its grace period) may
 * have left check runs `in_progress` forever. Every open PR of every
 * installation whose head carries such a run of this app — started before
 * `startedBeforeMs`, so not one this process is working on — has that run
 * completed (failed, saying it was superseded) and is evaluated again.
 */
export async function recoverUnfinishedRuns(
  app: Probot,
  state: RecoveryState,
  startedBeforeMs: number,
  log: Logger,
): Promise<{ repositories: number; pulls: number; runs: number }> {
  const appId = await state.appId();
  const found = { repositories: 0, pulls: 0, runs: 0 };
  for await (const { fullName, client } of installationRepositories(app)) {
    found.repositories++;
    try {
      const stuck: number[] = [];
      for (const pr of await client.openPullRequests()) {
        const runs = (await unfinishedRuns(client, pr.headSha, appId)).filter(
          (r) => r.startedAtMs < startedBeforeMs && !state.runtime.runs.has(fullName, r.id),
        );
        if (runs.length === 0) continue;
        for (const run of runs) {
          await client.checks.update(run.id, {
            conclusion: "failure",
            output: {
              title: RESTARTED_TITLE,
              summary:
                "Stagegate stopped while this check was in progress. It evaluates the pull request again on its own " +
                "in a new check run; re-run this check if none appears.",
            },
          });
        }
        found.runs += runs.length;
        stuck.push(pr.number);
      }
      if (stuck.length === 0) continue;
      found.pulls += stuck.length;
      log.info({ repository: fullName, pulls: stuck }, "check runs left in progress by a restart: re-evaluating");
      const deps = { client, appId, log, engines: state.engines, runtime: state.runtime };
      await reevaluatePulls(deps, state.coalescer, stuck, {
        deliveryId: `restart:${startedBeforeMs}`,
        reason: "check run left in progress by a restart",
        receivedAtMs: Date.now(),
      });
    } catch (err) {
      // One repository that cannot be read must not stop the others' recovery.
      log.error({ err, repository: fullName }, "restart recovery failed for repository");
    }
  }
  return found;
}

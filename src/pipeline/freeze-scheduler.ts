import type { Logger, Probot } from "probot";
import { environmentsForPullRequest } from "../config/targeting.js";
import { activeFreezes } from "../gate/freeze.js";
import { installationRepositories } from "../github/probot.js";
import type { Coalescer } from "./coalesce.js";
import { loadConfig } from "./config-source.js";
import type { EngineCache } from "./engines.js";
import { reevaluatePulls } from "./reevaluate.js";

/** What the scheduler shares with the handlers. */
export interface SchedulerState {
  appId(): Promise<number>;
  engines: EngineCache;
  coalescer: Coalescer;
}

/**
 * Freeze windows open and close on a clock, not on an event, so a cheap
 * periodic re-check refreshes the open PRs into environments whose window
 * changed state since the last tick. Only repositories with schedules cost
 * more than the config read. Every replica may run it: the trigger id names
 * the environment and the tick, so two replicas produce the same check-run
 * external id and the second one skips.
 */
export function startFreezeScheduler(app: Probot, state: SchedulerState, intervalMs: number): () => void {
  if (!(intervalMs > 0)) return () => {};
  // No tick yet: the first one re-evaluates every environment that has windows,
  // since one may have opened or closed while no replica was running.
  let last: number | undefined;
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    const now = Date.now();
    recheck(app, state, last, now, app.log)
      // Only a tick that completed moves the mark: a failed one is retried over the same span.
      .then(() => (last = now))
      .catch((err: unknown) => app.log.error({ err }, "freeze re-check failed"))
      .finally(() => (running = false));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

export async function recheck(
  app: Probot,
  state: SchedulerState,
  fromMs: number | undefined,
  toMs: number,
  log: Logger,
): Promise<void> {
  const appId = await state.appId();
  for await (const { fullName, client } of installationRepositories(app)) {
    const cfg = await loadConfig(client).catch(() => undefined);
    if (cfg?.kind !== "ok") continue;
    const changed = Object.values(cfg.config.environments).filter((env) => {
      const key = (ms: number) =>
        activeFreezes(env.freeze.windows, ms)
          .map((f) => `${f.reason}@${f.untilMs}`)
          .join("|");
      return env.freeze.windows.length > 0 && (fromMs === undefined || key(fromMs) !== key(toMs));
    });
    if (changed.length === 0) continue;
    const names = new Set(changed.map((e) => e.name));
    const deps = { client, appId, log, engines: state.engines };
    const pulls = (await client.openPullRequests()).filter((pr) =>
      environmentsForPullRequest(cfg.config, pr.baseRef, cfg.branch).some((e) => names.has(e.name)),
    );
    if (pulls.length === 0) continue;
    log.info(
      { repository: fullName, pulls: pulls.map((p) => p.number), environments: [...names] },
      "freeze window changed: re-evaluating",
    );
    const trigger = {
      deliveryId: `freeze-window:${[...names].sort().join(",")}:${Math.floor(toMs / 60000)}`,
      reason: "freeze window opened or closed",
    };
    await reevaluatePulls(
      deps,
      state.coalescer,
      pulls.map((p) => p.number),
      trigger,
    );
  }
}

import type { Logger, Probot } from "probot";
import { activeFreezes } from "../gate/freeze.js";
import { GitHubClient } from "../github/client.js";
import type { AppState } from "../handlers/context.js";
import { loadConfig } from "./config-source.js";
import { evaluatePullRequest } from "./evaluate.js";
import { environmentsForPullRequest } from "./targets.js";

/**
 * Freeze windows open and close on a clock, not on an event, so a cheap
 * periodic re-check refreshes the open PRs into environments whose window
 * changed state since the last tick. Only repositories with schedules cost
 * more than the config read. Every replica may run it: the trigger id names
 * the environment and the tick, so two replicas produce the same check-run
 * external id and the second one skips.
 */
export function startFreezeScheduler(app: Probot, state: AppState, intervalMs: number): () => void {
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
  state: AppState,
  fromMs: number | undefined,
  toMs: number,
  log: Logger,
): Promise<void> {
  const appOctokit = await app.auth();
  const installations = await appOctokit.paginate(appOctokit.rest.apps.listInstallations, { per_page: 100 });
  const appId = await state.appId();
  for (const inst of installations) {
    const octokit = await app.auth(inst.id);
    const repos = await octokit.paginate(octokit.rest.apps.listReposAccessibleToInstallation, { per_page: 100 });
    for (const r of repos) {
      const client = new GitHubClient(octokit, { owner: r.owner.login, repo: r.name });
      const cfg = await loadConfig(client, (o, n) => new GitHubClient(octokit, { owner: o, repo: n })).catch(
        () => undefined,
      );
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
      const deps = {
        client,
        appId,
        log,
        engines: state.engines,
        makeClient: (o: string, n: string) => new GitHubClient(octokit, { owner: o, repo: n }),
      };
      for (const pr of await client.openPullRequests()) {
        if (!environmentsForPullRequest(cfg.config, pr.baseRef, cfg.branch).some((e) => names.has(e.name))) continue;
        const trigger = {
          deliveryId: `freeze-window:${[...names].sort().join(",")}:${Math.floor(toMs / 60000)}`,
          reason: "freeze window opened or closed",
        };
        log.info(
          { repository: r.full_name, pr: pr.number, environments: [...names] },
          "freeze window changed: re-evaluating",
        );
        await state.coalescer.run(`${r.full_name}#${pr.number}`, () =>
          evaluatePullRequest(deps, pr.number, trigger).catch((err: unknown) =>
            log.error({ err }, "re-evaluation failed"),
          ),
        );
      }
    }
  }
}

import type { Logger, Probot } from "probot";
import { environmentsForPullRequest } from "../config/targeting.js";
import { activeFreezes } from "../gate/freeze.js";
import { installationRepositories } from "../github/probot.js";
import type { GitHubClient } from "../github/client.js";
import type { StagegateConfig } from "../config/types.js";
import type { WorkQueue } from "./coalesce.js";
import { loadConfig } from "./config-source.js";
import type { EngineCache } from "./engines.js";
import { reevaluatePulls } from "./reevaluate.js";

/** What the scheduler shares with the handlers. */
export interface SchedulerState {
  appId(): Promise<number>;
  engines: EngineCache;
  coalescer: WorkQueue;
  /** With several replicas: which one runs a tick, and the marks they share. */
  ticks?: TickCoordinator;
}

/** Replicas taking turns: one tick per interval over all of them, with shared marks. */
export interface TickCoordinator {
  /** True when this replica runs the tick of the interval starting now. */
  claim(intervalMs: number): Promise<boolean>;
  load(marks: FreezeMarks): Promise<void>;
  save(marks: FreezeMarks): Promise<void>;
}

/**
 * Configs by repository and default-branch commit, for the scheduler's
 * ticks: one cheap read of the branch head replaces reading (and parsing,
 * and following `_extends` or the organisation default of) an unchanged config.
 */
export class ConfigBySha {
  private readonly byRepo = new Map<string, { sha: string; cfg: { config: StagegateConfig; branch: string } | null }>();

  constructor(private readonly max = 5_000) {}

  async get(client: GitHubClient, fullName: string): Promise<{ config: StagegateConfig; branch: string } | null> {
    const { sha } = await client.defaultBranch();
    const hit = this.byRepo.get(fullName);
    if (hit?.sha === sha) return hit.cfg;
    const state = await loadConfig(client);
    // Only what the re-check uses is kept: not the reader, which holds this tick's client.
    const cfg = state.kind === "ok" ? { config: state.config, branch: state.branch } : null;
    this.byRepo.delete(fullName);
    this.byRepo.set(fullName, { sha: state.kind === "absent" ? sha : state.sha, cfg });
    if (this.byRepo.size > this.max) this.byRepo.delete(this.byRepo.keys().next().value!);
    return cfg;
  }
}

/**
 * Per repository (`owner/name`), the time of the last tick that re-checked it
 * completely. A repository that failed, or whose installation could not be
 * reached, keeps its old mark, so the next tick re-checks it over the whole
 * span it missed; one never seen has none and gets every window re-checked.
 */
export type FreezeMarks = Map<string, number>;

export interface RecheckReport {
  /** Repositories re-checked completely this tick. */
  done: string[];
  /** Repositories and installations that failed (logged; retried on the next tick). */
  failedRepositories: string[];
  failedInstallations: number[];
}

/**
 * Freeze windows open and close on a clock, not on an event, so a cheap
 * periodic re-check refreshes the open PRs into environments whose window
 * changed state since the last tick. Only repositories with schedules cost
 * more than the config read, which is cached by default-branch commit. With
 * several replicas (`state.ticks`) one runs each tick; were two to run one,
 * the trigger id names the environment and the tick, so both produce the
 * same check-run external id and the second skips. One installation or
 * repository failing never stops the others.
 */
export function startFreezeScheduler(app: Probot, state: SchedulerState, intervalMs: number): () => void {
  if (!(intervalMs > 0)) return () => {};
  const marks: FreezeMarks = new Map();
  const configs = new ConfigBySha();
  let running = false;
  const tick = async () => {
    const { ticks } = state;
    if (ticks && !(await ticks.claim(intervalMs))) return;
    await ticks?.load(marks);
    await recheck(app, state, marks, Date.now(), app.log, configs);
    await ticks?.save(marks);
  };
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    tick()
      .catch((err: unknown) => app.log.error({ err }, "freeze re-check failed"))
      .finally(() => (running = false));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * One tick. `from` is either the marks the scheduler keeps (updated here for
 * every repository re-checked completely) or one start time for all (tests).
 */
export async function recheck(
  app: Probot,
  state: SchedulerState,
  from: FreezeMarks | number | undefined,
  toMs: number,
  log: Logger,
  configs?: ConfigBySha,
): Promise<RecheckReport> {
  const appId = await state.appId();
  const report: RecheckReport = { done: [], failedRepositories: [], failedInstallations: [] };
  const failedInstallation = (installation: number, err: unknown) => {
    report.failedInstallations.push(installation);
    log.error({ err, installation }, "freeze re-check: installation skipped; retried on the next tick");
  };
  for await (const { fullName, client } of installationRepositories(app, failedInstallation)) {
    const fromMs = from instanceof Map ? from.get(fullName) : from;
    try {
      await recheckRepository({ client, appId, log, state, configs }, fullName, fromMs, toMs);
      report.done.push(fullName);
      if (from instanceof Map) from.set(fullName, toMs);
    } catch (err) {
      report.failedRepositories.push(fullName);
      log.error({ err, repository: fullName }, "freeze re-check: repository failed; retried on the next tick");
    }
  }
  return report;
}

async function recheckRepository(
  deps: { client: GitHubClient; appId: number; log: Logger; state: SchedulerState; configs?: ConfigBySha },
  fullName: string,
  fromMs: number | undefined,
  toMs: number,
): Promise<void> {
  const { client, log, state } = deps;
  // An empty (or just removed) repository has nothing to re-check; any other failure is retried.
  const read = async () => {
    if (deps.configs) return deps.configs.get(client, fullName);
    const state = await loadConfig(client);
    return state.kind === "ok" ? state : null;
  };
  const cfg = await read().catch((err: unknown) => {
    if ((err as { status?: number }).status === 404) return null;
    throw err;
  });
  if (!cfg) return;
  const changed = Object.values(cfg.config.environments).filter((env) => {
    const key = (ms: number) =>
      activeFreezes(env.freeze.windows, ms)
        .map((f) => `${f.reason}@${f.untilMs}`)
        .join("|");
    return env.freeze.windows.length > 0 && (fromMs === undefined || key(fromMs) !== key(toMs));
  });
  if (changed.length === 0) return;
  const names = new Set(changed.map((e) => e.name));
  const pulls = (await client.openPullRequests()).filter((pr) =>
    environmentsForPullRequest(cfg.config, pr.baseRef, cfg.branch).some((e) => names.has(e.name)),
  );
  if (pulls.length === 0) return;
  log.info(
    { repository: fullName, pulls: pulls.map((p) => p.number), environments: [...names] },
    "freeze window changed: re-evaluating",
  );
  const trigger = {
    deliveryId: `freeze-window:${[...names].sort().join(",")}:${Math.floor(toMs / 60000)}`,
    reason: "freeze window opened or closed",
  };
  await reevaluatePulls(
    { client, appId: deps.appId, log, engines: state.engines },
    state.coalescer,
    pulls.map((p) => p.number),
    trigger,
  );
}

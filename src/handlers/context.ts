import type { Context, Probot } from "probot";
import { authenticatedAppId, clientForEvent } from "../github/probot.js";
import type { WorkQueue } from "../pipeline/coalesce.js";
import type { Deps, Trigger } from "../pipeline/deps.js";
import { EngineCache } from "../pipeline/engines.js";
import type { TickCoordinator } from "../pipeline/freeze-scheduler.js";
import { reevaluatePulls } from "../pipeline/reevaluate.js";
import { createRuntime, type Runtime, type RuntimeOptions } from "../pipeline/runtime.js";
import { createWork } from "../queue/index.js";

/** What every handler shares for the life of the process. */
export interface AppState {
  /** This app's id (to recognise its own check runs), resolved once. */
  appId(): Promise<number>;
  engines: EngineCache;
  /** Where evaluation requests go: in-process, or BullMQ on Redis with `REDIS_URL`. Same object as `queue`. */
  coalescer: WorkQueue;
  queue: WorkQueue;
  /** With several replicas (Redis): which one runs a freeze re-check tick. */
  ticks?: TickCoordinator;
  /** Phase, in-flight work and runs, config recovery, metrics: shared with the server. */
  runtime: Runtime;
}

/** `APP_ID` when set, else asked of GitHub once (`GET /app` with the app's JWT). */
export function createAppState(app: Probot, runtime: Runtime | RuntimeOptions = {}): AppState {
  let id: Promise<number> | undefined;
  const appId = () => {
    id ??= process.env.APP_ID ? Promise.resolve(Number(process.env.APP_ID)) : authenticatedAppId(app);
    id.catch(() => (id = undefined));
    return id;
  };
  const engines = new EngineCache();
  const rt = "lifecycle" in runtime && "runs" in runtime ? runtime : createRuntime(runtime);
  // A worker that took a queued job evaluates with these (its client built from the job's installation).
  const work = createWork(app, async (client) => ({
    client,
    appId: await appId(),
    log: app.log,
    engines,
    runtime: rt,
  }));
  const coalescer = work.queue;
  rt.metrics.queueDepth = () => coalescer.depth();
  // A PR whose config could not be read is re-evaluated like any other trigger: through the coalescer.
  rt.rerun = async (client, number, trigger) =>
    reevaluatePulls({ client, appId: await appId(), log: app.log, engines, runtime: rt }, coalescer, [number], {
      ...trigger,
      receivedAtMs: Date.now(),
    });
  return { appId, engines, coalescer, queue: coalescer, ...(work.ticks ? { ticks: work.ticks } : {}), runtime: rt };
}

/** The evaluation dependencies for one event's repository. */
export async function depsFor(
  state: AppState,
  context: Context,
  repository: { owner: { login: string } | null; name: string },
): Promise<Deps> {
  return {
    client: clientForEvent(context, { owner: repository.owner!.login, repo: repository.name }),
    appId: await state.appId(),
    log: context.log,
    engines: state.engines,
    runtime: state.runtime,
  };
}

export function triggerOf(context: Context, reason: string): Trigger {
  return { deliveryId: context.id, reason, receivedAtMs: Date.now() };
}

/** No exception escapes a handler: it is logged with the delivery id instead. */
export async function guarded(context: Context, what: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    context.log.error({ err, deliveryId: context.id, event: context.name }, `${what} failed`);
  }
}

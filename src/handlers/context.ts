import type { Context, Probot } from "probot";
import { authenticatedAppId, clientForEvent } from "../github/probot.js";
import { Coalescer } from "../pipeline/coalesce.js";
import type { Deps, Trigger } from "../pipeline/deps.js";
import { EngineCache } from "../pipeline/engines.js";

/** What every handler shares for the life of the process. */
export interface AppState {
  /** This app's id (to recognise its own check runs), resolved once. */
  appId(): Promise<number>;
  engines: EngineCache;
  coalescer: Coalescer;
}

/** `APP_ID` when set, else asked of GitHub once (`GET /app` with the app's JWT). */
export function createAppState(app: Probot): AppState {
  let id: Promise<number> | undefined;
  const appId = () => {
    id ??= process.env.APP_ID ? Promise.resolve(Number(process.env.APP_ID)) : authenticatedAppId(app);
    id.catch(() => (id = undefined));
    return id;
  };
  return { appId, engines: new EngineCache(), coalescer: new Coalescer() };
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
  };
}

export function triggerOf(context: Context, reason: string): Trigger {
  return { deliveryId: context.id, reason };
}

/** No exception escapes a handler: it is logged with the delivery id instead. */
export async function guarded(context: Context, what: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    context.log.error({ err, deliveryId: context.id, event: context.name }, `${what} failed`);
  }
}

import type { Context, Logger, Probot } from "probot";
import { Coalescer } from "../pipeline/coalesce.js";
import { EngineCache } from "../pipeline/engines.js";
import type { Deps, Trigger } from "../pipeline/evaluate.js";
import { GitHubClient, type Octokit } from "../github/client.js";

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
    id ??= process.env.APP_ID
      ? Promise.resolve(Number(process.env.APP_ID))
      : app.auth().then(async (octokit) => (await octokit.rest.apps.getAuthenticated()).data?.id ?? 0);
    id.catch(() => (id = undefined));
    return id;
  };
  return { appId, engines: new EngineCache(), coalescer: new Coalescer() };
}

/** The evaluation dependencies for one event's repository. */
export async function depsFor(
  state: AppState,
  octokit: Octokit,
  owner: string,
  repo: string,
  log: Logger,
): Promise<Deps> {
  return {
    client: new GitHubClient(octokit, { owner, repo }),
    appId: await state.appId(),
    log,
    engines: state.engines,
    makeClient: (o, r) => new GitHubClient(octokit, { owner: o, repo: r }),
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

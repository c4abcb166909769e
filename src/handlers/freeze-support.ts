import type { Context } from "probot";
import type { EnvironmentConfig, StagegateConfig } from "../config/types.js";
import { authorize } from "../gate/authorize.js";
import { FREEZE_LABEL_PREFIX, freezeRecord, liftHint } from "../gather/freeze-marker.js";
import { freezeOfIssue, type ManualFreeze } from "../gather/freeze-facts.js";
import type { GitHubClient } from "../github/client.js";
import { loadConfig } from "../pipeline/config-source.js";
import type { Deps } from "../pipeline/deps.js";
import { openPullsInto, reevaluatePulls } from "../pipeline/reevaluate.js";
import { depsFor, triggerOf, type AppState } from "./context.js";

/** What the freeze handlers read of an `issues` or `issue_comment` payload's issue. */
export interface PayloadIssue {
  number: number;
  title: string;
  body?: string | null;
  state?: string;
  html_url?: string;
  labels?: Array<string | { name?: string } | null>;
  user?: { login: string } | null;
  performed_via_github_app?: { id: number } | null;
}

export interface Sender {
  login: string;
  type?: string;
}

export const labelNames = (issue: PayloadIssue): string[] =>
  (issue.labels ?? []).map((l) => (typeof l === "string" ? l : (l?.name ?? ""))).filter(Boolean);

/**
 * Could this be one of the app's freeze issues? GitHub says which app opened
 * an issue (`performed_via_github_app`, which no one else can set); a payload
 * without the field (older GitHub Enterprise) is confirmed by reading the issue.
 */
export async function openedByApp(gh: GitHubClient, issue: PayloadIssue, appId: number): Promise<boolean> {
  if (issue.performed_via_github_app !== undefined) return issue.performed_via_github_app?.id === appId;
  return (await gh.issues.issueApp(issue.number)) === appId;
}

/** Worth a request: the app's own issue, or (payload without the field) one that carries a freeze label. */
export function maybeFreezeIssue(issue: PayloadIssue, appId: number, removedLabel?: string): boolean {
  if (issue.performed_via_github_app !== undefined) return issue.performed_via_github_app?.id === appId;
  return [...labelNames(issue), removedLabel ?? ""].some((l) => l.startsWith(FREEZE_LABEL_PREFIX));
}

/** The app acting on its own issue (`/gate unfreeze`, restoring a label): its bot user opened the issue. */
export const isSelf = (sender: Sender, issue: PayloadIssue): boolean =>
  sender.type === "Bot" && sender.login === issue.user?.login;

/** What the issue freezes, from its comments (the app's records) and, failing those, what the payload shows. */
export async function freezeOf(gh: GitHubClient, issue: PayloadIssue, appId: number): Promise<ManualFreeze> {
  return freezeOfIssue(
    {
      number: issue.number,
      title: issue.title,
      body: issue.body ?? null,
      url: issue.html_url ?? "",
      labels: labelNames(issue),
    },
    await gh.issues.issueComments(issue.number),
    appId,
  );
}

/** The configured environments a freeze covers. */
export function environmentsOf(
  config: StagegateConfig,
  freeze: Pick<ManualFreeze, "environments">,
): EnvironmentConfig[] {
  const all = Object.values(config.environments);
  return freeze.environments === "every" ? all : all.filter((e) => freeze.environments.includes(e.name));
}

/** The first of envs `user` may not unfreeze, with why; undefined when they may unfreeze them all. */
export async function refusal(
  gh: GitHubClient,
  user: string,
  envs: EnvironmentConfig[],
): Promise<{ env: EnvironmentConfig; why: string } | undefined> {
  for (const env of envs) {
    const auth = await authorize(gh.access, gh.repo, user, { kind: "freeze", env });
    if (!auth.ok) return { env, why: auth.reason };
  }
  return undefined;
}

/** Posts the app's freeze record for each environment again (the trusted one was edited, deleted or missing). */
export async function recordAgain(
  gh: GitHubClient,
  issue: number,
  envs: EnvironmentConfig[],
  who: { by: string | null; reason: string },
  prefix: string,
): Promise<void> {
  for (const env of envs) {
    const mark = { environment: env.name, by: who.by ?? "unknown", reason: who.reason };
    await gh.issues.comment(issue, freezeRecord(mark, liftHint(env, prefix)));
  }
}

/** One freeze event's setting: the repository's deps and config (nothing when the repository has none). */
export async function freezeSetting(state: AppState, context: Context, repository: Parameters<typeof depsFor>[2]) {
  const deps = await depsFor(state, context, repository);
  const cfg = await loadConfig(deps.client);
  return cfg.kind === "ok" ? { deps, gh: deps.client, config: cfg.config, branch: cfg.branch } : undefined;
}

/** Re-evaluates the open PRs into envs. */
export async function reevaluateInto(
  state: AppState,
  context: Context,
  setting: { deps: Deps; config: StagegateConfig; branch: string },
  envs: EnvironmentConfig[],
  why: string,
): Promise<void> {
  if (envs.length === 0) return;
  const pulls = await openPullsInto(setting.deps, setting.config, setting.branch, envs);
  await reevaluatePulls(setting.deps, state.coalescer, pulls, triggerOf(context, why));
}

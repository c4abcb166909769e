import type { Probot } from "probot";
import { loadConfig } from "../pipeline/config-source.js";
import { evaluatePullRequest } from "../pipeline/evaluate.js";
import { environmentsForPullRequest } from "../pipeline/targets.js";
import { environmentsForPaths } from "../config/environments.js";
import { DEFAULT_CONFIG_FILE } from "../config/load.js";
import picomatch from "picomatch";
import type { EnvironmentConfig, StagegateConfig } from "../config/types.js";
import { depsFor, guarded, triggerOf, type AppState } from "./context.js";

/** GitHub lists at most 20 commits in a push payload; beyond that, assume anything changed. */
const PAYLOAD_COMMIT_LIMIT = 20;

/**
 * A push to the default branch that changes the config or policies
 * re-evaluates every open PR; a push to an environment branch re-evaluates
 * the open PRs into it (their test merge changed) and the open PRs into the
 * environments promoted from it (their promotion facts changed).
 */
export function registerPush(app: Probot, state: AppState): void {
  app.on("push", async (context) => {
    const { ref, repository, commits, deleted } = context.payload;
    if (deleted || !ref.startsWith("refs/heads/")) return;
    const branch = ref.slice("refs/heads/".length);
    await guarded(context, "push", async () => {
      const deps = await depsFor(state, context.octokit, repository.owner!.login, repository.name, context.log);
      const cfg = await loadConfig(deps.client, deps.makeClient);
      if (cfg.kind === "absent") return;
      const isDefault = branch === repository.default_branch;
      const changed = commits.flatMap((c) => [...(c.added ?? []), ...(c.modified ?? []), ...(c.removed ?? [])]);
      const policyChanged =
        isDefault &&
        (commits.length >= PAYLOAD_COMMIT_LIMIT ||
          changed.some((p) => isPolicyFile(p, cfg.kind === "ok" ? cfg.config : undefined)));
      const targeted =
        cfg.kind === "ok" &&
        pushTargets(cfg.config, branch, repository.default_branch, changed, commits.length >= PAYLOAD_COMMIT_LIMIT);
      // A push to a source stage (staging) changes the promotion facts of PRs into the stages after it.
      const downstream =
        cfg.kind === "ok"
          ? downstreamOf(cfg.config, branch, repository.default_branch).filter((e) => e.branches.length > 0)
          : [];
      if (!policyChanged && !targeted && downstream.length === 0) return;
      const open = await deps.client.openPullRequests(policyChanged || downstream.length ? undefined : branch);
      const pulls =
        policyChanged || cfg.kind !== "ok"
          ? open
          : open.filter(
              (pr) => (targeted && pr.baseRef === branch) || intoAny(cfg.config, pr.baseRef, cfg.branch, downstream),
            );
      context.log.info(
        { repository: repository.full_name, branch, policyChanged, pulls: pulls.length, deliveryId: context.id },
        "re-evaluating open pull requests",
      );
      const trigger = triggerOf(context, policyChanged ? "push: config or policies changed" : `push to ${branch}`);
      for (const pr of pulls) {
        await state.coalescer.run(`${repository.full_name}#${pr.number}`, () =>
          guarded(context, "evaluation", () => evaluatePullRequest(deps, pr.number, trigger)),
        );
      }
    });
  });
}

/**
 * Whether a push changes what open PRs into `branch` would land in: always
 * for a branch an environment maps by `branches`; for the default branch of a
 * directory-per-environment repository only when the push touched an
 * environment's paths — a README change re-evaluates nothing.
 */
function pushTargets(
  config: StagegateConfig,
  branch: string,
  defaultBranch: string,
  changed: string[],
  truncated: boolean,
): boolean {
  const touched = new Set(environmentsForPaths(config, changed));
  return environmentsForPullRequest(config, branch, defaultBranch).some(
    (env) => env.branches.length > 0 || truncated || touched.has(env),
  );
}

/** Environments promoted from an environment that `branch` maps to (`promote_from`). */
export function downstreamOf(config: StagegateConfig, branch: string, defaultBranch: string): EnvironmentConfig[] {
  const sources = new Set(environmentsForPullRequest(config, branch, defaultBranch).map((env) => env.name));
  return Object.values(config.environments).filter(
    (env) => env.promote_from !== undefined && sources.has(env.promote_from),
  );
}

/** Whether a PR into `baseRef` targets one of `envs`. */
export function intoAny(
  config: StagegateConfig,
  baseRef: string,
  defaultBranch: string,
  envs: EnvironmentConfig[],
): boolean {
  const names = new Set(envs.map((e) => e.name));
  return environmentsForPullRequest(config, baseRef, defaultBranch).some((e) => names.has(e.name));
}

/** The config file, Rego anywhere, and the data and schema files the config names. */
export function isPolicyFile(path: string, config: StagegateConfig | undefined): boolean {
  if (path === DEFAULT_CONFIG_FILE || path.endsWith(".rego")) return true;
  if (!config) return false;
  const under = (dir: string) => path === dir || path.startsWith(dir.replace(/\/?$/, "/"));
  return (
    config.policies.paths.some(under) ||
    config.policies.data.some((d) => d === path || picomatch(d, { dot: true })(path)) ||
    config.schemas.custom.some((c) => c.schema === path)
  );
}

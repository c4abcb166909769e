import type { Context, Probot } from "probot";
import { downstreamOf } from "../config/targeting.js";
import { loadConfig } from "../pipeline/config-source.js";
import { openPullsInto, reevaluatePulls } from "../pipeline/reevaluate.js";
import { depsFor, guarded, triggerOf, type AppState } from "./context.js";

/**
 * `verified_by` gates wait for the source stage to report success (Argo CD
 * notifications post a commit status or a check run on the deployed commit).
 * When a status or another app's check run completes on a source-stage
 * branch, the open PRs into the stages promoted from it are re-evaluated.
 */
export function registerSourceStage(app: Probot, state: AppState): void {
  app.on("status", async (context) => {
    const branches = context.payload.branches.map((b) => b.name);
    await guarded(context, "status", () =>
      reevaluateDownstream(context, state, branches, `status ${context.payload.context}: ${context.payload.state}`),
    );
  });
  app.on("check_run.completed", async (context) => {
    const run = context.payload.check_run;
    if (run.app?.id === (await state.appId())) return; // our own runs: re-evaluating on them would loop
    const branch = run.check_suite?.head_branch;
    if (!branch) return;
    await guarded(context, "check_run.completed", () =>
      reevaluateDownstream(context, state, [branch], `check run ${run.name}: ${run.conclusion}`),
    );
  });
}

async function reevaluateDownstream(
  context: Context,
  state: AppState,
  branches: string[],
  reason: string,
): Promise<void> {
  if (branches.length === 0) return;
  const { repository } = context.payload as { repository: { owner: { login: string }; name: string } };
  const deps = await depsFor(state, context, repository);
  const cfg = await loadConfig(deps.client);
  if (cfg.kind !== "ok") return;
  const downstream = branches.flatMap((b) => downstreamOf(cfg.config, b, cfg.branch));
  // Only environments that wait on the source stage's reports care.
  const waiting = downstream.filter((env) => Array.isArray((env.gates as { verified_by?: unknown }).verified_by));
  if (waiting.length === 0) return;
  const pulls = await openPullsInto(deps, cfg.config, cfg.branch, waiting);
  await reevaluatePulls(deps, state.coalescer, pulls, triggerOf(context, reason));
}

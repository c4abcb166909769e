import type { Probot } from "probot";
import { loadConfig } from "../app/config-source.js";
import { evaluatePullRequest } from "../app/evaluate.js";
import { FREEZE_LABEL } from "../github/facts.js";
import { depsFor, guarded, triggerOf, type AppState } from "./context.js";
import { intoAny } from "./push.js";

/**
 * A manual freeze is an issue the app opened with the environment's freeze
 * label: closing it (or reopening it) unfreezes (or refreezes) at once, so
 * the open PRs into that environment are re-evaluated.
 */
export function registerFreezeIssues(app: Probot, state: AppState): void {
  app.on(["issues.closed", "issues.reopened"], async (context) => {
    const { issue, repository } = context.payload;
    const labels = (issue.labels ?? []).map((l) => (typeof l === "string" ? l : (l?.name ?? "")));
    const prefix = FREEZE_LABEL("");
    const frozen = labels.filter((l) => l.startsWith(prefix)).map((l) => l.slice(prefix.length));
    if (frozen.length === 0) return;
    await guarded(context, `issues.${context.payload.action}`, async () => {
      const deps = await depsFor(state, context.octokit, repository.owner.login, repository.name, context.log);
      const cfg = await loadConfig(deps.client, deps.makeClient);
      if (cfg.kind !== "ok") return;
      const envs = Object.values(cfg.config.environments).filter((e) => frozen.includes(e.name));
      const trigger = triggerOf(context, `freeze issue #${issue.number} ${context.payload.action}`);
      for (const pr of await deps.client.openPullRequests()) {
        if (!intoAny(cfg.config, pr.baseRef, cfg.branch, envs)) continue;
        await state.coalescer.run(`${repository.full_name}#${pr.number}`, () => guarded(context, "evaluation", () => evaluatePullRequest(deps, pr.number, trigger)));
      }
    });
  });
}

import type { Probot } from "probot";
import { authorize } from "../gate/authorize.js";
import { FREEZE_LABEL } from "../gather/freeze-marker.js";
import { loadConfig } from "../pipeline/config-source.js";
import { openPullsInto, reevaluatePulls } from "../pipeline/reevaluate.js";
import { depsFor, guarded, triggerOf, type AppState } from "./context.js";

/**
 * A manual freeze is an issue the app opened with the environment's freeze
 * label. Closing it (or reopening it) unfreezes (or refreezes) at once, so the
 * open PRs into that environment are re-evaluated — but only when the person
 * who closed it, or removed its label, may unfreeze that environment
 * (`freeze.allowed`, as for `/gate unfreeze`). Otherwise the app restores the
 * freeze and says who may lift it.
 */
export function registerFreezeIssues(app: Probot, state: AppState): void {
  app.on(["issues.closed", "issues.reopened", "issues.unlabeled"], async (context) => {
    const { issue, repository, sender } = context.payload;
    const action = context.payload.action;
    const prefix = FREEZE_LABEL("");
    const labels = (issue.labels ?? []).map((l) => (typeof l === "string" ? l : (l?.name ?? "")));
    const removed = action === "unlabeled" ? (context.payload as { label?: { name: string } }).label?.name : undefined;
    const frozen = (removed ? [removed] : labels)
      .filter((l) => l.startsWith(prefix))
      .map((l) => l.slice(prefix.length));
    if (frozen.length === 0) return;
    if (removed && issue.state !== "open") return; // relabelling a closed issue changes nothing
    await guarded(context, `issues.${action}`, async () => {
      const deps = await depsFor(state, context, repository);
      const gh = deps.client;
      const cfg = await loadConfig(gh);
      if (cfg.kind !== "ok") return;
      const envs = Object.values(cfg.config.environments).filter((e) => frozen.includes(e.name));
      if (envs.length === 0) return;

      const lifting = action === "closed" || action === "unlabeled";
      // The app opened the freeze issue, so the app closing it is the issue's author; any other bot (a stale-issue
      // bot) is not.
      const isApp = sender.type === "Bot" && sender.login === issue.user?.login;
      if (lifting && !isApp) {
        for (const env of envs) {
          const auth = await authorize(gh.access, gh.repo, sender.login, { kind: "freeze", env });
          if (auth.ok) continue;
          // Put the freeze back: an issue anyone with triage rights can close must not be the way around the allowlist.
          if (action === "closed") await gh.issues.reopenIssue(issue.number);
          else await gh.issues.addLabels(issue.number, [FREEZE_LABEL(env.name)]);
          await gh.issues.comment(
            issue.number,
            `@${sender.login} cannot unfreeze \`${env.name}\`: ${auth.reason}. The freeze stays in force.`,
          );
          context.log.warn(
            {
              repository: repository.full_name,
              issue: issue.number,
              user: sender.login,
              environment: env.name,
              deliveryId: context.id,
            },
            "unauthorized unfreeze reverted",
          );
          return;
        }
      }
      const trigger = triggerOf(context, `freeze issue #${issue.number} ${action}`);
      await reevaluatePulls(deps, state.coalescer, await openPullsInto(deps, cfg.config, cfg.branch, envs), trigger);
    });
  });
}

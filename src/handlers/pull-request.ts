import type { Probot } from "probot";
import { evaluatePullRequest } from "../pipeline/evaluate.js";
import { runPolicyCheck } from "../pipeline/policy-check/run.js";
import { supersedeOldBase } from "../pipeline/supersede.js";
import { depsFor, guarded, triggerOf, type AppState } from "./context.js";

/** Pull request opened, pushed to, reopened, marked ready, relabelled or retargeted: evaluate it. */
export function registerPullRequest(app: Probot, state: AppState): void {
  app.on(
    [
      "pull_request.opened",
      "pull_request.synchronize",
      "pull_request.reopened",
      "pull_request.ready_for_review",
      "pull_request.edited",
      "pull_request.converted_to_draft",
      "pull_request.labeled",
      "pull_request.unlabeled",
    ],
    async (context) => {
      const { pull_request: pr, repository } = context.payload;
      if (context.payload.action === "edited" && !context.payload.changes?.base) return; // title/body edits change nothing
      await guarded(context, "pull_request", async () => {
        const deps = await depsFor(state, context.octokit, repository.owner.login, repository.name, context.log);
        const trigger = triggerOf(context, `pull_request.${context.payload.action}`);
        const oldBase = context.payload.action === "edited" ? context.payload.changes?.base?.ref.from : undefined;
        await state.coalescer.run(`${repository.full_name}#${pr.number}`, async () => {
          await guarded(context, "evaluation", () => evaluatePullRequest(deps, pr.number, trigger));
          // Only PRs into the default branch can change policies; the check itself looks at the files.
          if (pr.base.ref === repository.default_branch) {
            await guarded(context, "policy check", async () => void (await runPolicyCheck(deps, pr.number, trigger)));
          }
        });
        if (oldBase) await supersedeOldBase(deps, pr.number, oldBase, pr.base.ref);
      });
    },
  );
}

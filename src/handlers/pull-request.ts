import type { Probot } from "probot";
import { reevaluatePulls } from "../pipeline/reevaluate.js";
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
      // Title and body edits change nothing.
      if (context.payload.action === "edited" && !context.payload.changes?.base) return;
      await guarded(context, "pull_request", async () => {
        const deps = await depsFor(state, context, repository);
        const trigger = triggerOf(context, `pull_request.${context.payload.action}`);
        const oldBase = context.payload.action === "edited" ? context.payload.changes?.base?.ref.from : undefined;
        // Only PRs into the default branch can change policies; the check itself looks at the files.
        const policyCheck = pr.base.ref === repository.default_branch;
        // A push is about its head: on a shared queue, a run that already evaluated that head satisfies it.
        const headSha = context.payload.action === "synchronize" ? pr.head.sha : undefined;
        await reevaluatePulls(deps, state.coalescer, [pr.number], trigger, { policyCheck, headSha });
        if (oldBase) await supersedeOldBase(deps, pr.number, oldBase, pr.base.ref);
      });
    },
  );
}

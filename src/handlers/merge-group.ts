import type { Probot } from "probot";
import { evaluateMergeGroup } from "../pipeline/evaluate.js";
import { depsFor, guarded, triggerOf, type AppState } from "./context.js";

/**
 * Merge queues: the group's commit gets the same check names as PRs, so a
 * queue that requires `stagegate / <env>` never stalls; when a group is
 * destroyed, whatever of ours is still running on it is cancelled.
 */
export function registerMergeGroup(app: Probot, state: AppState): void {
  app.on("merge_group.checks_requested", async (context) => {
    const { merge_group: group } = context.payload;
    const repository = context.payload.repository!;
    await guarded(context, "merge_group", async () => {
      const deps = await depsFor(state, context, repository);
      const baseRef = group.base_ref.replace(/^refs\/heads\//, "");
      await evaluateMergeGroup(
        deps,
        { headSha: group.head_sha, baseSha: group.base_sha, baseRef },
        triggerOf(context, "merge_group.checks_requested"),
      );
    });
  });
  app.on("merge_group.destroyed", async (context) => {
    const { merge_group: group } = context.payload;
    const repository = context.payload.repository!;
    await guarded(context, "merge_group.destroyed", async () => {
      const deps = await depsFor(state, context, repository);
      for (const run of await deps.client.checks.list(group.head_sha, deps.appId)) {
        if (run.status === "completed") continue;
        await deps.client.checks.update(run.id, {
          conclusion: "cancelled",
          output: {
            title: "Merge group destroyed",
            summary: "The merge queue removed this group before the evaluation finished.",
          },
        });
      }
    });
  });
}

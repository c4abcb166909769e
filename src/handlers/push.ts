import type { Probot } from "probot";
import { downstreamOf, intoAny, isPolicyFile, pushTargets } from "../config/targeting.js";
import { loadConfig } from "../pipeline/config-source.js";
import { reevaluatePulls } from "../pipeline/reevaluate.js";
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
      const deps = await depsFor(state, context, repository);
      const cfg = await loadConfig(deps.client);
      if (cfg.kind === "absent") return;
      const config = cfg.kind === "ok" ? cfg.config : undefined;
      const truncated = commits.length >= PAYLOAD_COMMIT_LIMIT;
      const changed = commits.flatMap((c) => [...(c.added ?? []), ...(c.modified ?? []), ...(c.removed ?? [])]);
      const isDefault = branch === repository.default_branch;
      const policyChanged = isDefault && (truncated || changed.some((p) => isPolicyFile(p, config)));
      const targeted = !!config && pushTargets(config, branch, repository.default_branch, changed, truncated);
      // A push to a source stage (staging) changes the promotion facts of PRs into the stages after it.
      const downstream = config
        ? downstreamOf(config, branch, repository.default_branch).filter((e) => e.branches.length > 0)
        : [];
      if (!policyChanged && !targeted && downstream.length === 0) return;
      const open = await deps.client.openPullRequests(policyChanged || downstream.length ? undefined : branch);
      const pulls =
        policyChanged || !config || cfg.kind !== "ok"
          ? open
          : open.filter(
              (pr) => (targeted && pr.baseRef === branch) || intoAny(config, pr.baseRef, cfg.branch, downstream),
            );
      context.log.info(
        { repository: repository.full_name, branch, policyChanged, pulls: pulls.length, deliveryId: context.id },
        "re-evaluating open pull requests",
      );
      const trigger = triggerOf(context, policyChanged ? "push: config or policies changed" : `push to ${branch}`);
      await reevaluatePulls(
        deps,
        state.coalescer,
        pulls.map((pr) => pr.number),
        trigger,
      );
    });
  });
}

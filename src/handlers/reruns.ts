import type { Context, Probot } from "probot";
import { reevaluatePulls } from "../pipeline/reevaluate.js";
import { depsFor, guarded, triggerOf, type AppState } from "./context.js";

async function reevaluate(
  context: Context,
  state: AppState,
  sha: string,
  listed: Array<{ number: number }>,
  reason: string,
) {
  const { repository } = context.payload as { repository: { owner: { login: string }; name: string } };
  const deps = await depsFor(state, context, repository);
  // PR numbers for a commit: from the payload, or (for forks, whose payloads list none) by head sha.
  const numbers = listed.length
    ? listed.map((p) => p.number)
    : (await deps.client.openPullRequests()).filter((p) => p.headSha === sha).map((p) => p.number);
  // Reviews decide the policy check (approvals), and its Re-run button lands here too; it skips PRs that change
  // no policy.
  await reevaluatePulls(deps, state.coalescer, numbers, triggerOf(context, reason), { policyCheck: true });
}

/** "Re-run" on one of our check runs or suites, and the check run's own "Re-run" button. */
export function registerReruns(app: Probot, state: AppState): void {
  app.on(["check_run.rerequested", "check_run.requested_action"], async (context) => {
    const run = context.payload.check_run;
    if (run.app?.id !== (await state.appId())) return; // someone else's check
    await guarded(context, context.name, () =>
      reevaluate(context, state, run.head_sha, run.pull_requests, `check_run.${context.payload.action}`),
    );
  });
  app.on("check_suite.rerequested", async (context) => {
    const suite = context.payload.check_suite;
    if (suite.app?.id !== (await state.appId())) return;
    await guarded(context, context.name, () =>
      reevaluate(context, state, suite.head_sha, suite.pull_requests, "check_suite.rerequested"),
    );
  });
  app.on(["pull_request_review.submitted", "pull_request_review.dismissed"], async (context) => {
    const pr = context.payload.pull_request;
    await guarded(context, context.name, () =>
      reevaluate(context, state, pr.head.sha, [{ number: pr.number }], `pull_request_review.${context.payload.action}`),
    );
  });
}

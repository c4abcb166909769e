import type { Context, Probot } from "probot";
import { evaluatePullRequest } from "../pipeline/evaluate.js";
import { runPolicyCheck } from "../pipeline/policy-check/run.js";
import type { GitHubClient } from "../github/client.js";
import { depsFor, guarded, triggerOf, type AppState } from "./context.js";

/** PR numbers for a commit: from the payload, or (for forks, whose payloads list none) by head sha. */
async function pullsForSha(client: GitHubClient, sha: string, listed: Array<{ number: number }>): Promise<number[]> {
  if (listed.length) return listed.map((p) => p.number);
  return (await client.openPullRequests()).filter((p) => p.headSha === sha).map((p) => p.number);
}

async function reevaluate(
  context: Context,
  state: AppState,
  sha: string,
  listed: Array<{ number: number }>,
  reason: string,
) {
  const { repository } = context.payload as {
    repository: { owner: { login: string }; name: string; full_name: string };
  };
  const deps = await depsFor(state, context.octokit, repository.owner.login, repository.name, context.log);
  const trigger = triggerOf(context, reason);
  for (const number of await pullsForSha(deps.client, sha, listed)) {
    await state.coalescer.run(`${repository.full_name}#${number}`, async () => {
      await guarded(context, "evaluation", () => evaluatePullRequest(deps, number, trigger));
      // Reviews decide the policy check (approvals), and its Re-run button lands here too; it skips PRs that change
      // no policy.
      await guarded(context, "policy check", async () => void (await runPolicyCheck(deps, number, trigger)));
    });
  }
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

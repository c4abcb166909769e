import type { ApplicationFunctionOptions, Probot } from "probot";
import { registerFreezeGone } from "./handlers/freeze-gone.js";
import { registerFreezeIssues } from "./handlers/freeze-issue.js";
import { registerFreezeRecords } from "./handlers/freeze-record.js";
import { registerIncidents } from "./handlers/incident.js";
import { registerInstallation } from "./handlers/installation.js";
import { registerIssueComment } from "./handlers/issue-comment.js";
import { registerMergeGroup } from "./handlers/merge-group.js";
import { registerPullRequest } from "./handlers/pull-request.js";
import { registerPush } from "./handlers/push.js";
import { registerReruns } from "./handlers/reruns.js";
import { registerSourceStage } from "./handlers/source-stage.js";
import { startFreezeScheduler } from "./pipeline/freeze-scheduler.js";
import { createAppState } from "./handlers/context.js";
import { recoverUnfinishedRuns } from "./pipeline/restart-recovery.js";
import type { Runtime, RuntimeOptions } from "./pipeline/runtime.js";

/** The Probot app: registers the handlers, nothing else. */
export default function stagegate(app: Probot, _options?: ApplicationFunctionOptions): void {
  withRuntime({})(app);
}

/** The app sharing `runtime` with its host (the server's shutdown and `/metrics`, or a test's clock). */
export function withRuntime(runtime: Runtime | RuntimeOptions): (app: Probot) => void {
  return (app) => register(app, runtime);
}

function register(app: Probot, runtime: Runtime | RuntimeOptions): void {
  const state = createAppState(app, runtime);
  registerPullRequest(app, state);
  registerReruns(app, state);
  registerPush(app, state);
  registerIncidents(app, state);
  registerMergeGroup(app, state);
  registerSourceStage(app, state);
  registerFreezeIssues(app, state);
  registerFreezeGone(app, state);
  registerFreezeRecords(app, state);
  registerIssueComment(app, state);
  registerInstallation(app);
  // Freeze windows change state on a clock: re-check every STAGEGATE_FREEZE_RECHECK_MINUTES (default 5; 0 disables).
  const minutes = Number(process.env.STAGEGATE_FREEZE_RECHECK_MINUTES ?? 5);
  const stopScheduler = startFreezeScheduler(app, state, minutes * 60_000);
  state.runtime.recover = (before) => recoverUnfinishedRuns(app, state, before, app.log);
  state.runtime.onStop(() => {
    stopScheduler();
    state.runtime.recovery.stop();
  });
}

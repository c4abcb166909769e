import type { ApplicationFunctionOptions, Probot } from "probot";
import { registerInstallation } from "./handlers/installation.js";
import { registerMergeGroup } from "./handlers/merge-group.js";
import { registerPullRequest } from "./handlers/pull-request.js";
import { registerPush } from "./handlers/push.js";
import { registerReruns } from "./handlers/reruns.js";
import { createAppState } from "./handlers/context.js";

/** The Probot app: registers the handlers, nothing else. */
export default function stagegate(app: Probot, _options?: ApplicationFunctionOptions): void {
  const state = createAppState(app);
  registerPullRequest(app, state);
  registerReruns(app, state);
  registerPush(app, state);
  registerMergeGroup(app, state);
  registerInstallation(app);
}

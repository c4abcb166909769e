import type { Probot } from "probot";
import { appFreezes, freezes } from "../gather/freeze-facts.js";
import { FREEZE_LABEL, freezeRecordOf, labelEnvironment } from "../gather/freeze-marker.js";
import { guarded, type AppState } from "./context.js";
import {
  environmentsOf,
  freezeSetting,
  recordAgain,
  reevaluateInto,
  type PayloadIssue,
  type Sender,
} from "./freeze-support.js";

interface CommentPayload {
  action: "edited" | "deleted";
  issue: PayloadIssue;
  comment: { id: number; body?: string | null; performed_via_github_app?: { id: number } | null };
  changes?: { body?: { from?: string } };
  repository: { owner: { login: string }; name: string; full_name: string };
  sender: Sender;
}

interface LabelPayload {
  action: "edited" | "deleted";
  label: { name: string };
  changes?: { name?: { from?: string } };
  repository: { owner: { login: string }; name: string; full_name: string };
  sender: Sender;
}

/**
 * The app's freeze record is the freeze; people with write access can still
 * edit or delete the app's comments, and rename or delete labels. Neither
 * lifts a freeze (an edited record is not trusted, and the derivation then
 * fails closed), and the app puts the record or label back at once.
 */
export function registerFreezeRecords(app: Probot, state: AppState): void {
  app.on(["issue_comment.edited", "issue_comment.deleted"], async (context) => {
    const payload = context.payload as unknown as CommentPayload;
    const appId = await state.appId();
    if (payload.comment.performed_via_github_app?.id !== appId || payload.issue.state === "closed") return;
    const before = payload.action === "edited" ? payload.changes?.body?.from : payload.comment.body;
    const mark = freezeRecordOf(before ?? "");
    if (!mark || payload.sender.login === payload.issue.user?.login) return;
    await guarded(context, `issue_comment.${payload.action}`, async () => {
      const setting = await freezeSetting(state, context, payload.repository);
      if (!setting) return;
      const envs = environmentsOf(setting.config, { environments: [mark.environment] });
      await recordAgain(setting.gh, payload.issue.number, envs, mark, setting.config.commands.prefix);
      context.log.warn(
        {
          issue: payload.issue.number,
          user: payload.sender.login,
          environment: mark.environment,
          deliveryId: context.id,
        },
        `freeze record ${payload.action}; posted again`,
      );
      await reevaluateInto(
        state,
        context,
        setting,
        envs,
        `freeze record on #${payload.issue.number} ${payload.action}`,
      );
    });
  });

  app.on(["label.edited", "label.deleted"], async (context) => {
    const payload = context.payload as unknown as LabelPayload;
    const old = payload.action === "edited" ? payload.changes?.name?.from : payload.label.name;
    const environment = labelEnvironment(old ?? "");
    if (!environment) return;
    await guarded(context, `label.${payload.action}`, async () => {
      const setting = await freezeSetting(state, context, payload.repository);
      if (!setting) return;
      const { gh, deps } = setting;
      for (const freeze of (await appFreezes(gh.issues, deps.appId)).filter((f) => freezes(f, environment))) {
        // Adding it re-creates a deleted label; the `issues.labeled` that follows re-evaluates.
        await gh.issues.addLabels(freeze.issue, [FREEZE_LABEL(environment)]);
        await gh.issues.comment(
          freeze.issue,
          `@${payload.sender.login} ${payload.action === "edited" ? "renamed" : "deleted"} the label ` +
            `\`${FREEZE_LABEL(environment)}\`; labels do not lift a freeze, so it is back.`,
        );
      }
    });
  });
}

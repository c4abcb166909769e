import type { Context, Probot } from "probot";
import type { EnvironmentConfig } from "../config/types.js";
import { appFreezes, freezeOfIssue, freezes } from "../gather/freeze-facts.js";
import { FREEZE_LABEL, freezeMarker, freezeRecord, liftHint } from "../gather/freeze-marker.js";
import { guarded, type AppState } from "./context.js";
import {
  environmentsOf,
  freezeSetting,
  isSelf,
  labelNames,
  reevaluateInto,
  refusal,
  type PayloadIssue,
  type Sender,
} from "./freeze-support.js";

interface GonePayload {
  action: "transferred" | "deleted";
  issue: PayloadIssue;
  changes?: { new_issue?: { html_url?: string }; new_repository?: { full_name?: string } };
  repository: { owner: { login: string }; name: string; full_name: string };
  sender: Sender;
}

/**
 * A freeze issue transferred to another repository, or deleted (admins
 * only), no longer freezes anything here. When the person who did it may
 * not unfreeze an environment it froze, the app opens the freeze again (a
 * new issue and record) and says who may lift it. Its comments are gone with
 * it, so what it froze is read from the event: every environment its body or
 * labels name, or every environment when they name none (fail closed).
 */
export function registerFreezeGone(app: Probot, state: AppState): void {
  app.on(["issues.transferred", "issues.deleted"], async (context) => {
    const payload = context.payload as unknown as GonePayload;
    const { issue } = payload;
    if (issue.performed_via_github_app?.id !== (await state.appId()) || issue.state !== "open") return;
    if (isSelf(payload.sender, issue)) return;
    await guarded(context, `issues.${payload.action}`, () => onGone(context, state, payload));
  });
}

async function onGone(context: Context, state: AppState, payload: GonePayload): Promise<void> {
  const { issue, sender, action } = payload;
  const setting = await freezeSetting(state, context, payload.repository);
  if (!setting) return;
  const { gh, deps, config } = setting;
  const was = freezeOfIssue(
    { number: issue.number, title: issue.title, body: issue.body ?? null, url: "", labels: labelNames(issue) },
    [],
    deps.appId,
  );
  const envs = environmentsOf(config, was);
  const stillFrozen = await appFreezes(gh.issues, deps.appId);
  const restore: EnvironmentConfig[] = [];
  for (const env of envs) {
    if (stillFrozen.some((f) => freezes(f, env.name))) continue; // another freeze issue holds it
    if (!(await refusal(gh, sender.login, [env]))) continue; // allowed to unfreeze: this lifts it
    restore.push(env);
  }
  const where = action === "transferred" ? ` to ${payload.changes?.new_issue?.html_url ?? "another repository"}` : "";
  const prefix = config.commands.prefix;
  for (const env of restore) {
    const mark = { environment: env.name, by: was.by ?? sender.login, reason: was.reason };
    const body =
      `Every merge into \`${env.name}\` stays stopped: freeze issue #${issue.number} was ${action}${where} by ` +
      `@${sender.login}, who may not unfreeze \`${env.name}\`, so Stagegate opened the freeze again.\n\n` +
      `- Frozen by: @${mark.by}\n- Reason: ${mark.reason.replace(/\s+/g, " ")}\n\n` +
      freezeMarker(mark);
    const created = await gh.issues.createIssue(`Freeze: ${env.name} (restored)`, body, [FREEZE_LABEL(env.name)]);
    await gh.issues.comment(created.number, freezeRecord(mark, liftHint(env, prefix)));
    context.log.warn(
      {
        repository: payload.repository.full_name,
        issue: issue.number,
        restoredAs: created.number,
        user: sender.login,
        environment: env.name,
        deliveryId: context.id,
      },
      `freeze issue ${action}; freeze restored`,
    );
  }
  await reevaluateInto(state, context, setting, envs, `freeze issue #${issue.number} ${action}`);
}

import type { Context, Probot } from "probot";
import { FREEZE_LABEL, labelEnvironment, liftHint, parseFreezeMarker } from "../gather/freeze-marker.js";
import { guarded, type AppState } from "./context.js";
import {
  environmentsOf,
  freezeOf,
  freezeSetting,
  isSelf,
  maybeFreezeIssue,
  openedByApp,
  recordAgain,
  reevaluateInto,
  refusal,
  type PayloadIssue,
  type Sender,
} from "./freeze-support.js";

interface IssuesPayload {
  action: string;
  issue: PayloadIssue;
  label?: { name: string };
  changes?: { body?: { from?: string | null }; title?: { from?: string } };
  repository: { owner: { login: string }; name: string; full_name: string };
  sender: Sender;
}

/**
 * A manual freeze is an open issue the app opened, and what it freezes is the
 * app's record comment on it (gather/freeze-facts.ts). Only closing the issue
 * lifts it, and only when the person closing it may unfreeze every
 * environment it freezes (`freeze.allowed`, as for `/gate unfreeze`);
 * otherwise the app reopens it and says who may. Labels and the body are for
 * people: removing the label puts it back, editing the body changes nothing
 * (a lost record is posted again). Opening, reopening or labelling an issue
 * re-evaluates the open PRs into what it freezes.
 */
export function registerFreezeIssues(app: Probot, state: AppState): void {
  app.on(
    ["issues.closed", "issues.reopened", "issues.labeled", "issues.unlabeled", "issues.edited"],
    async (context) => {
      const payload = context.payload as unknown as IssuesPayload;
      const removed = payload.action === "unlabeled" ? payload.label?.name : undefined;
      if (!maybeFreezeIssue(payload.issue, await state.appId(), removed)) return;
      if (payload.action === "labeled" && !labelEnvironment(payload.label?.name ?? "")) return;
      if (payload.action === "edited" && !payload.changes?.body && !payload.changes?.title) return;
      await guarded(context, `issues.${payload.action}`, () => onFreezeIssue(context, state, payload));
    },
  );
}

async function onFreezeIssue(context: Context, state: AppState, payload: IssuesPayload): Promise<void> {
  const { issue, sender, action } = payload;
  // Relabelling or editing a closed issue changes nothing: it freezes nothing.
  if (action !== "closed" && action !== "reopened" && issue.state === "closed") return;
  const setting = await freezeSetting(state, context, payload.repository);
  if (!setting) return;
  const { gh, deps, config } = setting;
  if (!(await openedByApp(gh, issue, deps.appId))) return;
  const freeze = await freezeOf(gh, issue, deps.appId);
  const envs = environmentsOf(config, freeze);
  if (envs.length === 0) return;
  const self = isSelf(sender, issue);
  const prefix = config.commands.prefix;
  const why = `freeze issue #${issue.number} ${action}`;

  if (action === "closed" && !self) {
    const refused = await refusal(gh, sender.login, envs);
    if (refused) {
      // Put the freeze back: an issue anyone with triage rights can close must not be the way around the allowlist.
      await gh.issues.reopenIssue(issue.number);
      await gh.issues.comment(
        issue.number,
        `@${sender.login} cannot unfreeze \`${refused.env.name}\`: ${refused.why}. The freeze stays in force: ` +
          liftHint(refused.env, prefix),
      );
      warn(context, payload, refused.env.name, "unauthorized unfreeze reverted");
      return;
    }
  }
  if (action === "unlabeled" && !self) {
    const env = envs.find((e) => FREEZE_LABEL(e.name) === payload.label?.name);
    if (!env) return; // a label for an environment this issue does not freeze
    await gh.issues.addLabels(issue.number, [FREEZE_LABEL(env.name)]);
    await gh.issues.comment(
      issue.number,
      `Removing the label does not lift the freeze of \`${env.name}\` (@${sender.login}): ` + liftHint(env, prefix),
    );
    return; // putting the label back re-evaluates (issues.labeled)
  }
  if (action === "edited" && !self) {
    const before = parseFreezeMarker(payload.changes?.body?.from);
    const lost = !freeze.recorded;
    if (!lost && (!payload.changes?.body || sameMarker(before, parseFreezeMarker(issue.body)))) return;
    if (lost) {
      // The trusted record is gone: post it again, naming what the issue froze before the edit too.
      const named = before ? envs.concat(environmentsOf(config, { environments: [before.environment] })) : envs;
      const again = [...new Set(named)];
      await recordAgain(
        gh,
        issue.number,
        again,
        { by: before?.by ?? freeze.by, reason: before?.reason ?? freeze.reason },
        prefix,
      );
      envs.splice(0, envs.length, ...again);
    }
    await gh.issues.comment(
      issue.number,
      `Editing this issue does not change or lift the freeze of ${envs.map((e) => `\`${e.name}\``).join(", ")} ` +
        `(@${sender.login}): ` +
        liftHint(envs[0], prefix),
    );
    warn(context, payload, envs.map((e) => e.name).join(","), "freeze issue edited; freeze kept");
  }
  await reevaluateInto(state, context, setting, envs, why);
}

const sameMarker = (a: ReturnType<typeof parseFreezeMarker>, b: ReturnType<typeof parseFreezeMarker>) =>
  JSON.stringify(a) === JSON.stringify(b);

function warn(context: Context, payload: IssuesPayload, environment: string, msg: string): void {
  context.log.warn(
    {
      repository: payload.repository.full_name,
      issue: payload.issue.number,
      user: payload.sender.login,
      environment,
      deliveryId: context.id,
    },
    msg,
  );
}

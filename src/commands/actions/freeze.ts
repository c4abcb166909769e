import { environmentsForPullRequest } from "../../config/targeting.js";
import type { EnvironmentConfig } from "../../config/types.js";
import { authorize } from "../../gate/authorize.js";
import { done, failed, findEnvironment, unknownEnvironment, type CommandContext, type Outcome } from "../context.js";
import { FREEZE_LABEL, freezeMarker, parseFreezeMarker } from "../../gather/freeze-marker.js";
import type { IssueSummary } from "../../github/issues.js";

const MAX_REASON = 1000;

/**
 * `/gate freeze <env> <reason>`: opens a labelled issue (the freeze, visible and
 * auditable; closing it unfreezes), then re-evaluates every open PR into env.
 */
export async function runFreeze(ctx: CommandContext): Promise<Outcome> {
  const env = findEnvironment(ctx.config, ctx.command.args[0]);
  if (!env) return unknownEnvironment(ctx, ctx.command.args[0]);
  const reason = ctx.command.rest.slice(ctx.command.args[0].length).trim();
  if (!reason) return failed(`A reason is required: \`${ctx.prefix} freeze ${env.name} <reason>\`.`);
  if (reason.length > MAX_REASON)
    return failed(`The reason is too long (${reason.length} characters; at most ${MAX_REASON}).`);
  const auth = await authorize(ctx.gh.access, ctx.gh.repo, ctx.user, { kind: "freeze", env });
  if (!auth.ok) return failed(`@${ctx.user} cannot freeze \`${env.name}\`: ${auth.reason}. Nothing was changed.`);

  const open = await freezesOf(ctx, env);
  if (open.length) return done(`\`${env.name}\` is already frozen: ${open.map((i) => i.htmlUrl).join(", ")}.`);
  const body =
    `Every merge into \`${env.name}\` is stopped: its \`stagegate / ${env.name}\` check fails until this issue is closed ` +
    `(or someone allowed comments \`${ctx.prefix} unfreeze ${env.name}\` on a pull request).\n\n` +
    `- Frozen by: @${ctx.user}\n- Reason: ${reason.replace(/\s+/g, " ")}\n- From: #${ctx.pr.number}\n\n` +
    freezeMarker({ environment: env.name, by: ctx.user, reason });
  const issue = await ctx.gh.issues.createIssue(`Freeze: ${env.name} (${oneLine(reason).slice(0, 120)})`, body, [
    FREEZE_LABEL(env.name),
  ]);
  const count = await reevaluateEnvironment(ctx, env, `${ctx.prefix} freeze`);
  return done(`Froze \`${env.name}\`: ${issue.htmlUrl}. Re-evaluated ${count} open pull request(s) into it.`);
}

/** `/gate unfreeze <env>`: closes the app's freeze issues for env, then re-evaluates. */
export async function runUnfreeze(ctx: CommandContext): Promise<Outcome> {
  const env = findEnvironment(ctx.config, ctx.command.args[0]);
  if (!env) return unknownEnvironment(ctx, ctx.command.args[0]);
  const auth = await authorize(ctx.gh.access, ctx.gh.repo, ctx.user, { kind: "freeze", env });
  if (!auth.ok) return failed(`@${ctx.user} cannot unfreeze \`${env.name}\`: ${auth.reason}. Nothing was changed.`);
  const open = await freezesOf(ctx, env);
  if (open.length === 0)
    return done(
      `\`${env.name}\` is not frozen by \`${ctx.prefix} freeze\` (scheduled freeze windows in the config still apply).`,
    );
  for (const issue of open) {
    await ctx.gh.issues.comment(issue.number, `Unfrozen by @${ctx.user} from #${ctx.pr.number}.`);
    await ctx.gh.issues.closeIssue(issue.number);
  }
  const count = await reevaluateEnvironment(ctx, env, `${ctx.prefix} unfreeze`);
  return done(
    `Unfroze \`${env.name}\` (closed ${open.map((i) => `#${i.number}`).join(", ")}). Re-evaluated ${count} open pull request(s) into it.`,
  );
}

/** Open freeze issues for env that the app itself opened: a user-made issue with the label is not a freeze. */
async function freezesOf(ctx: CommandContext, env: EnvironmentConfig): Promise<IssueSummary[]> {
  const issues = await ctx.gh.issues.openIssues(FREEZE_LABEL(env.name));
  return issues.filter((i) => fromApp(ctx, i) && parseFreezeMarker(i.body)?.environment === env.name);
}

function fromApp(ctx: CommandContext, issue: IssueSummary): boolean {
  return issue.appId === ctx.deps.appId;
}

async function reevaluateEnvironment(ctx: CommandContext, env: EnvironmentConfig, reason: string): Promise<number> {
  const open = await ctx.deps.client.openPullRequests();
  const into = open.filter((pr) =>
    environmentsForPullRequest(ctx.config, pr.baseRef, ctx.defaultBranch).some((e) => e.name === env.name),
  );
  await ctx.reevaluate(
    into.map((pr) => pr.number),
    reason,
  );
  return into.length;
}

const oneLine = (s: string) => s.replace(/\s+/g, " ").trim();

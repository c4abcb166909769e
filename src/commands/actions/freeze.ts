import { environmentsForPullRequest } from "../../config/targeting.js";
import type { EnvironmentConfig } from "../../config/types.js";
import { authorize } from "../../gate/authorize.js";
import { done, failed, findEnvironment, unknownEnvironment, type CommandContext, type Outcome } from "../context.js";
import { FREEZE_LABEL, freezeMarker, freezeRecord, liftHint } from "../../gather/freeze-marker.js";
import { appFreezes, freezes, type ManualFreeze } from "../../gather/freeze-facts.js";

const MAX_REASON = 1000;

/**
 * `/gate freeze <env> <reason>`: opens an issue (the freeze, visible and
 * auditable; closing it unfreezes) and posts the freeze record on it — the
 * app's own comment, which is what the freeze gate trusts — then
 * re-evaluates every open PR into env.
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
  if (open.length) return done(`\`${env.name}\` is already frozen: ${open.map((i) => i.url).join(", ")}.`);
  const mark = { environment: env.name, by: ctx.user, reason };
  const body =
    `Every merge into \`${env.name}\` is stopped: its \`stagegate / ${env.name}\` check fails until this issue is ` +
    `closed (or someone allowed comments \`${ctx.prefix} unfreeze ${env.name}\` on a pull request).\n\n` +
    `- Frozen by: @${ctx.user}\n- Reason: ${reason.replace(/\s+/g, " ")}\n- From: #${ctx.pr.number}\n\n` +
    freezeMarker(mark);
  const issue = await ctx.gh.issues.createIssue(`Freeze: ${env.name} (${oneLine(reason).slice(0, 120)})`, body, [
    FREEZE_LABEL(env.name),
  ]);
  await ctx.gh.issues.comment(issue.number, freezeRecord(mark, liftHint(env, ctx.prefix)));
  const count = await reevaluateEnvironment(ctx, env, `${ctx.prefix} freeze`);
  return done(`Froze \`${env.name}\`: ${issue.htmlUrl}. Re-evaluated ${count} open pull request(s) into it.`);
}

/**
 * `/gate unfreeze <env>`: closes the app's freeze issues for env, then re-evaluates. An issue that also freezes
 * other environments is closed only when the user may unfreeze each of them.
 */
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
  const closed: number[] = [];
  const kept: string[] = [];
  for (const freeze of open) {
    const others = environmentsOf(ctx, freeze).filter((e) => e.name !== env.name);
    const refused = await firstRefusal(ctx, others);
    if (refused) {
      kept.push(`#${freeze.issue} also freezes \`${refused.env}\`, which @${ctx.user} cannot unfreeze: ${refused.why}`);
      continue;
    }
    await ctx.gh.issues.comment(freeze.issue, `Unfrozen by @${ctx.user} from #${ctx.pr.number}.`);
    await ctx.gh.issues.closeIssue(freeze.issue);
    closed.push(freeze.issue);
  }
  if (closed.length === 0) return failed(`\`${env.name}\` stays frozen: ${kept.join("; ")}.`);
  const count = await reevaluateEnvironment(ctx, env, `${ctx.prefix} unfreeze`);
  const still = kept.length ? ` It stays frozen: ${kept.join("; ")}.` : "";
  return done(
    `Unfroze \`${env.name}\` (closed ${closed.map((n) => `#${n}`).join(", ")}). ` +
      `Re-evaluated ${count} open pull request(s) into it.${still}`,
  );
}

/** The app's open freeze issues that freeze env (see gather/freeze-facts.ts for what counts). */
async function freezesOf(ctx: CommandContext, env: EnvironmentConfig): Promise<ManualFreeze[]> {
  return (await appFreezes(ctx.gh.issues, ctx.deps.appId)).filter((f) => freezes(f, env.name));
}

function environmentsOf(ctx: CommandContext, freeze: ManualFreeze): EnvironmentConfig[] {
  const all = Object.values(ctx.config.environments);
  return freeze.environments === "every" ? all : all.filter((e) => freeze.environments.includes(e.name));
}

async function firstRefusal(
  ctx: CommandContext,
  envs: EnvironmentConfig[],
): Promise<{ env: string; why: string } | undefined> {
  for (const env of envs) {
    const auth = await authorize(ctx.gh.access, ctx.gh.repo, ctx.user, { kind: "freeze", env });
    if (!auth.ok) return { env: env.name, why: auth.reason };
  }
  return undefined;
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

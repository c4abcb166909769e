import { authorize, describePrincipals } from "../../gate/authorize.js";
import { done, failed, findEnvironment, noTargets, type CommandContext, type Outcome } from "../context.js";
import type { Command } from "../parse.js";
import { freezeFacts } from "../../gather/freeze-facts.js";
import { deriveOverride, OVERRIDE_RECORD_PREFIX, overrideMarker, overrideMarks } from "../../gate/overrides.js";
import type { EnvironmentConfig } from "../../config/types.js";

const MAX_REASON = 1000;
/** Says the override is meant to pass a frozen environment too (see gate/overrides.ts). */
export const BREAK_FREEZE = "--break-freeze";

/**
 * `/gate override [env] [--break-freeze] <reason>`: break-glass for the
 * current head only. Recorded as a comment by the app (which users cannot
 * forge), then the PR is re-evaluated; the pipeline derives the override from
 * those comments. A freeze still wins unless the override says
 * `--break-freeze` and the person may also unfreeze the environment.
 */
export async function runOverride(ctx: CommandContext): Promise<Outcome> {
  if (ctx.targets.length === 0) return noTargets(ctx);
  const { command, breakFreeze } = withoutFlag(ctx.command, BREAK_FREEZE);
  const picked = pickEnvironment(ctx, command);
  if ("error" in picked) return failed(picked.error);
  const { env, reason } = picked;
  if (!reason)
    return failed(
      `A reason is required: \`${ctx.prefix} override ${ctx.targets.length > 1 ? `${env.name} ` : ""}` +
        `${breakFreeze ? `${BREAK_FREEZE} ` : ""}<reason>\`.`,
    );
  if (reason.length > MAX_REASON)
    return failed(`The reason is too long (${reason.length} characters; at most ${MAX_REASON}).`);

  const auth = await authorize(ctx.gh.access, ctx.gh.repo, ctx.user, {
    kind: "override",
    env,
    prAuthor: ctx.pr.author,
  });
  if (!auth.ok) return failed(`@${ctx.user} cannot override \`${env.name}\`: ${auth.reason}. Nothing was changed.`);
  if (breakFreeze) {
    const lift = await authorize(ctx.gh.access, ctx.gh.repo, ctx.user, { kind: "freeze", env });
    if (!lift.ok)
      return failed(`@${ctx.user} cannot break the freeze of \`${env.name}\`: ${lift.reason}. Nothing was changed.`);
  }

  const sha = ctx.pr.headSha;
  const prior = overrideMarks(await ctx.gh.issues.comments(ctx.pr.number), ctx.deps.appId, env.name, sha);
  const already = prior.some((m) => m.by.toLowerCase() === ctx.user.toLowerCase());
  const required = Math.max(1, env.override.required);
  const count = already ? prior.length : prior.length + 1;
  const frozen = !breakFreeze && (await freezeFacts(ctx.gh.issues, env, ctx.deps.appId, Date.now())).frozen;
  const progress = frozen
    ? `\`${env.name}\` is frozen, and an override does not lift a freeze: the check stays failing unless ` +
      `the override says \`${BREAK_FREEZE}\` (from people on both override.allowed and freeze.allowed).`
    : count >= required
      ? `The \`stagegate / ${env.name}\` check is re-evaluated and passes as overridden.`
      : `${count} of ${required} distinct overriders so far: needs ${required - count} more from ` +
        `${describePrincipals(env.override.allowed)}.`;
  const breaking = breakFreeze ? " (breaking the freeze)" : "";
  // The reason is shown with `<` and `>` escaped, so it can never hold marker syntax of its own.
  const shown = oneLine(reason).replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const body =
    `${OVERRIDE_RECORD_PREFIX}${env.name}\`** by @${ctx.user} for commit ${sha.slice(0, 7)}${breaking}: ${shown}\n\n` +
    `${progress} A new push needs a new override.\n\n` +
    overrideMarker({ environment: env.name, sha, by: ctx.user, reason, ...(breakFreeze ? { breakFreeze } : {}) });
  await ctx.gh.issues.comment(ctx.pr.number, body);
  await ctx.reevaluate([ctx.pr.number], `${ctx.prefix} override`);
  // Read back: concurrent overrides each wrote their own comment, and this derivation counts them all.
  const state = await deriveOverride(ctx.gh.issues, ctx.gh.access, ctx.gh.repo, {
    pr: ctx.pr,
    env: env.name,
    config: ctx.config,
    appId: ctx.deps.appId,
  });
  ctx.deps.log.info(
    {
      pr: ctx.pr.number,
      environment: env.name,
      sha,
      by: ctx.user,
      overridden: Boolean(state),
      breaksFreeze: Boolean(state?.breaksFreeze),
    },
    "override recorded",
  );
  return done();
}

function pickEnvironment(
  ctx: CommandContext,
  command: Command,
): { env: EnvironmentConfig; reason: string } | { error: string } {
  const first = findEnvironment(ctx.config, command.args[0]);
  const named = first && ctx.targets.some((t) => t.name === first.name) ? first : undefined;
  const afterName = () => command.rest.slice(command.args[0].length).trim();
  if (ctx.targets.length === 1) {
    const env = ctx.targets[0];
    return { env, reason: named && command.args.length > 1 ? afterName() : command.rest };
  }
  if (!named) {
    const names = ctx.targets.map((t) => `\`${t.name}\``).join(", ");
    return {
      error:
        `This pull request targets ${names}: say which to override, e.g. \`${ctx.prefix} override ` +
        `${ctx.targets[0].name} <reason>\`.`,
    };
  }
  return { env: named, reason: afterName() };
}

/** The command without `flag` when it comes first or right after the environment's name (before the reason). */
export function withoutFlag(command: Command, flag: string): { command: Command; breakFreeze: boolean } {
  const at = command.args.slice(0, 2).findIndex((a) => a.toLowerCase() === flag);
  if (at < 0) return { command, breakFreeze: false };
  const args = command.args.filter((_, i) => i !== at);
  // Rebuild `rest` from the text around the flag, keeping the reason's own spacing.
  const before = at === 0 ? "" : command.rest.slice(0, command.rest.indexOf(command.args[0]) + command.args[0].length);
  const after = command.rest.slice(before.length).trimStart().slice(flag.length).trim();
  const rest = [before.trim(), after].filter(Boolean).join(" ");
  return { command: { ...command, args, rest }, breakFreeze: true };
}

const oneLine = (s: string) => s.replace(/\s+/g, " ").trim();

import { authorize, describePrincipals } from "../../gate/authorize.js";
import { done, failed, findEnvironment, noTargets, type CommandContext, type Outcome } from "../context.js";
import { deriveOverride, OVERRIDE_RECORD_PREFIX, overrideMarker, overrideMarks } from "../../gate/overrides.js";
import type { EnvironmentConfig } from "../../config/types.js";

const MAX_REASON = 1000;

/**
 * `/gate override [env] <reason>`: break-glass for the current head only.
 * Recorded as a comment by the app (which users cannot forge), then the PR is
 * re-evaluated; the pipeline derives the override from those comments.
 */
export async function runOverride(ctx: CommandContext): Promise<Outcome> {
  if (ctx.targets.length === 0) return noTargets(ctx);
  const picked = pickEnvironment(ctx);
  if ("error" in picked) return failed(picked.error);
  const { env, reason } = picked;
  if (!reason)
    return failed(
      `A reason is required: \`${ctx.prefix} override ${ctx.targets.length > 1 ? `${env.name} ` : ""}<reason>\`.`,
    );
  if (reason.length > MAX_REASON)
    return failed(`The reason is too long (${reason.length} characters; at most ${MAX_REASON}).`);

  const auth = await authorize(ctx.gh.access, ctx.gh.repo, ctx.user, {
    kind: "override",
    env,
    prAuthor: ctx.pr.author,
  });
  if (!auth.ok) return failed(`@${ctx.user} cannot override \`${env.name}\`: ${auth.reason}. Nothing was changed.`);

  const sha = ctx.pr.headSha;
  const prior = overrideMarks(await ctx.gh.issues.comments(ctx.pr.number), ctx.deps.appId, env.name, sha);
  const already = prior.some((m) => m.by.toLowerCase() === ctx.user.toLowerCase());
  const required = Math.max(1, env.override.required);
  const count = already ? prior.length : prior.length + 1;
  const progress =
    count >= required
      ? `The \`stagegate / ${env.name}\` check is re-evaluated and passes as overridden.`
      : `${count} of ${required} distinct overriders so far: needs ${required - count} more from ${describePrincipals(env.override.allowed)}.`;
  // The reason is shown with `<` and `>` escaped, so it can never hold marker syntax of its own.
  const shown = oneLine(reason).replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const body =
    `${OVERRIDE_RECORD_PREFIX}${env.name}\`** by @${ctx.user} for commit ${sha.slice(0, 7)}: ${shown}\n\n` +
    `${progress} A new push needs a new override.\n\n` +
    overrideMarker({ environment: env.name, sha, by: ctx.user, reason });
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
    { pr: ctx.pr.number, environment: env.name, sha, by: ctx.user, overridden: Boolean(state) },
    "override recorded",
  );
  return done();
}

function pickEnvironment(ctx: CommandContext): { env: EnvironmentConfig; reason: string } | { error: string } {
  const first = findEnvironment(ctx.config, ctx.command.args[0]);
  const named = first && ctx.targets.some((t) => t.name === first.name) ? first : undefined;
  const afterName = () => ctx.command.rest.slice(ctx.command.args[0].length).trim();
  if (ctx.targets.length === 1) {
    const env = ctx.targets[0];
    return { env, reason: named && ctx.command.args.length > 1 ? afterName() : ctx.command.rest };
  }
  if (!named) {
    const names = ctx.targets.map((t) => `\`${t.name}\``).join(", ");
    return {
      error: `This pull request targets ${names}: say which to override, e.g. \`${ctx.prefix} override ${ctx.targets[0].name} <reason>\`.`,
    };
  }
  return { env: named, reason: afterName() };
}

const oneLine = (s: string) => s.replace(/\s+/g, " ").trim();

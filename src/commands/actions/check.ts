import { authorize } from "../../gate/authorize.js";
import { done, failed, noTargets, type CommandContext, type Outcome } from "../context.js";

/** `/gate check`: re-evaluates the PR now; the fresh check runs are the answer. */
export async function runCheck(ctx: CommandContext): Promise<Outcome> {
  const auth = await authorize(ctx.gh.access, ctx.gh.repo, ctx.user, { kind: "write" });
  if (!auth.ok) return failed(`@${ctx.user} cannot run \`${ctx.prefix} check\`: ${auth.reason}.`);
  if (ctx.targets.length === 0) return noTargets(ctx);
  await ctx.reevaluate([ctx.pr.number], `${ctx.prefix} check`);
  return done();
}

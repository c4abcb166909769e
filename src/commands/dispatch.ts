import { runCheck } from "./actions/check.js";
import { runDoctor } from "./actions/doctor.js";
import { runExplain } from "./actions/explain.js";
import { runFreeze, runUnfreeze } from "./actions/freeze.js";
import { runHelp } from "./actions/help.js";
import { runOverride } from "./actions/override.js";
import { runPromote } from "./actions/promote.js";
import { runRestore } from "./actions/restore.js";
import type { CommandContext, Outcome } from "./context.js";

/** Runs one parsed command. An unknown command gets the help text and a confused reaction. */
export function runCommand(ctx: CommandContext): Promise<Outcome> {
  switch (ctx.command.name) {
    case "help":
      return runHelp(ctx);
    case "check":
      return runCheck(ctx);
    case "explain":
      return runExplain(ctx);
    case "override":
      return runOverride(ctx);
    case "freeze":
      return runFreeze(ctx);
    case "unfreeze":
      return runUnfreeze(ctx);
    case "promote":
      return runPromote(ctx);
    case "restore":
      return runRestore({ ...ctx, where: ctx.pr.number });
    case "doctor":
      return runDoctor(ctx);
    default:
      return runHelp(ctx, "unknown");
  }
}

/** The comment's reaction once every command ran: -1 if any failed, confused if any was unknown, else +1. */
export function finalReaction(outcomes: Outcome[]): "+1" | "-1" | "confused" {
  if (outcomes.some((o) => o.status === "failure")) return "-1";
  if (outcomes.some((o) => o.status === "unknown")) return "confused";
  return "+1";
}

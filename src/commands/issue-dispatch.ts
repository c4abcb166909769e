import { runDoctor } from "./actions/doctor.js";
import { runFreeze, runUnfreeze } from "./actions/freeze.js";
import { runRestore } from "./actions/restore.js";
import type { IncidentMarker } from "../gate/incident-text.js";
import type { PullRequest } from "../github/types.js";
import type { CommandContext, Outcome, OutcomeStatus } from "./context.js";

/** A command typed on one of this app's incident issues: no pull request, the issue's marker instead. */
export interface IssueCommandContext extends Omit<CommandContext, "pr" | "targets"> {
  issue: number;
  incident: IncidentMarker;
}

/** restore, doctor, freeze and unfreeze work on incident issues; anything else gets the short help. */
export function runIssueCommand(ctx: IssueCommandContext): Promise<Outcome> {
  switch (ctx.command.name) {
    case "restore":
      return runRestore({ ...ctx, where: ctx.issue });
    case "doctor":
      return runDoctor(ctx);
    case "freeze":
      return runFreeze(onIssue(ctx));
    case "unfreeze":
      return runUnfreeze(onIssue(ctx));
    case "help":
      return Promise.resolve(help(ctx, "success"));
    default:
      return Promise.resolve(help(ctx, "unknown"));
  }
}

/**
 * Freezes name where they were asked from by number only (`From: #12`); on an incident issue that number is the
 * issue's, so the issue stands in for the pull request and no environment is targeted.
 */
function onIssue(ctx: IssueCommandContext): CommandContext {
  const standIn: PullRequest = {
    number: ctx.issue,
    title: "",
    body: "",
    author: "",
    authorAssociation: "NONE",
    draft: false,
    state: "open",
    baseRef: "",
    baseSha: "",
    headRef: "",
    headSha: "",
    fork: false,
    labels: [],
    mergeable: null,
    mergeCommitSha: null,
  };
  return { ...ctx, pr: standIn, targets: [] };
}

function help(ctx: IssueCommandContext, status: OutcomeStatus): Outcome {
  const p = ctx.prefix;
  const env = ctx.incident.environment;
  const intro =
    status === "unknown"
      ? `Stagegate does not know \`${ctx.command.raw.slice(0, 100)}\` on an incident issue.\n\n`
      : "";
  return {
    status,
    replies: [
      `${intro}Commands on this incident issue (one per line):\n\n` +
        `- \`${p} restore ${env} [sha]\`: open a pull request that restores the last gated commit's tree ` +
        `(or that of \`sha\`, which must have passed) on top of the current head.\n` +
        `- \`${p} freeze ${env} <reason>\` / \`${p} unfreeze ${env}\`: stop (or allow again) every merge into it.\n` +
        `- \`${p} doctor [env]\`: which branch protection and ruleset settings to change.`,
    ],
  };
}

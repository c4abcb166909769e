import type { Context } from "probot";
import { runIssueCommand, type IssueCommandContext } from "../commands/issue-dispatch.js";
import { finalReaction } from "../commands/dispatch.js";
import type { Outcome } from "../commands/context.js";
import { DEFAULT_PREFIXES, parseCommands } from "../commands/parse.js";
import { parseIncidentMarker } from "../gate/incident-text.js";
import { loadConfig } from "../pipeline/config-source.js";
import { reevaluatePulls } from "../pipeline/reevaluate.js";
import { depsFor, triggerOf, type AppState } from "./context.js";

/** More commands than this in one comment are not run, as on pull requests. */
const MAX_COMMANDS = 10;

interface IssueCommentPayload {
  issue: { number: number; body?: string | null; performed_via_github_app?: { id: number } | null };
  comment: { id: number; body?: string | null; user: { login: string } | null };
  repository: { owner: { login: string }; name: string; full_name: string; html_url?: string };
}

/**
 * `/gate …` in a new comment on an issue. Only this app's incident issues take commands (restore, doctor,
 * freeze); on any other issue the comment is left alone, as before. The caller has ruled out bots.
 */
export async function handleIncidentComment(context: Context, state: AppState): Promise<void> {
  const { issue, comment, repository } = context.payload as unknown as IssueCommentPayload;
  const incident = parseIncidentMarker(issue.body);
  if (!incident || !issue.performed_via_github_app) return;
  const deps = await depsFor(state, context, repository);
  if (issue.performed_via_github_app.id !== deps.appId) return; // someone else's copy of the marker
  const cfg = await loadConfig(deps.client);
  if (cfg.kind === "absent") return;
  const prefix = cfg.kind === "ok" ? cfg.config.commands.prefix : "/gate";
  const commands = parseCommands(comment.body ?? "", [prefix, ...DEFAULT_PREFIXES]);
  if (commands.length === 0) return;
  const gh = deps.client;
  await gh.issues.react(comment.id, "eyes");
  if (cfg.kind === "invalid") {
    await gh.issues.comment(
      issue.number,
      "Stagegate cannot run commands while `.github/stagegate.yml` on the default branch is invalid: see the " +
        "`stagegate / config` check.",
    );
    await gh.issues.react(comment.id, "-1");
    return;
  }
  const user = comment.user!.login;
  const outcomes: Outcome[] = [];
  for (const command of commands.slice(0, MAX_COMMANDS)) {
    const trigger = {
      ...triggerOf(context, `${prefix} ${command.name}`),
      deliveryId: `${context.id}:L${command.line}`,
    };
    const ctx: IssueCommandContext = {
      command,
      user,
      gh,
      deps,
      config: cfg.config,
      defaultBranch: cfg.branch,
      configSha: cfg.sha,
      reader: cfg.reader,
      repoUrl: repository.html_url ?? `https://github.com/${repository.full_name}`,
      prefix,
      trigger,
      reevaluate: (numbers, reason) => reevaluatePulls(deps, state.coalescer, numbers, { ...trigger, reason }),
      issue: issue.number,
      incident,
    };
    let outcome: Outcome;
    try {
      outcome = await runIssueCommand(ctx);
    } catch (err) {
      context.log.error({ err, deliveryId: context.id, command: command.name, issue: issue.number }, "command failed");
      const why = err instanceof Error ? err.message : String(err);
      outcome = { status: "failure", replies: [`\`${command.raw.slice(0, 100)}\` failed: ${why}`.slice(0, 2000)] };
    }
    context.log.info(
      { deliveryId: context.id, issue: issue.number, user, command: command.name, status: outcome.status },
      "command",
    );
    for (const reply of outcome.replies) await gh.issues.comment(issue.number, reply);
    outcomes.push(outcome);
  }
  await gh.issues.react(comment.id, finalReaction(outcomes));
}

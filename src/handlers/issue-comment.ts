import type { Context, Probot } from "probot";
import { commandTargets, commandTargetsNeedFiles } from "../config/targeting.js";
import type { EnvironmentConfig, StagegateConfig } from "../config/types.js";
import type { CommandContext, Outcome } from "../commands/context.js";
import { finalReaction, runCommand } from "../commands/dispatch.js";
import { DEFAULT_PREFIXES, mightHoldCommands, parseCommands } from "../commands/parse.js";
import type { GitHubClient } from "../github/client.js";
import type { PullRequest } from "../github/types.js";
import { loadConfig } from "../pipeline/config-source.js";
import { reevaluatePulls } from "../pipeline/reevaluate.js";
import { depsFor, guarded, type AppState } from "./context.js";
import { handleIncidentComment } from "./incident-comment.js";

/** More commands than this in one comment are not run: a comment is not a script. */
const MAX_COMMANDS = 10;

interface CommentPayload {
  issue: { number: number; pull_request?: unknown };
  comment: { id: number; body?: string | null; user: { login: string; type?: string } | null };
  repository: { owner: { login: string }; name: string; full_name: string; html_url?: string };
}

/** `/gate …` commands in new pull-request comments (and on incident issues). Edited comments never re-run them. */
export function registerIssueComment(app: Probot, state: AppState): void {
  app.on("issue_comment.created", async (context) => {
    await guarded(context, context.name, () => handleComment(context, state));
  });
}

export function isBot(user: { login: string; type?: string } | null): boolean {
  return !user || user.type === "Bot" || user.login.toLowerCase().endsWith("[bot]");
}

async function handleComment(context: Context, state: AppState): Promise<void> {
  const payload = context.payload as unknown as CommentPayload;
  if (!payload.issue?.pull_request) {
    // On issues, only this app's incident issues take commands (restore, doctor, freeze).
    const { comment } = payload;
    if (!isBot(comment.user) && mightHoldCommands(comment.body)) await handleIncidentComment(context, state);
    return;
  }
  const { comment, repository } = payload;
  // Bots, this app included, never trigger commands.
  if (isBot(comment.user) || !mightHoldCommands(comment.body)) return;
  const body = comment.body ?? "";
  const user = comment.user!.login;

  const deps = await depsFor(state, context, repository);
  const cfg = await loadConfig(deps.client);
  const prefix = cfg.kind === "ok" ? cfg.config.commands.prefix : "/gate";
  const commands = parseCommands(body, [prefix, ...DEFAULT_PREFIXES]);
  if (commands.length === 0 || cfg.kind === "absent") return; // not a command, or a repository not using Stagegate
  const gh = deps.client;
  await gh.issues.react(comment.id, "eyes");
  const number = payload.issue.number;

  if (cfg.kind === "invalid") {
    await gh.issues.comment(
      number,
      `Stagegate cannot run commands while \`.github/stagegate.yml\` on the default branch is invalid: see ` +
        `the \`stagegate / config\` check.`,
    );
    await gh.issues.react(comment.id, "-1");
    return;
  }

  let pr: PullRequest;
  let targets: EnvironmentConfig[];
  try {
    pr = await deps.client.pullRequest(number);
    targets = await targetsOf(deps.client, cfg.config, pr, cfg.branch);
  } catch (err) {
    await gh.issues.react(comment.id, "-1"); // acknowledged, so say it did not work
    throw err;
  }
  const outcomes: Outcome[] = [];
  for (const command of commands.slice(0, MAX_COMMANDS)) {
    const deliveryId = `${context.id}:L${command.line}`;
    const ctx: CommandContext = {
      command,
      user,
      gh,
      deps,
      config: cfg.config,
      defaultBranch: cfg.branch,
      configSha: cfg.sha,
      reader: cfg.reader,
      pr,
      targets,
      repoUrl: repository.html_url ?? `https://github.com/${repository.full_name}`,
      prefix,
      trigger: { deliveryId, reason: `${prefix} ${command.name}` },
      reevaluate: (numbers, reason) => reevaluatePulls(deps, state.coalescer, numbers, { deliveryId, reason }),
    };
    let outcome: Outcome;
    try {
      outcome = await runCommand(ctx);
    } catch (err) {
      context.log.error({ err, deliveryId: context.id, command: command.name, pr: number }, "command failed");
      outcome = {
        status: "failure",
        replies: [
          `\`${command.raw.slice(0, 100)}\` failed: ${err instanceof Error ? err.message : String(err)}`.slice(0, 2000),
        ],
      };
    }
    context.log.info(
      { deliveryId: context.id, pr: number, user, command: command.name, status: outcome.status },
      "command",
    );
    for (const reply of outcome.replies) await gh.issues.comment(number, reply);
    outcomes.push(outcome);
  }
  if (commands.length > MAX_COMMANDS) {
    await gh.issues.comment(
      number,
      `Only the first ${MAX_COMMANDS} commands of a comment run; ${commands.length - MAX_COMMANDS} were ignored.`,
    );
  }
  await gh.issues.react(comment.id, finalReaction(outcomes));
}

/** The PR's environments; in directory-per-environment repositories, only those whose files it changes. */
async function targetsOf(
  client: GitHubClient,
  config: StagegateConfig,
  pr: PullRequest,
  defaultBranch: string,
): Promise<EnvironmentConfig[]> {
  if (!commandTargetsNeedFiles(config, pr.baseRef, defaultBranch)) {
    return commandTargets(config, pr.baseRef, defaultBranch, undefined);
  }
  const touched = (await client.pullRequestChanges(pr)).files.flatMap((f) =>
    f.previousPath ? [f.path, f.previousPath] : [f.path],
  );
  return commandTargets(config, pr.baseRef, defaultBranch, touched);
}

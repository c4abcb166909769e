import picomatch from "picomatch";
import { checkName } from "../../config/targeting.js";
import type { EnvironmentConfig } from "../../config/types.js";
import { authorize } from "../../gate/authorize.js";
import { GatedHistory } from "../../gate/gated.js";
import { treePassed, type Evidence } from "../../gate/incident-facts.js";
import { lastGated } from "../../gate/incident.js";
import type { IncidentMarker } from "../../gate/incident-text.js";
import { restoreEntries } from "../../gate/restore-plan.js";
import { historyOf, type HistoryGateway } from "../../github/history.js";
import { done, environmentList, failed, findEnvironment, type CommandContext, type Outcome } from "../context.js";

/** What restore needs: where it was typed (a PR or an incident issue), never the PR itself. */
export interface RestoreContext extends Omit<CommandContext, "pr" | "targets"> {
  /** The issue or pull request the command was typed on. */
  where: number;
  /** The incident issue's marker, when typed on one of this app's incident issues. */
  incident?: IncidentMarker | null;
}

const short = (sha: string) => sha.slice(0, 7);
const GLOB = /[*?[\]{}!]/;

/**
 * `/gate restore <env> [sha]` (authorized like freezes): opens a pull request whose head is ONE new commit on top
 * of the branch's current head, with the tree of the last gated commit (or of `sha`, which must have passed the
 * gate) — never a force push, so the restore itself goes through `stagegate / <env>`. Directory per environment:
 * only the environment's files are restored.
 */
export async function runRestore(ctx: RestoreContext): Promise<Outcome> {
  const named = ctx.command.args[0] ?? ctx.incident?.environment;
  const env = findEnvironment(ctx.config, named);
  if (!env)
    return failed(
      `${named ? `There is no environment \`${named}\`` : "Name an environment"}: ` +
        `\`${ctx.prefix} restore <env> [sha]\`. Environments: ${environmentList(ctx.config)}.`,
    );
  const auth = await authorize(ctx.gh.access, ctx.gh.repo, ctx.user, { kind: "freeze", env });
  if (!auth.ok) return failed(`@${ctx.user} cannot restore \`${env.name}\`: ${auth.reason}. Nothing was changed.`);
  const branch = branchOf(ctx, env);
  if (!branch)
    return failed(`\`${env.name}\` maps to no single branch (\`${env.branches.join("`, `")}\`); nothing to restore.`);
  const head = await ctx.gh.branchSha(branch);
  if (!head) return failed(`The branch \`${branch}\` does not exist. Nothing was changed.`);

  const history = historyOf(ctx.gh, ctx.deps.appId);
  const gated = new GatedHistory(history, env.name, branch);
  const picked = await pickTarget(ctx, history, gated, branch, head);
  if ("error" in picked) return failed(picked.error);
  const { sha, tree, evidence } = picked;

  const match = env.branches.length === 0 ? picomatch(env.paths, { dot: true }) : undefined;
  const message =
    `Restore ${env.name} to ${short(sha)}, its last gated state\n\n` +
    `Requested by @${ctx.user} in #${ctx.where}. The tree of ${sha}${match ? ` under ${env.paths.join(", ")}` : ""} ` +
    `as a new commit on top of ${head}; no history is rewritten.`;
  let commit: string;
  if (match) {
    const entries = restoreEntries(await ctx.gh.tree(head), await ctx.gh.tree(sha), (p) => match(p));
    if (entries.length === 0) return done(`\`${env.name}\`'s files on \`${branch}\` already equal ${short(sha)}'s.`);
    commit = await ctx.gh.git.commitFiles(head, entries, message);
  } else {
    if ((await ctx.gh.git.treeOf(head)) === tree)
      return done(`\`${branch}\` already has the tree of ${short(sha)}: nothing to restore.`);
    commit = await history.commitTree(tree, head, message);
  }
  const name = `stagegate/restore-${env.name}-${short(sha)}-${short(head)}`;
  await ctx.gh.git.createBranch(name, commit);
  const why =
    evidence.kind === "check"
      ? `its \`${checkName(env.name)}\` check passed`
      : `it is the gated merge of #${evidence.pull}`;
  const body =
    `Restores \`${env.name}\` to ${sha} (${why}), requested by @${ctx.user} in #${ctx.where}.\n\n` +
    `One new commit on top of \`${branch}\`'s current head ${head}, so history is not rewritten and this pull ` +
    `request goes through \`${checkName(env.name)}\` like any change.`;
  const pr = await ctx.gh.git.openPull(name, branch, `Restore ${env.name} to ${short(sha)}`, body);
  ctx.deps.log.info({ environment: env.name, branch, restoreOf: sha, head, pr: pr.number }, "restore pull request");
  return done(
    `${pr.existed ? "The restore pull request is already open" : "Opened the restore pull request"}: ${pr.htmlUrl} ` +
      `(\`${branch}\` back to ${short(sha)}'s ${match ? "environment files" : "tree"}, on top of ${short(head)}). ` +
      `It needs \`${checkName(env.name)}\` to pass like any change.`,
  );
}

/** The environment's one branch: a literal `branches` entry, the incident's branch, or the default branch. */
function branchOf(ctx: RestoreContext, env: EnvironmentConfig): string | undefined {
  if (env.branches.length === 0) return ctx.defaultBranch;
  const literal = env.branches.filter((b) => !GLOB.test(b));
  if (literal.length === 1 && env.branches.length === 1) return literal[0];
  const incident = ctx.incident;
  if (incident && incident.environment === env.name && env.branches.some((g) => picomatch(g)(incident.branch)))
    return incident.branch;
  return undefined;
}

type Target = { sha: string; tree: string; evidence: Evidence } | { error: string };

/** The given sha, else the incident's last gated commit, else the newest gated commit of the branch's history. */
async function pickTarget(
  ctx: RestoreContext,
  history: HistoryGateway,
  gated: GatedHistory,
  branch: string,
  head: string,
): Promise<Target> {
  const given = ctx.command.args[1];
  let candidate = given ?? (ctx.incident?.environment === gated.env ? ctx.incident.lastGated : null) ?? undefined;
  if (given && !/^[0-9a-f]{7,40}$/i.test(given)) return { error: `\`${given.slice(0, 50)}\` is not a commit sha.` };
  if (!candidate) {
    const facts = { branch, before: head, after: head, pusher: "", forced: false, added: [], dropped: [], base: head };
    const found = await lastGated(gated, history, facts);
    if (!found) return { error: `No commit of \`${branch}\` passed \`${checkName(gated.env)}\`; name one.` };
    candidate = found.commit.sha;
  }
  const commit = await history.resolve(candidate);
  if (!commit) return { error: `GitHub knows no commit \`${candidate}\`. Nothing was changed.` };
  const evidence = await gated.evidence(commit.sha);
  if (!evidence || !treePassed(evidence))
    return {
      error:
        `${short(commit.sha)} did not pass \`${checkName(gated.env)}\` (neither its own check nor as the merge ` +
        `of a pull request into \`${branch}\` whose check passed), so it is not restored. Nothing was changed.`,
    };
  return { sha: commit.sha, tree: commit.tree, evidence };
}

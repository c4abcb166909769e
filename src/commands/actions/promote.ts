import type { EnvironmentConfig } from "../../config/types.js";
import { gatesOf } from "../../config/gates.js";
import { authorize } from "../../gate/authorize.js";
import { done, failed, findEnvironment, unknownEnvironment, type CommandContext, type Outcome } from "../context.js";

/**
 * `/gate promote <env>`: opens the pull request that promotes into `env` from
 * its `promote_from` stage. Branch per environment: source branch into target
 * branch. Directory per environment: a new branch off the default branch that
 * copies this PR's changed files from the source directory to the target's.
 */
export async function runPromote(ctx: CommandContext): Promise<Outcome> {
  const auth = await authorize(ctx.gh.access, ctx.gh.repo, ctx.user, { kind: "write" });
  if (!auth.ok) return failed(`@${ctx.user} cannot run \`${ctx.prefix} promote\`: ${auth.reason}.`);
  const target = findEnvironment(ctx.config, ctx.command.args[0]);
  if (!target) return unknownEnvironment(ctx, ctx.command.args[0]);
  const source = target.promote_from ? findEnvironment(ctx.config, target.promote_from) : undefined;
  if (!source)
    return failed(
      `\`${target.name}\` has no \`promote_from\` stage in \`.github/stagegate.yml\`, so there is nothing ` +
        `to promote from.`,
    );

  const sourceBranch = literalBranch(source);
  const targetBranch = literalBranch(target);
  if (sourceBranch && targetBranch) return promoteBranches(ctx, source, target, sourceBranch, targetBranch);
  const map = pathMap(source, target);
  if (!map) {
    return failed(
      `Cannot tell how to promote \`${source.name}\` into \`${target.name}\`: give both a plain branch ` +
        `(\`branches\`), ` +
        `or set \`environments.${target.name}.gates.promotion.path_map\`.`,
    );
  }
  return promoteDirectories(ctx, source, target, map);
}

async function promoteBranches(
  ctx: CommandContext,
  source: EnvironmentConfig,
  target: EnvironmentConfig,
  from: string,
  into: string,
): Promise<Outcome> {
  const title = `Promote ${source.name} to ${target.name}`;
  const body = `Promotes \`${from}\` into \`${into}\`, requested by @${ctx.user} in #${ctx.pr.number}.`;
  const pr = await ctx.gh.git.openPull(from, into, title, body);
  return done(
    `${pr.existed ? "The promotion pull request is already open" : "Opened the promotion pull request"}: ` +
      `${pr.htmlUrl} (\`${from}\` → \`${into}\`).`,
  );
}

async function promoteDirectories(
  ctx: CommandContext,
  source: EnvironmentConfig,
  target: EnvironmentConfig,
  map: { from: string; to: string },
): Promise<Outcome> {
  const client = ctx.deps.client;
  const { files } = await client.pullRequestChanges(ctx.pr);
  const inSource = files.filter((f) => f.path.startsWith(map.from) || (f.previousPath ?? "").startsWith(map.from));
  if (inSource.length === 0)
    return failed(
      `This pull request changes no files under \`${map.from}\` (\`${source.name}\`), so there is nothing ` +
        `to promote into \`${target.name}\`.`,
    );

  // Blob ids at the PR head: the tree reuses them, so no content is uploaded.
  const blobs = new Map((await client.tree(ctx.pr.headSha)).map((e) => [e.path, e.sha]));
  const entries: Array<{ path: string; sha: string | null }> = [];
  for (const f of inSource) {
    if (f.previousPath?.startsWith(map.from) && f.previousPath !== f.path)
      entries.push({ path: map.to + f.previousPath.slice(map.from.length), sha: null });
    if (!f.path.startsWith(map.from)) continue;
    const to = map.to + f.path.slice(map.from.length);
    entries.push({ path: to, sha: f.status === "removed" ? null : (blobs.get(f.path) ?? null) });
  }
  const def = await client.defaultBranch();
  const short = ctx.pr.headSha.slice(0, 7);
  const branch = `stagegate/promote-${target.name}-${short}`;
  const message =
    `Promote ${source.name} to ${target.name} (#${ctx.pr.number} at ${short})\n\nRequested by ` + `@${ctx.user}.`;
  if (await ctx.gh.git.createBranch(branch, await ctx.gh.git.commitFiles(def.sha, entries, message))) {
    ctx.deps.log.info({ pr: ctx.pr.number, environment: target.name, branch }, "promotion branch created");
  }
  const list = entries.map((e) => `- \`${e.path}\`${e.sha === null ? " (removed)" : ""}`).join("\n");
  const title = `Promote ${source.name} to ${target.name} (#${ctx.pr.number})`;
  const body =
    `Copies the changes of #${ctx.pr.number} (${short}) from \`${map.from}\` to \`${map.to}\`, requested by ` +
    `@${ctx.user}:\n\n${list}`.slice(0, 60_000);
  const pr = await ctx.gh.git.openPull(branch, def.name, title, body);
  return done(
    `${pr.existed ? "The promotion pull request is already open" : "Opened the promotion pull request"}: ` +
      `${pr.htmlUrl} (${entries.length} file(s), \`${map.from}\` → \`${map.to}\`).`,
  );
}

/** The environment's branch when it names exactly one without globs. */
function literalBranch(env: EnvironmentConfig): string | undefined {
  return env.branches.length === 1 && !/[*?[\]{}!]/.test(env.branches[0]) ? env.branches[0] : undefined;
}

/** gates.promotion.path_map, else the literal prefixes of the two environments' `paths`. */
export function pathMap(
  source: EnvironmentConfig,
  target: EnvironmentConfig,
): { from: string; to: string } | undefined {
  const explicit = gatesOf(target).promotion?.path_map;
  if (explicit) return explicit;
  const from = prefixOf(source.paths);
  const to = prefixOf(target.paths);
  return from && to && from !== to ? { from, to } : undefined;
}

/**
 * `envs/staging/**` → `envs/staging/`: the directory before the first glob character, when there is exactly one path.
 */
function prefixOf(paths: string[]): string | undefined {
  if (paths.length !== 1) return undefined;
  const glob = paths[0].search(/[*?[\]{}!]/);
  const literal = glob === -1 ? paths[0] : paths[0].slice(0, glob);
  const dir = literal.slice(0, literal.lastIndexOf("/") + 1);
  return dir || undefined;
}

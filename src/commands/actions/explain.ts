import { manifestFilesFor } from "../../config/environments.js";
import type { SourceFile } from "../../manifests/parse.js";
import { authorize } from "../../gate/authorize.js";
import { failed, noTargets, type CommandContext, type Outcome } from "../context.js";
import { renderExplain } from "../explain-render.js";

/**
 * `/gate explain [rule-id]`: evaluates the current head again (same engine,
 * same content as the check) and replies with every finding, linked.
 */
export async function runExplain(ctx: CommandContext): Promise<Outcome> {
  const auth = await authorize(ctx.gh.access, ctx.gh.repo, ctx.user, { kind: "write" });
  if (!auth.ok) return failed(`@${ctx.user} cannot run \`${ctx.prefix} explain\`: ${auth.reason}.`);
  if (ctx.targets.length === 0) return noTargets(ctx);
  const { client, engines } = ctx.deps;
  const engine = await engines.get(`${client.repo.owner}/${client.repo.repo}`, ctx.configSha, ctx.config, ctx.reader);
  const changed = (await client.pullRequestChanges(ctx.pr)).files
    .filter((f) => f.status !== "removed")
    .map((f) => f.path);
  // What would land: the test merge commit when GitHub computed one, as the check does.
  const contentSha = ctx.pr.mergeable && ctx.pr.mergeCommitSha ? ctx.pr.mergeCommitSha : ctx.pr.headSha;
  const wanted = new Set<string>();
  for (const env of ctx.targets) for (const p of manifestFilesFor(env, changed)) wanted.add(p);
  const files: SourceFile[] = [];
  if (wanted.size) {
    for (const [path, content] of await client.readFiles(contentSha, [...wanted].sort()))
      if (content !== undefined) files.push({ path, content });
  }
  const verdicts = ctx.targets.map((env) => engine.check(env.name, files));
  const replies = renderExplain(
    verdicts,
    { repoUrl: ctx.repoUrl, contentSha, configSha: ctx.configSha, ruleSources: engine.ruleSources() },
    { rule: ctx.command.args[0], prefix: ctx.prefix },
  );
  return { status: "success", replies };
}

import { authorize, describePrincipals } from "../../gate/authorize.js";
import { environmentList, type CommandContext, type Outcome, type OutcomeStatus } from "../context.js";

/** `/gate help` (and the answer to an unknown command): the commands THIS user may run on THIS PR. */
export async function runHelp(ctx: CommandContext, status: OutcomeStatus = "success"): Promise<Outcome> {
  return { status, replies: [await helpText(ctx)] };
}

export async function helpText(ctx: CommandContext): Promise<string> {
  const p = ctx.prefix;
  const lines: string[] = [];
  const intro =
    ctx.command.name === "unknown" ? `Stagegate does not know \`${ctx.command.raw.slice(0, 100)}\`.\n\n` : "";
  const write = await authorize(ctx.gh.access, ctx.gh.repo, ctx.user, { kind: "write" });
  if (!write.ok) {
    return (
      `${intro}@${ctx.user}, Stagegate commands need write permission on ` +
      `${ctx.gh.repo.owner}/${ctx.gh.repo.repo}; you can only run \`${p} help\` here.`
    );
  }
  const targets = ctx.targets.map((t) => t.name);
  lines.push(`- \`${p} help\`: this list.`);
  if (targets.length) {
    lines.push(`- \`${p} check\`: re-evaluate this pull request now.`);
    lines.push(
      `- \`${p} explain [rule-id]\`: every failing rule with links to the lines, the rule's source and how to ` +
        `fix it.`,
    );
  }
  for (const env of ctx.targets) {
    const auth = await authorize(ctx.gh.access, ctx.gh.repo, ctx.user, {
      kind: "override",
      env,
      prAuthor: ctx.pr.author,
    });
    const form = ctx.targets.length > 1 ? `${p} override ${env.name} <reason>` : `${p} override <reason>`;
    const needed = Math.max(1, env.override.required);
    if (auth.ok) {
      lines.push(
        `- \`${form}\`: let \`stagegate / ${env.name}\` pass for this head commit (needs ${needed} distinct ` +
          `overrider(s)); a freeze still holds unless the override says \`--break-freeze\` and you may also freeze it.`,
      );
    }
  }
  const freezable: string[] = [];
  for (const env of Object.values(ctx.config.environments)) {
    if ((await authorize(ctx.gh.access, ctx.gh.repo, ctx.user, { kind: "freeze", env })).ok) freezable.push(env.name);
  }
  if (freezable.length) {
    lines.push(
      `- \`${p} freeze <env> <reason>\` / \`${p} unfreeze <env>\`: stop (or allow again) every merge into ` +
        `${freezable.map((n) => `\`${n}\``).join(", ")}.`,
    );
  }
  if (freezable.length) {
    lines.push(
      `- \`${p} restore <env> [sha]\`: after an incident, open a pull request that restores the last gated commit ` +
        `of ${freezable.map((n) => `\`${n}\``).join(", ")}.`,
    );
  }
  lines.push(`- \`${p} doctor [env]\`: which branch protection settings each environment branch is missing.`);
  const promotable = Object.values(ctx.config.environments).filter((e) => e.promote_from);
  if (promotable.length)
    lines.push(
      `- \`${p} promote <env>\`: open the promotion pull request into ` +
        `${promotable.map((e) => `\`${e.name}\``).join(", ")}.`,
    );

  const notes: string[] = [];
  if (!targets.length)
    notes.push(`This pull request targets no environment (environments: ${environmentList(ctx.config)}).`);
  for (const env of ctx.targets) {
    const auth = await authorize(ctx.gh.access, ctx.gh.repo, ctx.user, {
      kind: "override",
      env,
      prAuthor: ctx.pr.author,
    });
    if (!auth.ok && env.override.allowed.users.length + env.override.allowed.teams.length > 0) {
      notes.push(`Overriding \`${env.name}\` is for ${describePrincipals(env.override.allowed)}: ${auth.reason}.`);
    }
  }
  return (
    `${intro}Commands @${ctx.user} can run on this pull request (one per line, also as \`/stagegate ` +
    `…\`):\n\n${lines.join("\n")}${notes.length ? `\n\n${notes.join("\n")}` : ""}`
  );
}

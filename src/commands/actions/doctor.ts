import { authorize } from "../../gate/authorize.js";
import { doctorTargets } from "../../gate/doctor-targets.js";
import { auditBranch, auditMarkdown, type BranchAudit } from "../../gate/protection-audit.js";
import { protectionFacts } from "../../gate/protection-facts.js";
import { branchProtection } from "../../github/protection.js";
import { done, failed, findEnvironment, type CommandContext, type Outcome } from "../context.js";

/**
 * `/gate doctor [env]`: per environment branch, whether branch protection or a ruleset requires the Stagegate
 * checks from this app, blocks force pushes and deletions, requires signed commits and linear history, and who
 * can bypass — with the setting to change. Reads only (Administration: read for classic branch protection).
 */
export async function runDoctor(ctx: Omit<CommandContext, "pr" | "targets">): Promise<Outcome> {
  const auth = await authorize(ctx.gh.access, ctx.gh.repo, ctx.user, { kind: "write" });
  if (!auth.ok) return failed(`@${ctx.user} cannot run \`${ctx.prefix} doctor\`: ${auth.reason}.`);
  const only = ctx.command.args[0];
  if (only && !findEnvironment(ctx.config, only)) return failed(`There is no environment \`${only.slice(0, 50)}\`.`);
  const { targets, globs } = doctorTargets(ctx.config, ctx.defaultBranch, only);
  const audits: BranchAudit[] = [];
  for (const t of targets) {
    const facts = protectionFacts(await branchProtection(ctx.gh, t.branch));
    audits.push({
      branch: t.branch,
      environments: t.environments,
      findings: auditBranch(facts, t.checks, ctx.deps.appId),
    });
  }
  const note = globs.length
    ? `\n\nNot audited (branch globs name no branch to read): ${globs.map((g) => `\`${g}\``).join(", ")}.`
    : "";
  return done(auditMarkdown(audits) + note);
}

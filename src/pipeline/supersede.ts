import { loadConfig } from "./config-source.js";
import type { Deps } from "./deps.js";
import { checkName, environmentsForPullRequest } from "../config/targeting.js";

/**
 * After a PR's base branch changed, the old base's environments no longer
 * apply: their latest check runs on the head are completed as superseded, so
 * nothing is left pending or failing for a target the PR no longer has.
 */
export async function supersedeOldBase(deps: Deps, number: number, oldBase: string, newBase: string): Promise<void> {
  const cfg = await loadConfig(deps.client);
  if (cfg.kind !== "ok") return;
  const now = new Set(environmentsForPullRequest(cfg.config, newBase, cfg.branch).map((e) => checkName(e.name)));
  const gone = environmentsForPullRequest(cfg.config, oldBase, cfg.branch)
    .map((e) => checkName(e.name))
    .filter((n) => !now.has(n));
  if (gone.length === 0) return;
  const pr = await deps.client.pullRequest(number);
  const runs = await deps.client.checks.list(pr.headSha, deps.appId);
  for (const name of gone) {
    const latest = runs.filter((r) => r.name === name).sort((a, b) => b.id - a.id)[0];
    if (!latest) continue;
    await deps.client.checks.update(latest.id, {
      // Not neutral: branch protection counts neutral as passing, and the run belongs to the commit, not to this PR.
      conclusion: "cancelled",
      output: {
        title: `Superseded: the base branch changed from ${oldBase} to ${newBase}`,
        summary: `This pull request no longer targets \`${oldBase}\`, so \`${name}\` no longer applies to it.`,
      },
    });
  }
}

import type { RawBranchProtection } from "../gate/protection-facts.js";
import type { GitHubClient } from "./client.js";

const status = (err: unknown) => (err as { status?: number }).status;
type Json = Record<string, unknown>;

/**
 * A branch's classic protection (needs Administration: read), the ruleset rules that apply to it, and those
 * rulesets (with their bypass lists when GitHub shows them) — read for `/gate doctor`, as GitHub's JSON, which
 * gate/protection-facts.ts judges. Nothing is written.
 */
export async function branchProtection(client: GitHubClient, branch: string): Promise<RawBranchProtection> {
  const { octokit, repo } = client;
  let classic: Json | null | "unreadable";
  try {
    classic = (await octokit.rest.repos.getBranchProtection({ ...repo, branch })).data as unknown as Json;
  } catch (err) {
    // 404: "Branch not protected" (or no such branch); 403: the installation lacks Administration: read.
    if (status(err) === 404) classic = null;
    else if (status(err) === 403) classic = "unreadable";
    else throw err;
  }
  const rules = (await octokit.paginate(octokit.rest.repos.getBranchRules, {
    ...repo,
    branch,
    per_page: 100,
  })) as Json[];
  const rulesets = new Map<number, Json>();
  const ids = new Set(rules.map((r) => Number(r.ruleset_id)).filter((n) => Number.isFinite(n)));
  for (const id of ids) {
    try {
      rulesets.set(id, (await octokit.rest.repos.getRepoRuleset({ ...repo, ruleset_id: id })).data as unknown as Json);
    } catch (err) {
      if (status(err) !== 404 && status(err) !== 403) throw err;
    }
  }
  return { branch, classic, rules, rulesets };
}

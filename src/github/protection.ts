import {
  classicFrom,
  rulesetsFrom,
  type BranchProtectionFacts,
  type ClassicProtection,
} from "../gate/protection-facts.js";
import type { GitHubClient } from "./client.js";

const status = (err: unknown) => (err as { status?: number }).status;
type Json = Record<string, unknown>;

/**
 * A branch's classic protection (needs Administration: read), the ruleset rules that apply to it, and those
 * rulesets' bypass lists — read for `/gate doctor`. Nothing is written.
 */
export async function branchProtection(client: GitHubClient, branch: string): Promise<BranchProtectionFacts> {
  const { octokit, repo } = client;
  let classic: ClassicProtection | null | "unreadable";
  try {
    classic = classicFrom((await octokit.rest.repos.getBranchProtection({ ...repo, branch })).data as Json);
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
  for (const id of new Set(rules.map((r) => Number(r.ruleset_id)).filter((n) => Number.isFinite(n)))) {
    try {
      rulesets.set(id, (await octokit.rest.repos.getRepoRuleset({ ...repo, ruleset_id: id })).data as Json);
    } catch (err) {
      if (status(err) !== 404 && status(err) !== 403) throw err;
    }
  }
  return { branch, classic, rulesets: rulesetsFrom(rules, rulesets) };
}

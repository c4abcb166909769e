import type { PromotionFacts } from "../gate/pr-input.js";
import type { CiReports, PullFacts } from "./pull-facts.js";

/**
 * `verified_by`: what the source stage reported about the promoted commit,
 * per configured context, from commit statuses and check runs together.
 */

type VerificationState = PromotionFacts["verification"][number]["state"];

/** When a context is reported several times, the worst report decides. */
const RANK: Record<VerificationState, number> = { success: 0, pending: 1, missing: 2, failure: 3 };

export async function verification(
  facts: PullFacts,
  ref: string,
  contexts: string[],
): Promise<PromotionFacts["verification"]> {
  if (contexts.length === 0) return [];
  return verificationOf(await facts.ciReports(ref), ref, contexts);
}

export function verificationOf(reports: CiReports, ref: string, contexts: string[]): PromotionFacts["verification"] {
  const sha = reports.sha || reports.checkRuns[0]?.headSha || ref;
  return contexts.map((context) => {
    const states: VerificationState[] = [];
    for (const s of reports.statuses) {
      if (s.context === context)
        states.push(s.state === "success" ? "success" : s.state === "pending" ? "pending" : "failure");
    }
    // the latest run of each name (highest id) decides
    const run = reports.checkRuns.filter((r) => r.name === context).sort((a, b) => b.id - a.id)[0];
    if (run) {
      if (run.status !== "completed") states.push("pending");
      else states.push(["success", "neutral", "skipped"].includes(run.conclusion ?? "") ? "success" : "failure");
    }
    const state = states.length ? states.reduce((a, b) => (RANK[b] > RANK[a] ? b : a)) : "missing";
    return { context, state, sha };
  });
}

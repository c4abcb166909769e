import { verificationSources, type GatesConfig, type VerificationSource } from "../config/gates.js";
import type { PromotionFacts } from "../gate/pr-input.js";
import type { CiReports, PullFacts } from "./pull-facts.js";

/**
 * `verified_by`: what the source stage reported about the promoted commit,
 * per configured entry, from commit statuses and check runs together. Only
 * the entry's trusted sources are read: check runs of its GitHub App, and
 * statuses posted by its creator (or by the app's `<slug>[bot]` account); a
 * plain name trusts every source.
 */

type Verification = PromotionFacts["verification"][number];
type VerificationState = Verification["state"];

/** When several sources report an entry, the worst report decides. */
const RANK: Record<VerificationState, number> = { success: 0, pending: 1, missing: 2, failure: 3 };

export async function verification(facts: PullFacts, ref: string, gates: GatesConfig): Promise<Verification[]> {
  const sources = verificationSources(gates);
  if (sources.length === 0) return [];
  return verificationOf(await facts.ciReports(ref), ref, sources);
}

export function verificationOf(reports: CiReports, ref: string, sources: VerificationSource[]): Verification[] {
  const sha = reports.sha || reports.checkRuns[0]?.headSha || ref;
  return sources.map((src) => {
    const states = [...statusStates(reports, src), ...checkRunStates(reports, src)];
    const state = states.length ? states.reduce((a, b) => (RANK[b] > RANK[a] ? b : a)) : "missing";
    return { context: src.context, app: src.app, creator: src.creator, state, sha };
  });
}

const same = (a: string | null | undefined, b: string) => !!a && a.toLowerCase() === b.toLowerCase();

/** The newest status of the context from each trusted creator (GitHub lists statuses newest first). */
function statusStates(reports: CiReports, src: VerificationSource): VerificationState[] {
  const trusted = (creator: string | null) =>
    (src.app === null && src.creator === null) ||
    (src.creator !== null && same(creator, src.creator)) ||
    (src.app !== null && same(creator, `${src.app}[bot]`));
  const seen = new Set<string>();
  const out: VerificationState[] = [];
  for (const s of reports.statuses) {
    if (s.context !== src.context || !trusted(s.creator)) continue;
    const who = (s.creator ?? "").toLowerCase();
    if (seen.has(who)) continue; // an older status of the same creator: superseded
    seen.add(who);
    out.push(s.state === "success" ? "success" : s.state === "pending" ? "pending" : "failure");
  }
  return out;
}

/** The latest run of the name (highest id) from each trusted app; statuses-only entries trust no check run. */
function checkRunStates(reports: CiReports, src: VerificationSource): VerificationState[] {
  if (src.app === null && src.creator !== null) return [];
  const latest = new Map<string, CiReports["checkRuns"][number]>();
  for (const r of reports.checkRuns) {
    if (r.name !== src.context || (src.app !== null && !same(r.app, src.app))) continue;
    const app = (r.app ?? "").toLowerCase();
    const prev = latest.get(app);
    if (!prev || r.id > prev.id) latest.set(app, r);
  }
  return [...latest.values()].map((run) => {
    if (run.status !== "completed") return "pending";
    return ["success", "neutral", "skipped"].includes(run.conclusion ?? "") ? "success" : "failure";
  });
}

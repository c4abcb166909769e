import type { Principals } from "../config/types.js";
import type { AccessFacts } from "./access.js";
import { parseTeam } from "./authorize.js";
import type { PrReview } from "./pr-input.js";

export interface ApprovalStatus {
  approved: boolean;
  /** Policy approvers whose approval counts (latest review, on the current head). */
  approvedBy: string[];
  /** Approvals that do not count, each with the reason. */
  ignored: Array<{ user: string; reason: string }>;
  /** Who may approve, for the summary. */
  approvers: string;
}

export function describeApprovers(p: Principals): string {
  if (p.users.length === 0 && p.teams.length === 0) return "a repository admin";
  const who = [...p.users.map((u) => `@${u}`), ...p.teams.map((t) => `@${t.replace(/^@/, "")}`)];
  return `one of ${who.join(", ")}`;
}

/**
 * Whether a policy approver other than the author approved the head commit,
 * judged on the latest review per reviewer (gather/reviews.ts `latestReviews`,
 * the same reading the approvals gate uses).
 * `isApprover` is asked only for reviewers whose approval is on the head, so
 * membership lookups stay few.
 */
export async function approvalStatus(
  latest: PrReview[],
  author: string,
  approvers: Principals,
  isApprover: (user: string) => Promise<boolean>,
): Promise<ApprovalStatus> {
  const approvedBy: string[] = [];
  const ignored: ApprovalStatus["ignored"] = [];
  for (const r of latest) {
    if (r.state !== "APPROVED") continue;
    const user = r.reviewer;
    if (user.toLowerCase() === author.toLowerCase())
      ignored.push({ user, reason: "the author cannot approve their own policy change" });
    else if (!r.on_current_head)
      ignored.push({
        user,
        reason: `approved an earlier commit (${(r.commit_sha || "unknown").slice(0, 7)}), not the current head`,
      });
    else if (!(await isApprover(user)))
      ignored.push({ user, reason: `not a policy approver (${describeApprovers(approvers)} is needed)` });
    else approvedBy.push(user);
  }
  return { approved: approvedBy.length > 0, approvedBy, ignored, approvers: describeApprovers(approvers) };
}

/**
 * `policy.approvers` membership: listed users, active members of listed
 * teams, or — when none are configured — repository admins.
 */
export function approverCheck(access: AccessFacts, approvers: Principals): (user: string) => Promise<boolean> {
  const users = new Set(approvers.users.map((u) => u.toLowerCase()));
  return async (user) => {
    if (approvers.users.length === 0 && approvers.teams.length === 0)
      return (await access.permission(user)) === "admin";
    if (users.has(user.toLowerCase())) return true;
    for (const team of approvers.teams) {
      const t = parseTeam(team);
      if (t && (await access.isTeamMember(t.org, t.slug, user))) return true;
    }
    return false;
  };
}

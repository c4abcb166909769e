import { gatesOf } from "../config/gates.js";
import type { EnvironmentConfig, Principals } from "../config/types.js";

/** The facts an environment's configured gates need: nothing else is read from GitHub. */
export interface FactsNeeds {
  reviews: boolean;
  commits: boolean;
  promotion: boolean;
  verification: boolean;
  soak: boolean;
  /**
   * Look up reviewers' repository permissions (approvals count only from writers): only for approvals of
   * the head with `currentHeadOnly`, only for the listed users and teams with `from`. Undefined: no gate
   * needs them.
   */
  permissions?: { currentHeadOnly: boolean; from: Principals | null };
  /** Teams (`org/slug`) whose members must be known. */
  teams: string[];
  freeze: boolean;
}

export function needsFor(env: EnvironmentConfig): FactsNeeds {
  const g = gatesOf(env);
  // the environment's own PR-level Rego rules may read anything: give them reviews and commits
  const custom = (g.policies ?? []).length > 0;
  const promotes = typeof env.promote_from === "string" && env.promote_from !== "";
  const approvals = g.approvals !== undefined;
  return {
    reviews: approvals || custom,
    // approvals: who pushed commits (their authors and committers) may not approve; same GraphQL query
    commits: g.signed_commits === true || custom || approvals,
    // the environment's own rules may count any approval: then every approver's permission is looked up
    permissions:
      approvals || custom
        ? {
            currentHeadOnly: !custom && g.approvals?.current_head_only === true,
            from: !custom && restricted(g.approvals?.from) ? g.approvals!.from : null,
          }
        : undefined,
    promotion: promotes,
    verification: promotes && (g.verified_by ?? []).length > 0,
    soak: promotes && typeof g.soak === "string",
    teams: g.approvals ? [...g.approvals.from.teams] : [],
    // manual freezes (`/gate freeze`) may apply to any environment
    freeze: true,
  };
}

function restricted(from: Principals | undefined): boolean {
  return !!from && from.users.length + from.teams.length > 0;
}

import { gatesOf } from "../config/gates.js";
import type { EnvironmentConfig } from "../config/types.js";

/** The facts an environment's configured gates need: nothing else is read from GitHub. */
export interface FactsNeeds {
  reviews: boolean;
  commits: boolean;
  promotion: boolean;
  verification: boolean;
  soak: boolean;
  /** Teams (`org/slug`) whose members must be known. */
  teams: string[];
  freeze: boolean;
}

export function needsFor(env: EnvironmentConfig): FactsNeeds {
  const g = gatesOf(env);
  // the environment's own PR-level Rego rules may read anything: give them reviews and commits
  const custom = (g.policies ?? []).length > 0;
  const promotes = typeof env.promote_from === "string" && env.promote_from !== "";
  return {
    reviews: g.approvals !== undefined || custom,
    commits: g.signed_commits === true || custom,
    promotion: promotes,
    verification: promotes && (g.verified_by ?? []).length > 0,
    soak: promotes && typeof g.soak === "string",
    teams: g.approvals ? [...g.approvals.from.teams] : [],
    // manual freezes (`/gate freeze`) may apply to any environment
    freeze: true,
  };
}

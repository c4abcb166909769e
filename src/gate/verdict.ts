import type { ExemptedFinding, Finding } from "../types.js";

/** How an environment's findings weigh: block, show only, or log only. */
export type EnvironmentMode = "enforce" | "warn" | "shadow";

/** The result of checking one environment's changed manifests. */
export interface Verdict {
  environment: string;
  mode: EnvironmentMode;
  /** Failures and warnings, sorted by file, line, rule. */
  findings: Finding[];
  /** Findings that an `exception` rule exempted. */
  exemptions: ExemptedFinding[];
  filesChecked: number;
  documentsChecked: number;
  /** Wall-clock milliseconds spent evaluating. */
  durationMs: number;
}

export interface VerdictCounts {
  failures: number;
  warnings: number;
  exceptions: number;
}

export function countFindings(verdict: Verdict): VerdictCounts {
  let failures = 0;
  let warnings = 0;
  for (const f of verdict.findings) {
    if (f.severity === "failure") failures++;
    else warnings++;
  }
  return { failures, warnings, exceptions: verdict.exemptions.length };
}

/** True when the verdict should block: an enforced environment with at least one failure. */
export function isBlocking(verdict: Verdict): boolean {
  return verdict.mode === "enforce" && verdict.findings.some((f) => f.severity === "failure");
}

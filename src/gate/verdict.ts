import type { EnvironmentMode } from "../config/types.js";
import type { ChangeKind } from "../render/object-diff.js";
import type { ExemptedFinding, Finding } from "../types.js";

export type { EnvironmentMode };

/** A PR-level gate's state: passed, failed (needs a change), or waiting (needs time or people). */
export type GateState = "passed" | "failed" | "waiting";

export interface GateResult {
  /** Built-in gate name (`approvals`, `promotion`…) or the namespace of a custom PR-level policy. */
  gate: string;
  state: GateState;
  /** What is still required, one line each ("needs 1 more approval from @org/sre"). */
  messages: string[];
}

/** A break-glass override of a failing gate, derived from GitHub (see the slash commands). */
export interface OverrideRecord {
  by: string[];
  reason: string;
  /** The overriders said `--break-freeze` and may lift freezes too; without it a freeze still blocks. */
  breaksFreeze?: boolean;
}

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
  /** PR-level gates, when the environment was evaluated for a pull request. */
  gates?: GateResult[];
  /** Set when an authorised override turned this verdict green. */
  override?: OverrideRecord;
  /** What each rendered entry point of the environment changes (environments with `render:`). */
  rendered?: RenderedChanges[];
}

/** One entry point's rendered change, base → head: what the environment will run after the merge. */
export interface RenderedChanges {
  /** `kustomize apps/production`. */
  label: string;
  /** Objects added, changed and removed, with a unified diff of each one's YAML. */
  objects: Array<{ kind: ChangeKind; id: string; diff: string[] }>;
  /** Rendered objects judged (the added and changed ones, or all with `judge: all`). */
  judged: number;
  /** Why the base could not be rendered (every head object then counts as added). */
  baseProblems: string[];
  /** The head could not be rendered: its problems are failures of the verdict. */
  headFailed: boolean;
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

/** True when the verdict fails its gates or manifests, whatever the mode. */
export function hasFailures(verdict: Verdict): boolean {
  return (
    verdict.findings.some((f) => f.severity === "failure") || (verdict.gates ?? []).some((g) => g.state !== "passed")
  );
}

/** True when the verdict should block: an enforced environment that fails, not overridden. */
export function isBlocking(verdict: Verdict): boolean {
  return verdict.mode === "enforce" && !verdict.override && hasFailures(verdict);
}

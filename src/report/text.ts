import { countFindings, type Verdict } from "../gate/verdict.js";
import type { ExemptedFinding, Finding } from "../types.js";
import type { ReportContext } from "./context.js";
import { formatLocation, plural } from "./location.js";
import { escapeControls } from "./sanitize.js";

/**
 * Human-readable report, conftest-like: one line per finding
 * (`FAIL - file:line:col - rule - message`, `WARN`, `EXCEPTION`), grouped per
 * environment, each group ending with a summary line. Control characters in
 * user content are shown escaped; continuation lines of multi-line messages
 * are indented.
 */
export function formatText(verdicts: Verdict[], ctx: ReportContext): string {
  const paint = ctx.color ? ansi : (_code: string, s: string) => s;
  const blocks = verdicts.map((v) => formatEnvironment(v, paint));
  return blocks.join("\n\n") + "\n";
}

type Paint = (code: string, s: string) => string;

const ansi: Paint = (code, s) => `\u001b[${code}m${s}\u001b[0m`;

const LABELS = {
  failure: { label: "FAIL", color: "31" },
  warning: { label: "WARN", color: "33" },
  exception: { label: "EXCEPTION", color: "36" },
} as const;

function formatEnvironment(v: Verdict, paint: Paint): string {
  const lines: string[] = [];
  for (const f of v.findings)
    lines.push(findingLine(f, f.severity === "failure" ? LABELS.failure : LABELS.warning, paint));
  for (const e of v.exemptions) lines.push(findingLine(e, LABELS.exception, paint, e));
  lines.push(summaryLine(v));
  return lines.join("\n");
}

function findingLine(
  f: Finding,
  kind: { label: string; color: string },
  paint: Paint,
  exempted?: ExemptedFinding,
): string {
  const message = escapeControls(f.message || "(no message)", "\n").replace(/\n/g, "\n    ");
  const suffix = exempted ? ` (exempted by ${escapeControls(exempted.exemptedBy, "")})` : "";
  const where = escapeControls(formatLocation(f.location), "");
  return `${paint(kind.color, kind.label)} - ${where} - ${escapeControls(f.ruleId, "")} - ${message}${suffix}`;
}

/** `production: 14 documents in 3 files, 2 failures, 1 warning, 1 exception` (+ mode note). */
export function summaryLine(v: Verdict): string {
  const c = countFindings(v);
  const parts = [
    `${plural(v.documentsChecked, "document")} in ${plural(v.filesChecked, "file")}`,
    plural(c.failures, "failure"),
    plural(c.warnings, "warning"),
    plural(c.exceptions, "exception"),
  ];
  const note = v.mode === "enforce" ? "" : ` (${v.mode} mode, not blocking)`;
  return `${escapeControls(v.environment, "")}: ${parts.join(", ")}${note}`;
}

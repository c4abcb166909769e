import type { Verdict } from "../gate/verdict.js";
import type { ExemptedFinding, Finding } from "../types.js";
import type { ReportContext } from "./context.js";
import { normalizePath, regionOf } from "./location.js";
import { summaryLine } from "./text.js";
import { wellFormed } from "./sanitize.js";

/**
 * GitHub Actions workflow commands: one `::error` / `::warning` line per
 * finding and `::notice` per exemption, then one plain summary line per
 * environment. Escaping follows the runner: data `%`, `\r`, `\n`; property
 * values additionally `:` and `,`. Since newlines are escaped, a message can
 * never start a command of its own.
 */
export function formatGithub(verdicts: Verdict[], _ctx: ReportContext): string {
  const lines: string[] = [];
  for (const v of verdicts) {
    for (const f of v.findings) lines.push(command(f.severity === "failure" ? "error" : "warning", f, f.message));
    for (const e of v.exemptions)
      lines.push(command("notice", e, `${e.message} (exempted by ${(e as ExemptedFinding).exemptedBy})`));
  }
  // Plain log lines; escaped like data so they cannot be read as commands.
  for (const v of verdicts) lines.push(`stagegate: ${escapeData(summaryLine(v))}`);
  return lines.join("\n") + "\n";
}

/** Escapes the message part of a workflow command. */
export function escapeData(s: string): string {
  return wellFormed(s).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Escapes a property value of a workflow command. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

function command(kind: "error" | "warning" | "notice", f: Finding, message: string): string {
  const props: string[] = [];
  const file = normalizePath(f.location.file);
  if (file) props.push(`file=${escapeProperty(file)}`);
  const region = regionOf(f.location);
  if (file && region) {
    props.push(`line=${region.startLine}`);
    if (region.startColumn !== undefined) props.push(`col=${region.startColumn}`);
    if (region.endLine !== undefined) props.push(`endLine=${region.endLine}`);
    if (region.endColumn !== undefined) props.push(`endColumn=${region.endColumn}`);
  }
  props.push(`title=${escapeProperty(f.ruleId)}`);
  return `::${kind} ${props.join(",")}::${escapeData(message || "(no message)")}`;
}

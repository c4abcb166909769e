import { countFindings, type Verdict } from "../gate/verdict.js";
import { TITLE_LIMIT } from "./check-run-limits.js";
import { normalizePath, plural } from "./location.js";
import { truncateChars, wellFormed } from "./sanitize.js";

/** "2 failures, 1 warning in 3 files", "No production manifests changed", "All 14 documents pass" (+ mode note). */
export function checkRunTitle(v: Verdict): string {
  const c = countFindings(v);
  const env = truncateChars(wellFormed(v.environment), 100);
  let title: string;
  if (c.failures + c.warnings > 0) {
    const parts = [];
    if (c.failures > 0) parts.push(plural(c.failures, "failure"));
    if (c.warnings > 0) parts.push(plural(c.warnings, "warning"));
    const files = new Set(v.findings.map((f) => normalizePath(f.location.file))).size;
    title = `${parts.join(", ")} in ${plural(files, "file")}`;
    if (v.mode !== "enforce") title += ` (${v.mode} mode, not blocking)`;
  } else {
    if (v.filesChecked === 0 && v.documentsChecked === 0 && c.exceptions === 0) title = `No ${env} manifests changed`;
    else if (v.documentsChecked === 1) title = "1 document passes";
    else title = `All ${v.documentsChecked} documents pass`;
    if (c.exceptions > 0) title += ` (${plural(c.exceptions, "exception")})`;
    if (v.mode === "shadow") title += " (shadow mode)";
  }
  const open = (v.gates ?? []).filter((g) => g.state !== "passed");
  if (open.length > 0) {
    const first = open[0].messages[0] ?? `${open[0].gate} ${open[0].state}`;
    const more = open.length > 1 || open[0].messages.length > 1 ? " (and more)" : "";
    const gates = `${open.some((g) => g.state === "failed") ? "Failing" : "Waiting"}: ${first}${more}`;
    title = c.failures > 0 ? `${title}; ${gates}` : gates;
    if (c.failures === 0 && v.mode !== "enforce") title += ` (${v.mode} mode, not blocking)`;
  }
  if (v.override)
    title = `Overridden by ${v.override.by.map((u) => `@${u}`).join(", ")}: ${v.override.reason} — was: ${title}`;
  return truncateChars(wellFormed(title), TITLE_LIMIT);
}

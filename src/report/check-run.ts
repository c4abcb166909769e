import { countFindings, isBlocking, type Verdict } from "../gate/verdict.js";
import type { Finding } from "../types.js";
import { renderBounded, type BoundedList } from "./bounded.js";
import { formatLocation, normalizePath, plural, regionOf } from "./location.js";
import { codeBlock, escapeMarkdownInline } from "./markdown.js";
import { jsonSafe, truncateBytes, truncateChars, wellFormed } from "./sanitize.js";

export interface CheckRunAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: "failure" | "warning" | "notice";
  message: string;
  title?: string;
  raw_details?: string;
}

export interface CheckRunOutput {
  title: string;
  summary: string;
  text?: string;
  annotations: CheckRunAnnotation[];
}

export interface CheckRunContext {
  policyRevision: string;
  durationMs: number;
  /** extra markdown paragraph, e.g. merge-conflict notice */
  detailsNote?: string;
  /** default 1000 */
  maxAnnotations?: number;
}

/**
 * GitHub's limits, in the strictest unit: `summary` and `text` are bounded to
 * 65,535 bytes of UTF-8, which also bounds their UTF-16 length and character
 * count (each is ≤ the byte count), whichever GitHub happens to count.
 */
export const OUTPUT_TEXT_LIMIT = 65_535;
export const ANNOTATION_MESSAGE_LIMIT = 65_535;
export const TITLE_LIMIT = 255;
export const DEFAULT_MAX_ANNOTATIONS = 1000;
export const ANNOTATIONS_PER_REQUEST = 50;

const CELL_LIMIT = 600; // bytes of one message in a table cell; the full text is in `text`
const NOTE_LIMIT = 8_000;

/**
 * The check run for one environment. Conclusion: `failure` iff the verdict
 * blocks; `neutral` when nothing was checked and nothing found (no manifests
 * of the environment changed); otherwise `success`, also in warn and shadow
 * mode, whose findings are shown but do not block.
 */
export function renderCheckRun(
  verdict: Verdict,
  ctx: CheckRunContext,
): { conclusion: "success" | "failure" | "neutral"; output: CheckRunOutput } {
  const counts = countFindings(verdict);
  const nothingChecked =
    verdict.filesChecked === 0 &&
    verdict.documentsChecked === 0 &&
    counts.failures + counts.warnings + counts.exceptions === 0 &&
    (verdict.gates ?? []).every((g) => g.state === "passed") &&
    !verdict.override;
  const conclusion = isBlocking(verdict) ? "failure" : nothingChecked ? "neutral" : "success";
  const all = buildAnnotations(verdict);
  const max = annotationCap(ctx.maxAnnotations);
  const annotations = all.slice(0, max);
  const output: CheckRunOutput = {
    title: checkRunTitle(verdict),
    summary: renderSummary(verdict, ctx, all.length, annotations.length),
    annotations,
  };
  const text = renderText(verdict);
  if (text !== undefined) output.text = text;
  return { conclusion, output };
}

/** Splits annotations into request-sized batches (GitHub takes at most 50 per request). No annotations → no batches. */
export function chunkAnnotations(
  a: CheckRunAnnotation[],
  size: number = ANNOTATIONS_PER_REQUEST,
): CheckRunAnnotation[][] {
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`annotation batch size must be a positive integer, got ${size}`);
  const chunks: CheckRunAnnotation[][] = [];
  for (let i = 0; i < a.length; i += size) chunks.push(a.slice(i, i + size));
  return chunks;
}

// ---------------------------------------------------------------- title

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
    const gates = `${open.some((g) => g.state === "failed") ? "Failing" : "Waiting"}: ${first}${open.length > 1 || open[0].messages.length > 1 ? " (and more)" : ""}`;
    title = c.failures > 0 ? `${title}; ${gates}` : gates;
    if (c.failures === 0 && v.mode !== "enforce") title += ` (${v.mode} mode, not blocking)`;
  }
  if (v.override)
    title = `Overridden by ${v.override.by.map((u) => `@${u}`).join(", ")}: ${v.override.reason} — was: ${title}`;
  return truncateChars(wellFormed(title), TITLE_LIMIT);
}

const GATE_ICONS = { passed: "✅ passed", failed: "❌ failed", waiting: "⏳ waiting" } as const;

function renderGates(v: Verdict): string {
  const lines: string[] = [];
  if (v.override) {
    lines.push(
      `**Overridden by ${v.override.by.map((u) => `@${escapeMarkdownInline(u)}`).join(", ")}:** ${escapeMarkdownInline(truncateBytes(v.override.reason, 1000))}`,
      "",
    );
  }
  if (v.gates?.length) {
    lines.push("### Gates", "", "| Gate | State | What is still required |", "|---|---|---|");
    for (const g of v.gates) {
      const needs = g.messages.length ? g.messages.map((m) => cell(m)).join("<br>") : "—";
      lines.push(`| ${cell(g.gate)} | ${GATE_ICONS[g.state]} | ${needs} |`);
    }
  }
  return truncateBytes(lines.join("\n"), 20_000);
}

// ---------------------------------------------------------------- summary

const MODE_NOTES = {
  enforce: "Mode **enforce**: failures block the merge.",
  warn: "Mode **warn**: findings are shown but do not block the merge.",
  shadow: "Mode **shadow**: findings are recorded only and never block the merge.",
} as const;

const ICONS = { failure: "❌ failure", warning: "⚠️ warning" } as const;

function renderSummary(v: Verdict, ctx: CheckRunContext, annotationTotal: number, annotationShown: number): string {
  const c = countFindings(v);
  const head = [
    MODE_NOTES[v.mode] ?? "",
    "",
    "| Failures | Warnings | Exceptions | Files checked | Documents checked |",
    "|---:|---:|---:|---:|---:|",
    `| ${c.failures} | ${c.warnings} | ${c.exceptions} | ${v.filesChecked} | ${v.documentsChecked} |`,
    ...(v.gates?.length || v.override ? ["", renderGates(v)] : []),
  ].join("\n");

  const findings: BoundedList = {
    header: "### Findings\n\n| Level | Rule | Location | Message |\n|---|---|---|---|",
    ...lazyRows(
      sortForTable(v.findings),
      (f) =>
        `| ${ICONS[f.severity] ?? f.severity} | ${cell(f.ruleId)} | ${cell(formatLocation(f.location))} | ${cell(f.message)} |`,
    ),
    more: (n) => `_… ${plural(n, "more finding")} not shown_`,
  };
  const exemptions: BoundedList = {
    header: "### Exemptions\n\n| Rule | Location | Exempted by | Message |\n|---|---|---|---|",
    ...lazyRows(
      sortForTable(v.exemptions),
      (e) => `| ${cell(e.ruleId)} | ${cell(formatLocation(e.location))} | ${cell(e.exemptedBy)} | ${cell(e.message)} |`,
    ),
    more: (n) => `_… ${plural(n, "more exemption")} not shown_`,
  };

  const tail: string[] = [];
  if (annotationShown < annotationTotal) {
    tail.push(`_Only the first ${annotationShown} of ${annotationTotal} annotations were posted (failures first)._`);
  }
  if (ctx.detailsNote) tail.push(truncateBytes(wellFormed(ctx.detailsNote), NOTE_LIMIT));
  tail.push(`Policy revision ${shortRevision(ctx.policyRevision)} · evaluated in ${formatDuration(ctx.durationMs)}`);
  return renderBounded(OUTPUT_TEXT_LIMIT, head, [findings, exemptions], tail.join("\n\n"));
}

/** Rows rendered on demand (and at most once): a list of 10,000 findings only renders what fits. */
function lazyRows<T>(items: T[], render: (item: T) => string): Pick<BoundedList, "count" | "row"> {
  const cache = new Map<number, string>();
  return {
    count: items.length,
    row: (i) => {
      let r = cache.get(i);
      if (r === undefined) cache.set(i, (r = render(items[i])));
      return r;
    },
  };
}

function cell(s: string): string {
  return escapeMarkdownInline(truncateBytes(String(s ?? ""), CELL_LIMIT)) || " ";
}

/** Failures first, then by rule, file and line, so a rule's findings in a file sit together. */
function sortForTable<T extends Finding>(findings: T[]): T[] {
  const keyed = findings.map((f) => ({
    f,
    rank: f.severity === "failure" ? 0 : 1,
    file: normalizePath(f.location.file),
    line: f.location.line || 0,
  }));
  keyed.sort((a, b) => a.rank - b.rank || cmp(a.f.ruleId, b.f.ruleId) || cmp(a.file, b.file) || a.line - b.line);
  return keyed.map((k) => k.f);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function shortRevision(rev: string): string {
  if (/^[0-9a-f]{7,64}$/i.test(rev)) return `\`${rev.slice(0, 7)}\``;
  return escapeMarkdownInline(truncateChars(String(rev ?? ""), 80)) || "(unknown)";
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "(unknown time)";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

// ---------------------------------------------------------------- text

/** Every finding in full (the summary's cells are cut), bounded like the summary. */
function renderText(v: Verdict): string | undefined {
  if (v.findings.length === 0 && v.exemptions.length === 0) return undefined;
  const section = (f: Finding, label: string, extra = ""): string => {
    const parts = [
      `#### ${label} ${escapeMarkdownInline(f.ruleId)} — ${escapeMarkdownInline(formatLocation(f.location))}`,
      extra,
      codeBlock(f.message),
    ];
    if (f.metadata !== undefined)
      parts.push(codeBlock(JSON.stringify(jsonSafe(f.metadata), null, 2) ?? "null", "json"));
    return truncateBytes(parts.filter(Boolean).join("\n\n"), 16_000) + "\n";
  };
  const lists: BoundedList[] = [
    {
      header: "### Findings in detail\n",
      ...lazyRows(v.findings, (f) => section(f, f.severity === "failure" ? "❌" : "⚠️")),
      more: (n) => `_… ${plural(n, "more finding")} not shown_`,
    },
    {
      header: "### Exemptions in detail\n",
      ...lazyRows(v.exemptions, (e) => section(e, "ℹ️", `Exempted by ${escapeMarkdownInline(e.exemptedBy)}.`)),
      more: (n) => `_… ${plural(n, "more exemption")} not shown_`,
    },
  ];
  return renderBounded(OUTPUT_TEXT_LIMIT, "", lists, "");
}

// ---------------------------------------------------------------- annotations

const LEVEL_ORDER = { failure: 0, warning: 1, notice: 2 } as const;

/** One annotation per finding with a file, failures first so a cap drops notices before failures. */
function buildAnnotations(v: Verdict): CheckRunAnnotation[] {
  const out: CheckRunAnnotation[] = [];
  // Outside enforce mode nothing blocks, so a red "failure" annotation on a green check would mislead.
  const failureLevel = v.mode === "enforce" && !v.override ? "failure" : "warning";
  for (const f of v.findings) {
    const a = toAnnotation(f, f.severity === "failure" ? failureLevel : "warning", f.message);
    if (a) out.push(a);
  }
  for (const e of v.exemptions) {
    const a = toAnnotation(e, "notice", `Exempted by ${e.exemptedBy}: ${e.message}`);
    if (a) out.push(a);
  }
  // Array.prototype.sort is stable, so file order is kept within a level.
  return out.sort((a, b) => LEVEL_ORDER[a.annotation_level] - LEVEL_ORDER[b.annotation_level]);
}

function toAnnotation(
  f: Finding,
  level: CheckRunAnnotation["annotation_level"],
  message: string,
): CheckRunAnnotation | undefined {
  const path = wellFormed(normalizePath(f.location.file)).replace(/^\/+/, "");
  if (!path) return undefined; // GitHub rejects annotations without a path; the summary still lists it
  const region = regionOf(f.location);
  const start = region?.startLine ?? 1;
  const end = region?.endLine ?? start;
  const a: CheckRunAnnotation = {
    path,
    start_line: start,
    end_line: end,
    annotation_level: level,
    message: truncateBytes(wellFormed(message) || "(no message)", ANNOTATION_MESSAGE_LIMIT),
    title: truncateChars(wellFormed(f.ruleId), TITLE_LIMIT),
  };
  // GitHub accepts columns only on single-line annotations.
  if (start === end && region?.startColumn !== undefined) {
    a.start_column = region.startColumn;
    a.end_column =
      region.endLine !== undefined && region.endColumn !== undefined ? region.endColumn : region.startColumn;
  }
  if (f.metadata !== undefined) {
    a.raw_details = truncateBytes(JSON.stringify(jsonSafe(f.metadata), null, 2) ?? "", ANNOTATION_MESSAGE_LIMIT);
  }
  return a;
}

function annotationCap(max: number | undefined): number {
  return max !== undefined && Number.isInteger(max) && max >= 0 ? max : DEFAULT_MAX_ANNOTATIONS;
}

/** The markdown of a check run: `summary` (counts, gates, tables) and `text` (every finding in full). */
import { countFindings, type Verdict } from "../gate/verdict.js";
import type { Finding } from "../types.js";
import { renderBounded, type BoundedList } from "./bounded.js";
import { OUTPUT_TEXT_LIMIT } from "./check-run-limits.js";
import { formatLocation, normalizePath, plural } from "./location.js";
import { codeBlock, escapeMarkdownInline } from "./markdown.js";
import { jsonSafe, truncateBytes, truncateChars, wellFormed } from "./sanitize.js";

export interface CheckRunContext {
  policyRevision: string;
  durationMs: number;
  /** extra markdown paragraph, e.g. merge-conflict notice */
  detailsNote?: string;
  /** default 1000 */
  maxAnnotations?: number;
}

const CELL_LIMIT = 600; // bytes of one message in a table cell; the full text is in `text`
const NOTE_LIMIT = 8_000;

const GATE_ICONS = { passed: "✅ passed", failed: "❌ failed", waiting: "⏳ waiting" } as const;

function renderGates(v: Verdict): string {
  const lines: string[] = [];
  if (v.override) {
    lines.push(
      `**Overridden by ${v.override.by.map((u) => `@${escapeMarkdownInline(u)}`).join(", ")}:** ` +
        escapeMarkdownInline(truncateBytes(v.override.reason, 1000)),
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

const MODE_NOTES = {
  enforce: "Mode **enforce**: failures block the merge.",
  warn: "Mode **warn**: findings are shown but do not block the merge.",
  shadow: "Mode **shadow**: findings are recorded only and never block the merge.",
} as const;

const ICONS = { failure: "❌ failure", warning: "⚠️ warning" } as const;

export function renderSummary(
  v: Verdict,
  ctx: CheckRunContext,
  annotationTotal: number,
  annotationShown: number,
): string {
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
        `| ${ICONS[f.severity] ?? f.severity} | ${cell(f.ruleId)} | ${cell(formatLocation(f.location))} ` +
        `| ${cell(f.message)} |`,
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

/** Every finding in full (the summary's cells are cut), bounded like the summary. */
export function renderText(v: Verdict): string | undefined {
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

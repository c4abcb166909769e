/**
 * The rendered diff in a check run's summary, like a plan: per entry point, the objects added, changed and
 * removed, and a unified diff of their rendered YAML — what the environment will run after the merge.
 * Bounded: diff lines per entry point and bytes in all; what does not fit is counted in a note.
 */
import type { RenderedChanges } from "../gate/verdict.js";
import { codeBlock, escapeMarkdownInline } from "../report/markdown.js";
import { truncateBytes, utf8Length } from "../report/sanitize.js";

/** Diff lines shown per entry point, and the section's share of the summary. */
export const MAX_DIFF_LINES = 400;
export const MAX_SECTION_BYTES = 30_000;
const MAX_LISTED = 50;
const SIGN = { added: "+", changed: "~", removed: "-" } as const;

export function renderedSection(environment: string, rendered: RenderedChanges[], budget: number): string {
  const max = Math.min(budget, MAX_SECTION_BYTES);
  const out: string[] = [`### What ${escapeMarkdownInline(environment)} will run`, ""];
  for (const r of rendered) out.push(...entrySection(r), "");
  const text = out.join("\n");
  if (utf8Length(text) <= max) return text;
  // Too long even with bounded diffs (many entry points): the counts, then a note.
  const short = [out[0], "", ...rendered.map(headline)].join("\n");
  const note = "\n\n_The rendered diff is too long for the check run's summary; `stagegate diff` prints it._";
  return truncateBytes(short, Math.max(0, max - utf8Length(note))) + note;
}

function headline(r: RenderedChanges): string {
  const count = (k: keyof typeof SIGN) => r.objects.filter((o) => o.kind === k).length;
  const judged = r.headFailed ? "not rendered" : `${r.judged} ${r.judged === 1 ? "object" : "objects"} judged`;
  return (
    `**${escapeMarkdownInline(r.label)}**: ${count("added")} added, ${count("changed")} changed, ` +
    `${count("removed")} removed (${judged})`
  );
}

function entrySection(r: RenderedChanges): string[] {
  const lines = [headline(r)];
  if (r.headFailed) lines.push("", "The change does not render: see the findings.");
  for (const p of r.baseProblems.slice(0, 3))
    lines.push("", `The base does not render (every object counts as added): ${escapeMarkdownInline(p)}`);
  if (r.objects.length === 0) {
    if (!r.headFailed) lines.push("", "No rendered object changes.");
    return lines;
  }
  lines.push("");
  for (const o of r.objects.slice(0, MAX_LISTED)) lines.push(`- \`${SIGN[o.kind]}\` ${escapeMarkdownInline(o.id)}`);
  if (r.objects.length > MAX_LISTED) lines.push(`- … ${r.objects.length - MAX_LISTED} more`);
  const diff: string[] = [];
  let hidden = 0;
  for (const o of r.objects) {
    const block = [
      `--- ${o.kind === "added" ? "/dev/null" : `base/${o.id}`}`,
      `+++ ${o.kind === "removed" ? "/dev/null" : `head/${o.id}`}`,
      ...o.diff,
    ];
    if (diff.length + block.length <= MAX_DIFF_LINES) diff.push(...block);
    else hidden += block.length;
  }
  lines.push("", "<details><summary>Rendered diff</summary>", "", codeBlock(diff.join("\n"), "diff"), "", "</details>");
  if (hidden > 0)
    lines.push("", `_… diff truncated: ${hidden} more lines not shown (at most ${MAX_DIFF_LINES} per entry point)._`);
  return lines;
}

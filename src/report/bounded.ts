import { truncateBytes, utf8Length } from "./sanitize.js";

/** A list of rows (table rows, sections) that may be cut, with its header and a note for what was cut. */
export interface BoundedList {
  header: string;
  rows: string[];
  /** The visible note when rows were left out, e.g. `_… 312 more findings not shown_`. */
  more: (omitted: number) => string;
}

const NOTE_RESERVE = 120;

/**
 * Joins `head`, the lists and `tail` into at most `limit` bytes of UTF-8.
 * Head and tail are kept whole when they fit; rows are kept in order while
 * they fit, each later list having a share (a tenth of the limit) reserved so
 * one huge list cannot starve the rest. Cut lists end with their note.
 */
export function renderBounded(limit: number, head: string, lists: BoundedList[], tail: string): string {
  const nonEmpty = lists.filter((l) => l.rows.length > 0);
  const sep = "\n\n";
  const fixedHead = truncateBytes(head, Math.floor(limit / 4));
  const fixedTail = truncateBytes(tail, Math.floor(limit / 4));
  let remaining = limit - utf8Length(fixedHead) - utf8Length(fixedTail) - 2 * utf8Length(sep);
  const fullSize = nonEmpty.map((l) => utf8Length(l.header) + l.rows.reduce((n, r) => n + utf8Length(r) + 1, 0) + utf8Length(sep));
  const parts: string[] = [fixedHead];
  nonEmpty.forEach((list, i) => {
    const reservedLater = fullSize.slice(i + 1).reduce((n, s) => n + Math.min(s, Math.floor(limit / 10)), 0);
    const budget = remaining - reservedLater - utf8Length(list.header) - utf8Length(sep) - NOTE_RESERVE;
    const kept: string[] = [];
    let used = 0;
    for (const row of list.rows) {
      const size = utf8Length(row) + 1;
      if (used + size > budget) break;
      kept.push(row);
      used += size;
    }
    if (kept.length === 0 && budget < 0) return; // no room even for the header
    const omitted = list.rows.length - kept.length;
    const body = [list.header, ...kept].join("\n") + (omitted > 0 ? `\n\n${list.more(omitted)}` : "");
    parts.push(body);
    remaining -= utf8Length(body) + utf8Length(sep);
  });
  if (fixedTail) parts.push(fixedTail);
  // Safety net: the arithmetic above should make this a no-op.
  return truncateBytes(parts.filter((p) => p !== "").join(sep), limit);
}

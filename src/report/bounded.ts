import { truncateBytes, utf8Length } from "./sanitize.js";

/** Rows (table rows, sections) that may be cut, with their header and a note for what was cut. */
export interface BoundedList {
  header: string;
  /** How many rows there are; rows are rendered lazily, only as far as they can fit. */
  count: number;
  row: (index: number) => string;
  /** The visible note when rows were left out, e.g. `_… 312 more findings not shown_`. */
  more: (omitted: number) => string;
}

const NOTE_RESERVE = 120;
const SEP = "\n\n";

/**
 * Joins `head`, the lists and `tail` into at most `limit` bytes of UTF-8.
 * Head and tail (each cut to a quarter of the limit) are always kept; rows are
 * kept in order while they fit, each later list having up to a tenth of the
 * limit reserved so one huge list cannot starve the rest. A cut list ends
 * with its note.
 */
export function renderBounded(limit: number, head: string, lists: BoundedList[], tail: string): string {
  const nonEmpty = lists.filter((l) => l.count > 0);
  const share = Math.floor(limit / 10);
  const fixedHead = truncateBytes(head, Math.floor(limit / 4));
  const fixedTail = truncateBytes(tail, Math.floor(limit / 4));
  let remaining = limit - utf8Length(fixedHead) - utf8Length(fixedTail) - 2 * utf8Length(SEP);
  const reserves = nonEmpty.map((l) => Math.min(share, listSize(l, share)));
  const parts: string[] = [fixedHead];
  nonEmpty.forEach((list, i) => {
    const reservedLater = reserves.slice(i + 1).reduce((n, s) => n + s, 0);
    const budget = remaining - reservedLater - utf8Length(list.header) - utf8Length(SEP) - NOTE_RESERVE;
    if (budget < 0) return; // no room even for the header
    const kept: string[] = [];
    let used = 0;
    for (let r = 0; r < list.count; r++) {
      const row = list.row(r);
      const size = utf8Length(row) + 1;
      if (used + size > budget) break;
      kept.push(row);
      used += size;
    }
    const omitted = list.count - kept.length;
    const body = [list.header, ...kept].join("\n") + (omitted > 0 ? `\n\n${list.more(omitted)}` : "");
    parts.push(body);
    remaining -= utf8Length(body) + utf8Length(SEP);
  });
  if (fixedTail) parts.push(fixedTail);
  // Safety net: the arithmetic above should make this a no-op.
  return truncateBytes(parts.filter((p) => p !== "").join(SEP), limit);
}

/** Bytes the list takes in full, counted only up to `cap`. */
function listSize(list: BoundedList, cap: number): number {
  let size = utf8Length(list.header) + utf8Length(SEP) + NOTE_RESERVE;
  for (let r = 0; r < list.count && size < cap; r++) size += utf8Length(list.row(r)) + 1;
  return size;
}

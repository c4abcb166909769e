/**
 * Quoted scalars that span lines, for the fast parser (fast-parse.ts): long descriptions in CRD bundles are often
 * written this way, and those bundles are most of the bytes of real repositories. Folding as YAML defines it: the
 * white space around a line break goes, a single break becomes a space, n empty lines become n newlines, and an
 * escaped break (`\` at the end of a line, double quotes) joins the lines. Anything less common bails.
 */
import { bail, quotedPart } from "./fast-scalars.js";

const isBlank = (line: string) => line.trim() === "";

/**
 * The quoted scalar opening at `at` of `lines[first]` and closing on a later line before `end`; its continuation
 * lines must be indented more than `parentCol`. Returns the value, the line it closes on and the offset after it.
 */
export function multiLineQuoted(
  lines: string[],
  first: number,
  at: number,
  end: number,
  parentCol: number,
): { value: string; line: number; end: number } {
  const q = lines[first][at];
  let out = "";
  let from = at + 1;
  for (let i = first; i < end;) {
    const line = lines[i];
    const part = quotedPart(line, from, q);
    if (part.end >= 0) return { value: out + part.value, line: i, end: part.end };
    // Not closed on this line: its trailing spaces go (unless escaped), then the break folds.
    const raw = line.slice(from);
    const trimmed = raw.trimEnd();
    let escapedBreak = false;
    let content = trimmed;
    if (q === '"') {
      const slashes = trimmed.length - trimmed.replace(/\\+$/, "").length;
      if (slashes % 2 === 1) {
        if (trimmed.length < raw.length) bail("escaped space at a line end");
        escapedBreak = true;
        content = trimmed.slice(0, -1);
      }
    }
    out += quotedPart(content, 0, q).value;
    let blanks = 0;
    i++;
    while (i < end && isBlank(lines[i])) {
      blanks++;
      i++;
    }
    if (i >= end) break;
    const next = lines[i];
    const ind = next.length - next.trimStart().length;
    if (ind <= parentCol) bail("quoted continuation indentation");
    if (escapedBreak && blanks > 0) bail("escaped break before empty lines");
    out += blanks > 0 ? "\n".repeat(blanks) : escapedBreak ? "" : " ";
    from = ind;
  }
  return bail("unterminated quoted scalar");
}

/**
 * Block scalars for the fast reader (fast-parse.ts): literal (`|`, `|-`) and folded (`>`, `>-`); other headers
 * (keep chomping, explicit indentation) go to the full parser.
 */
import { bail } from "./fast-scalars.js";

/** Leading spaces (the fast path reads no tabs). */
export function indentOf(line: string): number {
  // Bounded by the length: reading past the end (blank lines) makes V8 throw away the optimized loop.
  const len = line.length;
  let n = 0;
  while (n < len && line.charCodeAt(n) === 0x20) n++;
  return n;
}

/**
 * The literal block scalar whose header `header` ends line `first`: its value, the line after it (`next`) and its
 * last line of content (`endLine`; the header's line when it has none). Its lines must be indented more than
 * `parentCol`.
 */
export function literalBlock(
  lines: string[],
  first: number,
  end: number,
  header: string,
  parentCol: number,
): { value: string; next: number; endLine: number } {
  const m = /^([|>])([-+]?)(?: +#.*)? *$/.exec(header);
  if (!m || m[2] === "+") return bail("block scalar header");
  const folded = m[1] === ">";
  let i = first + 1;
  const body: string[] = [];
  let indent = -1;
  let lastContent = -1;
  while (i < end) {
    const line = lines[i];
    const ind = indentOf(line);
    if (ind === line.length) {
      if (ind > 0 && (indent < 0 || ind > indent)) bail("spaces-only line in a block scalar");
      body.push("");
      i++;
      continue;
    }
    if (indent < 0) {
      if (ind <= parentCol) break;
      indent = ind;
    }
    if (ind < indent) {
      if (ind > parentCol) bail("block scalar indentation");
      break;
    }
    body.push(line.slice(indent));
    lastContent = body.length - 1;
    i++;
  }
  // Trailing empty lines belong to what follows, not to the scalar.
  const next = i - (body.length - 1 - lastContent);
  const endLine = lastContent < 0 ? first : first + 1 + lastContent;
  if (lastContent < 0) return { value: "", next, endLine };
  const kept = body.slice(0, lastContent + 1);
  const text = folded ? fold(kept) : kept.join("\n");
  return { value: m[2] === "-" ? text : text + "\n", next, endLine };
}

/**
 * Folds a folded scalar's lines (YAML 1.2, 8.1.3): a break between two lines of text becomes a space, each empty
 * line between them a newline; breaks next to a more-indented line stay. Leading empty lines go to the full parser.
 */
function fold(body: string[]): string {
  if (body[0] === "") bail("folded scalar starting with an empty line");
  const more = (line: string) => line.charCodeAt(0) === 0x20;
  let out = body[0];
  let prev = body[0];
  let empty = 0;
  for (let k = 1; k < body.length; k++) {
    const line = body[k];
    if (line === "") {
      empty++;
      continue;
    }
    out += more(prev) || more(line) ? "\n".repeat(empty + 1) : empty === 0 ? " " : "\n".repeat(empty);
    out += line;
    prev = line;
    empty = 0;
  }
  return out;
}

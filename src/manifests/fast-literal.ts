/** Literal block scalars (`|`, `|-`) for the fast reader (fast-parse.ts); other headers go to the full parser. */
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
  const m = /^\|([-+]?)(?: +#.*)? *$/.exec(header);
  if (!m || m[1] === "+") return bail("block scalar header");
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
  const text = body.slice(0, lastContent + 1).join("\n");
  return { value: m[1] === "-" ? text : text + "\n", next, endLine };
}

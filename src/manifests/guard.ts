/**
 * A linear pre-scan that bounds how deeply the YAML parser will recurse.
 *
 * The `yaml` package composes nested collections recursively. Near the stack
 * limit (about 1,000 levels) it catches the overflow itself, but V8 can abort
 * the whole process when a regular expression gets (re)compiled on an almost
 * exhausted stack. So hostile nesting must never reach the parser: this scan
 * over-estimates the nesting depth (flow brackets outside quotes and comments,
 * indentation levels and compact `- `/`? ` indicators of block structure)
 * and the file is rejected when the estimate passes PARSER_DEPTH_GUARD.
 * The exact maxDepth check happens later, on the AST.
 */

/** Far below the ~950 levels where the parser overflows, far above real manifests. */
export const PARSER_DEPTH_GUARD = 400;

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;

function isTokenStart(prev: number): boolean {
  // Start of line, whitespace or a flow/indicator character before it.
  return (
    prev === -1 ||
    prev === SPACE ||
    prev === TAB ||
    prev === LF ||
    prev === CR ||
    prev === 0x5b /* [ */ ||
    prev === 0x7b /* { */ ||
    prev === 0x2c /* , */ ||
    prev === 0x3a /* : */ ||
    prev === 0x2d /* - */ ||
    prev === 0x3f
  ); /* ? */
}

/**
 * Offset of the line where the estimated depth first exceeds `guard`, or -1.
 */
export function findExcessiveNesting(text: string, guard = PARSER_DEPTH_GUARD): number {
  const n = text.length;
  const indents: number[] = [];
  let flow = 0;
  let quote = 0; // 0, or the code of the open quote character
  let blockScalarIndent = -1; // indentation of the line that opened a block scalar
  let i = 0;
  while (i < n) {
    const lineStart = i;
    // Indentation.
    let j = i;
    while (j < n && text.charCodeAt(j) === SPACE) j++;
    const indent = j - i;
    const first = j < n ? text.charCodeAt(j) : LF;
    const blank = first === LF || first === CR;
    // Document markers end any scalar or collection a broken document left open.
    if (indent === 0 && isDocumentMarker(text, j)) {
      quote = 0;
      flow = 0;
      indents.length = 0;
      blockScalarIndent = -1;
      i = nextLine(text, j);
      continue;
    }
    if (blockScalarIndent >= 0) {
      if (blank || indent > blockScalarIndent) {
        i = nextLine(text, j);
        continue;
      }
      blockScalarIndent = -1;
    }
    let compact = 0;
    if (quote === 0 && flow === 0 && !blank && first !== 0x23 /* # */) {
      while (indents.length > 0 && indents[indents.length - 1] > indent) indents.pop();
      if (indents.length === 0 || indents[indents.length - 1] < indent) indents.push(indent);
      // Compact nested collections: `- - x`, `? - x`.
      let k = j;
      for (;;) {
        const c = text.charCodeAt(k);
        if (
          (c === 0x2d || c === 0x3f) &&
          (k + 1 >= n || text.charCodeAt(k + 1) === SPACE || text.charCodeAt(k + 1) === LF)
        ) {
          compact++;
          k += 2;
          while (k < n && text.charCodeAt(k) === SPACE) k++;
        } else break;
      }
    }
    // Scan the rest of the line for quotes, comments and flow brackets.
    let maxFlow = flow;
    let prev = -1;
    let last = -1; // offset of the last non-space character outside comments
    let k = j;
    for (; k < n; k++) {
      const c = text.charCodeAt(k);
      if (c === LF) break;
      if (quote !== 0) {
        if (quote === 0x22 && c === 0x5c /* \ */) {
          k++;
        } else if (c === quote) {
          if (quote === 0x27 && text.charCodeAt(k + 1) === 0x27) k++;
          else quote = 0;
        }
        prev = c;
        continue;
      }
      if (c === 0x23 /* # */ && (prev === -1 || prev === SPACE || prev === TAB)) {
        k = text.indexOf("\n", k);
        if (k === -1) k = n;
        break;
      }
      if ((c === 0x22 || c === 0x27) && isTokenStart(prev)) quote = c;
      else if ((c === 0x5b || c === 0x7b) && (flow > 0 || isTokenStart(prev))) {
        flow++;
        if (flow > maxFlow) maxFlow = flow;
      } else if ((c === 0x5d || c === 0x7d) && flow > 0) flow--;
      if (c !== SPACE && c !== TAB && c !== CR) last = k;
      prev = c;
    }
    if (2 * (indents.length + compact) + maxFlow > guard) return lineStart;
    // `key: |`, `- >-`, `|2+` ... open a block scalar whose lines we skip.
    if (quote === 0 && flow === 0 && last !== -1 && blockScalarHeaderEndsAt(text, j, last)) blockScalarIndent = indent;
    i = k < n ? k + 1 : n;
  }
  return -1;
}

function isDocumentMarker(text: string, at: number): boolean {
  const m = text.slice(at, at + 3);
  if (m !== "---" && m !== "...") return false;
  const after = text.charCodeAt(at + 3);
  return Number.isNaN(after) || after === SPACE || after === TAB || after === LF || after === CR;
}

function nextLine(text: string, from: number): number {
  const k = text.indexOf("\n", from);
  return k === -1 ? text.length : k + 1;
}

/** Whether the line starting at `start` ends at `last` with a block scalar header (`|`, `>-`, `|2+` ...). */
function blockScalarHeaderEndsAt(text: string, start: number, last: number): boolean {
  let k = last;
  // Up to three indentation/chomping indicators after the | or >.
  for (let m = 0; m < 3 && k > start; m++) {
    const c = text.charCodeAt(k);
    if (c === 0x2d || c === 0x2b || (c >= 0x30 && c <= 0x39)) k--;
    else break;
  }
  const h = text.charCodeAt(k);
  if (h !== 0x7c /* | */ && h !== 0x3e /* > */) return false;
  if (k === start) return true;
  const before = text.charCodeAt(k - 1);
  return before === SPACE || before === TAB || before === 0x3a /* : */ || before === 0x2d; /* - */
}

/**
 * Positions recorded by the fast reader (fast-parse.ts) as it reads, so a finding in a fast-path document is located
 * without a second parse. They follow the full parser's locator (locate.ts) exactly: a mapping entry spans from its
 * key to the end of its value, a list item is its value, a collection ends where its last item ends (a comment on
 * that line included), and an empty value sits just after its `:` or `-`. Lines and columns are 0-based here, ends
 * exclusive and never after trailing spaces; a test compares every path of every corpus document with the full parser.
 */
import type { DocPath, SourceLocation } from "../types.js";

/** Slots per entry in PosNode.at: key, start line, start column, end line, end column, child. */
export const STRIDE = 6;

/** Mappings with more entries than this get a key index on their first lookup, as in locate.ts. */
const INDEX_THRESHOLD = 16;

/** The positions of one mapping or list: its entries (a list's have no key), each with its span and child. */
export class PosNode {
  readonly at: (string | number | PosNode | undefined)[] = [];
  private index: Map<string, number> | undefined;

  constructor(readonly list: boolean) {}

  add(key: string | undefined, sl: number, sc: number, el: number, ec: number, child: PosNode | undefined): void {
    this.at.push(key, sl, sc, el, ec, child);
  }

  /** The slot of `key`'s entry, or -1. */
  find(key: string): number {
    const a = this.at;
    if (a.length > INDEX_THRESHOLD * STRIDE) {
      if (!this.index) {
        this.index = new Map();
        for (let k = 0; k < a.length; k += STRIDE) this.index.set(a[k] as string, k);
      }
      return this.index.get(key) ?? -1;
    }
    for (let k = 0; k < a.length; k += STRIDE) if (a[k] === key) return k;
    return -1;
  }
}

/** A fast-path document's positions: its root mapping and the root's span. */
export interface DocPositions {
  root: PosNode;
  startLine: number;
  startCol: number;
  endLine: number;
  endCol: number;
}

/** The location of `path` (or of its deepest existing ancestor), as the full parser's Locator gives it. */
export function locateFast(file: string, doc: DocPositions, path: DocPath): SourceLocation {
  let node: PosNode | undefined = doc.root;
  let sl = doc.startLine;
  let sc = doc.startCol;
  let el = doc.endLine;
  let ec = doc.endCol;
  for (const seg of path) {
    if (!node) break;
    let k = -1;
    if (node.list) {
      const i = typeof seg === "number" ? seg : /^\d+$/.test(seg) ? Number(seg) : -1;
      if (Number.isInteger(i) && i >= 0 && i * STRIDE < node.at.length) k = i * STRIDE;
    } else {
      k = node.find(String(seg));
    }
    if (k < 0) break;
    const a = node.at;
    sl = a[k + 1] as number;
    sc = a[k + 2] as number;
    el = a[k + 3] as number;
    ec = a[k + 4] as number;
    node = a[k + 5] as PosNode | undefined;
  }
  // Never zero-width (an empty list item): SARIF and GitHub want end after start.
  if (el < sl || (el === sl && ec <= sc)) {
    el = sl;
    ec = sc + 1;
  }
  return { file, line: sl + 1, column: sc + 1, endLine: el + 1, endColumn: ec + 1 };
}

/** The column just past the last character of `line` that is not a space. */
export function trimmedEnd(line: string): number {
  let e = line.length;
  while (e > 0 && line.charCodeAt(e - 1) === 0x20) e--;
  return e;
}

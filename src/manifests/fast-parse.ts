/**
 * The fast path: reads the block YAML that real manifests are made of
 * (mappings, sequences, plain/quoted/literal/folded scalars, one-line flow
 * collections, comments, `---`) straight into plain data, without building
 * a syntax tree. It gives up (returns undefined) on anything else — anchors,
 * tags, keep-chomped block scalars, tabs, duplicate keys, limits,
 * anything the full parser might report — and the full parser then reads
 * the file as before. It records positions as it reads (fast-positions.ts), so
 * locating a finding needs no second parse; where a comment could move a
 * range in ways it does not model, it records none and parse.ts falls back
 * to a full parse of the document's lines for its positions.
 */
import { multiLineQuoted } from "./fast-quoted.js";
import { indentOf, literalBlock } from "./fast-literal.js";
import { PosNode, trimmedEnd, type DocPositions } from "./fast-positions.js";
import { Bail, bail, expectEnd, flow, plainStart, resolvePlain, setOwn, splitEntry } from "./fast-scalars.js";

export interface FastDocument {
  /** 0-based index of the document in the file, counting empty documents as the full parser does. */
  index: number;
  value: Record<string, unknown>;
  /** Its lines, 0-based, end excluded (between its `---` markers): positions can come from these lines alone. */
  lines: [number, number];
  /** Where each path is; undefined when a comment makes them uncertain (then from a full parse). */
  positions: DocPositions | undefined;
}

const DOC_MARKER = /^---(?:[ ]+(?:#.*)?)?$/;

/** The non-empty documents of `text`, or undefined when the full parser must read it. */
export function fastParse(text: string, maxDepth: number, maxDocuments: number): FastDocument[] | undefined {
  if (text.includes("\t") || text.includes("\r")) return undefined;
  const lines = text.split("\n");
  const docs: FastDocument[] = [];
  try {
    let start = 0;
    let index = 0;
    let sawMarker = false;
    for (let i = 0; i <= lines.length; i++) {
      const atEnd = i === lines.length;
      // Directives and document end markers are the full parser's.
      if (!atEnd && (lines[i].charCodeAt(0) === 0x25 /* % */ || lines[i].startsWith("..."))) return undefined;
      if (!atEnd && !lines[i].startsWith("---")) continue;
      if (!atEnd && !DOC_MARKER.test(lines[i])) return undefined;
      const reader = new BlockReader(lines, start, i, maxDepth);
      const value = reader.document();
      // Comments and blank lines before the first `---` belong to the document it starts.
      const counted = sawMarker || value !== null || atEnd;
      if (value !== null) {
        docs.push({ index, value, lines: [start, i], positions: reader.positions() });
        if (docs.length > maxDocuments) return undefined;
      }
      if (counted) index++;
      if (index > maxDocuments * 10) return undefined;
      sawMarker = true;
      start = i + 1;
    }
  } catch (e) {
    if (e instanceof Bail || e instanceof RangeError) return undefined;
    throw e;
  }
  return docs;
}

const isSeqItem = (content: string) => content === "-" || content.startsWith("- ");

/**
 * Reads the lines [start, end) of one document. Each read value leaves its span in the registers below (start,
 * end of the value, end with a comment on its last line; child positions for a collection) for its parent.
 */
class BlockReader {
  private i: number;
  private sl = 0;
  private sc = 0;
  private el = 0;
  private ec = 0;
  private nl = 0;
  private nc = 0;
  private child: PosNode | undefined;
  private rootCol = 0;
  /** The last run of comment and blank lines: where it ended and the deepest comment's indentation (-1: none). */
  private runEnd = -1;
  private runDeepest = -1;
  /** A comment after the end of a collection that might lengthen its range: no positions recorded then. */
  private uncertain = false;

  constructor(
    private readonly lines: string[],
    start: number,
    private readonly end: number,
    private readonly maxDepth: number,
  ) {
    this.i = start;
  }

  document(): Record<string, unknown> | null {
    this.skip();
    if (this.i >= this.end) return null;
    const ind = indentOf(this.lines[this.i]);
    const content = this.lines[this.i].slice(ind);
    if (isSeqItem(content) || !splitEntry(content)) bail("not a mapping");
    this.rootCol = ind;
    const value = this.map(ind, 1);
    this.skip();
    if (this.i < this.end) bail("text after the document");
    return value;
  }

  positions(): DocPositions | undefined {
    if (this.uncertain || !this.child) return undefined;
    return { root: this.child, startLine: this.sl, startCol: this.sc, endLine: this.el, endCol: this.ec };
  }

  /** Skips blank and comment lines, noting the run for closed(). */
  private skip(): void {
    const lines = this.lines;
    let i = this.i;
    let deepest = -1;
    for (; i < this.end; i++) {
      const line = lines[i];
      const ind = indentOf(line);
      if (ind === line.length) continue;
      if (line.charCodeAt(ind) !== 0x23) break;
      if (ind > deepest) deepest = ind;
    }
    if (i === this.i) return;
    this.i = i;
    this.runEnd = i;
    this.runDeepest = deepest;
  }

  /**
   * A collection ends at line i. Comments just before it that sit deeper than what follows, or that follow an empty
   * last value, may belong to the collection's range in the full parser (by rules this reader does not model):
   * positions become uncertain.
   */
  private closed(): void {
    if (this.runEnd !== this.i || this.runDeepest < 0) return;
    const next = this.i < this.end ? indentOf(this.lines[this.i]) : this.rootCol;
    const empty = !this.child && this.el === this.sl && this.ec === this.sc;
    if (this.runDeepest > next || empty) this.uncertain = true;
  }

  /** A block mapping whose keys sit at column `col` (the first one may follow a `- `). */
  private map(col: number, depth: number): Record<string, unknown> {
    if (depth > this.maxDepth) bail("depth");
    const obj: Record<string, unknown> = {};
    const pos = new PosNode(false);
    const startLine = this.i;
    for (let first = true; ; first = false) {
      if (!first) {
        this.skip();
        if (this.i >= this.end) break;
        const ind = indentOf(this.lines[this.i]);
        if (ind < col) break;
        if (ind > col) bail("indentation");
      }
      const keyLine = this.i;
      const content = this.lines[keyLine].slice(col);
      if (isSeqItem(content)) bail("sequence in a mapping");
      const e = splitEntry(content) ?? bail("not an entry");
      if (Object.hasOwn(obj, e.key)) bail("duplicate key");
      setOwn(obj, e.key, this.value(e.rest, col, depth + 1, true));
      pos.add(e.key, keyLine, col, this.el, this.ec, this.child);
    }
    this.closed();
    this.span(startLine, col, this.nl, this.nc, this.nl, this.nc, pos);
    return obj;
  }

  /** A block sequence whose dashes sit at column `col`. */
  private seq(col: number, depth: number): unknown[] {
    if (depth > this.maxDepth) bail("depth");
    const list: unknown[] = [];
    const pos = new PosNode(true);
    const startLine = this.i;
    for (;;) {
      this.skip();
      if (this.i >= this.end) break;
      const line = this.lines[this.i];
      const ind = indentOf(line);
      if (ind < col) break;
      if (ind > col) bail("indentation");
      const content = line.slice(col);
      if (!isSeqItem(content)) break;
      const rest = content.slice(1);
      const r = rest.trimStart();
      if (r === "" || r[0] === "#") {
        const dashLine = this.i++;
        list.push(this.nested(col, depth + 1, false));
        if (!this.child) this.empty(dashLine, line.length - r.length);
      } else {
        if (isSeqItem(r)) bail("compact nested sequence");
        const itemCol = col + 1 + (rest.length - r.length);
        if (splitEntry(r)) list.push(this.map(itemCol, depth + 1));
        else list.push(this.value(rest, col, depth + 1, false));
      }
      pos.add(undefined, this.sl, this.sc, this.el, this.ec, this.child);
    }
    this.closed();
    this.span(startLine, col, this.nl, this.nc, this.nl, this.nc, pos);
    return list;
  }

  private span(sl: number, sc: number, el: number, ec: number, nl: number, nc: number, child?: PosNode): void {
    this.sl = sl;
    this.sc = sc;
    this.el = el;
    this.ec = ec;
    this.nl = nl;
    this.nc = nc;
    this.child = child;
  }

  /** An empty value at column `at` of line `l`: no width there; a comment after it ends its node. */
  private empty(l: number, at: number): void {
    this.span(l, at, l, at, l, trimmedEnd(this.lines[l]));
  }

  /** What follows a `key:` or `- ` with nothing after it on the line. */
  private nested(parentCol: number, depth: number, inMap: boolean): unknown {
    this.child = undefined;
    this.skip();
    if (this.i >= this.end) return null;
    const line = this.lines[this.i];
    const ind = indentOf(line);
    const content = line.slice(ind);
    if (ind > parentCol) return isSeqItem(content) ? this.seq(ind, depth) : this.map(ind, depth);
    if (inMap && ind === parentCol && isSeqItem(content)) return this.seq(ind, depth);
    return null;
  }

  /** The value after `key:` (or `- `) on line i; consumes its lines. */
  private value(rest: string, parentCol: number, depth: number, inMap: boolean): unknown {
    const r = rest.trimStart();
    const l = this.i;
    const line = this.lines[l];
    if (r === "" || r[0] === "#") {
      this.i++;
      const v = this.nested(parentCol, depth, inMap);
      // Empty: after the `:` in a mapping, after the `-` and its spaces in a list.
      if (!this.child) this.empty(l, inMap ? line.length - rest.length : line.length - r.length);
      return v;
    }
    const at = line.length - r.length;
    const c = r[0];
    if (c === "|" || c === ">") {
      const b = literalBlock(this.lines, l, this.end, r, parentCol);
      this.i = b.next;
      // It ends with its last line of content, or with its header when it has none.
      const endCol = trimmedEnd(this.lines[b.endLine]);
      this.span(l, at, b.endLine, endCol, b.endLine, endCol);
      return b.value;
    }
    if (c === '"' || c === "'") {
      const q = multiLineQuoted(this.lines, l, at, this.end, parentCol);
      expectEnd(this.lines[q.line], q.end);
      this.i = q.line + 1;
      this.span(l, at, q.line, q.end, q.line, trimmedEnd(this.lines[q.line]));
      return q.value;
    }
    if (c === "[" || c === "{") {
      const f = flow(line, at, depth, this.maxDepth, l);
      expectEnd(line, f.end);
      this.i++;
      this.span(l, at, l, f.end, l, trimmedEnd(line), f.pos);
      return f.value;
    }
    if (!plainStart(c, r[1])) bail("indicator");
    const hash = r.indexOf(" #");
    let text = (hash < 0 ? r : r.slice(0, hash)).trimEnd();
    if (text.includes(": ") || text.endsWith(":")) bail("colon in a plain scalar");
    this.i++;
    this.span(l, at, l, at + text.length, l, hash < 0 ? at + text.length : trimmedEnd(line));
    // Continuation lines of a multi-line plain scalar (more indented than its parent), folded.
    let breaks = 0;
    let j = this.i;
    while (hash < 0 && j < this.end) {
      const next = this.lines[j];
      if (next.trim() === "") {
        breaks++;
        j++;
        continue;
      }
      if (indentOf(next) <= parentCol) break;
      const t = next.trim();
      if (t[0] === "#" || t.includes(": ") || t.endsWith(":") || t.includes(" #")) bail("continuation");
      text += breaks === 0 ? " " + t : "\n".repeat(breaks) + t;
      breaks = 0;
      this.el = this.nl = j;
      this.ec = this.nc = trimmedEnd(next);
      this.i = ++j;
    }
    return resolvePlain(text);
  }
}

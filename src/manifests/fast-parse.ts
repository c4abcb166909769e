/**
 * The fast path: reads the block YAML that real manifests are made of
 * (mappings, sequences, plain/quoted/literal scalars, one-line flow
 * collections, comments, `---`) straight into plain data, without building
 * a syntax tree. It gives up (returns undefined) on anything else — anchors,
 * tags, folded scalars, tabs, duplicate keys, limits,
 * anything the full parser might report — and the full parser then reads
 * the file as before. Positions are not computed here: parse.ts re-reads a
 * file with the full parser only when a finding needs a location.
 */
import { multiLineQuoted } from "./fast-quoted.js";
import { Bail, bail, expectEnd, flow, plainKey, plainStart, quotedPart, resolvePlain, setOwn } from "./fast-scalars.js";

export interface FastDocument {
  /** 0-based index of the document in the file, counting empty documents as the full parser does. */
  index: number;
  value: Record<string, unknown>;
  /** Its lines, 0-based, end excluded (between its `---` markers): positions can come from these lines alone. */
  lines: [number, number];
}

const DOC_MARKER = /^---(?:[ ]+(?:#.*)?)?$/;

/** The non-empty documents of `text`, or undefined when the full parser must read it. */
export function fastParse(text: string, maxDepth: number, maxDocuments: number): FastDocument[] | undefined {
  if (text.includes("\t") || text.includes("\r") || /^(?:%|\.\.\.|---[^ \n-])/m.test(text)) return undefined;
  const lines = text.split("\n");
  const docs: FastDocument[] = [];
  try {
    let start = 0;
    let index = 0;
    let sawMarker = false;
    for (let i = 0; i <= lines.length; i++) {
      const atEnd = i === lines.length;
      if (!atEnd && !lines[i].startsWith("---")) continue;
      if (!atEnd && !DOC_MARKER.test(lines[i])) return undefined;
      const reader = new BlockReader(lines, start, i, maxDepth);
      const value = reader.document();
      // Comments and blank lines before the first `---` belong to the document it starts.
      const counted = sawMarker || value !== null || atEnd;
      if (value !== null) {
        docs.push({ index, value, lines: [start, i] });
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

function indentOf(line: string): number {
  let n = 0;
  while (line.charCodeAt(n) === 0x20) n++;
  return n;
}

function isSkippable(line: string): boolean {
  const t = line.trimStart();
  return t === "" || t[0] === "#";
}

const isSeqItem = (content: string) => content === "-" || content.startsWith("- ");

/** Reads the lines [start, end) of one document. */
class BlockReader {
  private i: number;

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
    if (isSeqItem(content) || !this.entry(content)) bail("not a mapping");
    const value = this.map(ind, 1);
    this.skip();
    if (this.i < this.end) bail("text after the document");
    return value;
  }

  private skip(): void {
    while (this.i < this.end && isSkippable(this.lines[this.i])) this.i++;
  }

  /** Splits `key: rest`; undefined when the line is not a mapping entry. */
  private entry(content: string): { key: string; rest: string } | undefined {
    const c = content[0];
    if (c === '"' || c === "'") {
      const q = quotedPart(content, 1, c);
      if (q.end < 0) return undefined; // a quoted value that goes on over the next lines, not a key
      let j = q.end;
      while (content.charCodeAt(j) === 0x20) j++;
      if (content[j] !== ":" || (j + 1 < content.length && content[j + 1] !== " ")) return undefined;
      return { key: q.value, rest: content.slice(j + 1) };
    }
    const m = content.search(/:( |$)| #/);
    if (m < 0 || content[m] !== ":") return undefined;
    const keyText = content.slice(0, m).trimEnd();
    if (keyText === "" || !plainStart(keyText[0], keyText[1]) || keyText[0] === "-") bail("key");
    return { key: plainKey(keyText), rest: content.slice(m + 1) };
  }

  /** A block mapping whose keys sit at column `col` (the first one may follow a `- `). */
  private map(col: number, depth: number): Record<string, unknown> {
    if (depth > this.maxDepth) bail("depth");
    const obj: Record<string, unknown> = {};
    for (let first = true; ; first = false) {
      if (!first) {
        this.skip();
        if (this.i >= this.end) break;
        const ind = indentOf(this.lines[this.i]);
        if (ind < col) break;
        if (ind > col) bail("indentation");
      }
      const content = this.lines[this.i].slice(col);
      if (isSeqItem(content)) bail("sequence in a mapping");
      const e = this.entry(content) ?? bail("not an entry");
      if (Object.hasOwn(obj, e.key)) bail("duplicate key");
      setOwn(obj, e.key, this.value(e.rest, col, depth + 1, true));
    }
    return obj;
  }

  /** A block sequence whose dashes sit at column `col`. */
  private seq(col: number, depth: number): unknown[] {
    if (depth > this.maxDepth) bail("depth");
    const list: unknown[] = [];
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
        this.i++;
        list.push(this.nested(col, depth + 1, false));
        continue;
      }
      if (isSeqItem(r)) bail("compact nested sequence");
      const itemCol = col + 1 + (rest.length - r.length);
      if (this.entry(r)) list.push(this.map(itemCol, depth + 1));
      else list.push(this.value(rest, col, depth + 1, false));
    }
    return list;
  }

  /** What follows a `key:` or `- ` with nothing after it on the line. */
  private nested(parentCol: number, depth: number, inMap: boolean): unknown {
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
    const line = this.lines[this.i];
    if (r === "" || r[0] === "#") {
      this.i++;
      return this.nested(parentCol, depth, inMap);
    }
    const at = line.length - r.length;
    const c = r[0];
    if (c === "|") return this.literal(r, parentCol);
    if (c === '"' || c === "'") {
      const q = multiLineQuoted(this.lines, this.i, at, this.end, parentCol);
      expectEnd(this.lines[q.line], q.end);
      this.i = q.line + 1;
      return q.value;
    }
    if (c === "[" || c === "{") {
      const f = flow(line, at, depth, this.maxDepth);
      expectEnd(line, f.end);
      this.i++;
      return f.value;
    }
    if (!plainStart(c, r[1])) bail("indicator");
    const hash = r.indexOf(" #");
    let text = (hash < 0 ? r : r.slice(0, hash)).trimEnd();
    if (text.includes(": ") || text.endsWith(":")) bail("colon in a plain scalar");
    this.i++;
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
      this.i = ++j;
    }
    return resolvePlain(text);
  }

  /** A literal block scalar (`|`, `|-`) whose header is `header`. */
  private literal(header: string, parentCol: number): string {
    const m = /^\|([-+]?)(?: +#.*)? *$/.exec(header);
    if (!m || m[1] === "+") return bail("block scalar header");
    this.i++;
    const body: string[] = [];
    let indent = -1;
    let lastContent = -1;
    while (this.i < this.end) {
      const line = this.lines[this.i];
      const ind = indentOf(line);
      if (ind === line.length) {
        if (ind > 0 && (indent < 0 || ind > indent)) bail("spaces-only line in a block scalar");
        body.push("");
        this.i++;
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
      this.i++;
    }
    // Trailing empty lines belong to what follows, not to the scalar.
    this.i -= body.length - 1 - lastContent;
    if (lastContent < 0) return "";
    const text = body.slice(0, lastContent + 1).join("\n");
    return m[1] === "-" ? text : text + "\n";
  }
}

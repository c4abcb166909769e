/**
 * Scalars and one-line flow collections for the fast parser (fast-parse.ts).
 * Plain scalars resolve through the very tag list the full parser uses
 * (YAML 1.1 as Kubernetes reads it), so both paths give the same values.
 * Anything beyond the simple forms throws Bail: the full parser decides.
 */
import { Document, isScalar } from "yaml";
import { PosNode } from "./fast-positions.js";
import { YAML_OPTIONS } from "./yaml-options.js";

/** The fast path cannot vouch for this input; the full parser reads it. */
export class Bail extends Error {}

export const bail = (why: string): never => {
  throw new Bail(why);
};

interface ScalarTag {
  test?: RegExp;
  default?: boolean | "key";
  resolve: (value: string, onError: (msg: string) => void, options: object) => unknown;
}

let tags: ScalarTag[] | undefined;
const resolved = new Map<string, unknown>();

/**
 * First characters after which a plain scalar can only be a string: the YAML 1.1 nulls, booleans, numbers and the
 * merge key all start with `~ < . + -`, a digit or one of `y n t f o` (either case) — or `e`: the full parser's
 * float pattern takes `e3` (as NaN). Most scalars of a manifest (names, images, labels) skip the lookup below.
 */
const STRING_START = new Uint8Array(128);
for (let c = 0; c < 26; c++) STRING_START[0x41 + c] = STRING_START[0x61 + c] = 1;
for (const ch of "YyNnTtFfOoEe") STRING_START[ch.charCodeAt(0)] = 0;

/** A plain scalar's value: null, boolean, number or string, as the full parser resolves it. */
export function resolvePlain(text: string): unknown {
  const first = text.charCodeAt(0);
  if (first < 128 && STRING_START[first] === 1) return text;
  const hit = resolved.get(text);
  if (hit !== undefined || resolved.has(text)) return hit;
  tags ??= (new Document(null, YAML_OPTIONS).schema.tags as unknown as ScalarTag[]).filter(
    (t) => t.default === true && t.test,
  );
  const tag = tags.find((t) => t.test!.test(text));
  let value: unknown = text;
  if (tag) {
    const res = tag.resolve(text, () => bail("tag"), {});
    value = isScalar(res) ? res.value : res;
  }
  if (typeof value === "bigint") value = Number(value);
  else if (value !== null && typeof value === "object") bail("object scalar");
  else if (typeof value === "symbol") bail("merge");
  if (resolved.size > 50_000) resolved.clear();
  resolved.set(text, value);
  return value;
}

/** A key as the JSON key Kubernetes would use; null and merge keys are left to the full parser. */
export function plainKey(text: string): string {
  if (text === "<<" || text.length > 1024) bail("key");
  const v = resolvePlain(text);
  if (v === null) bail("null key");
  return String(v);
}

const ESCAPES: Record<string, string> = {
  "0": "\0",
  a: "\x07",
  b: "\b",
  t: "\t",
  n: "\n",
  v: "\v",
  f: "\f",
  r: "\r",
  e: "\x1b",
  " ": " ",
  '"': '"',
  "/": "/",
  "\\": "\\",
  N: "\u0085",
  _: "\u00a0",
  L: "\u2028",
  P: "\u2029",
};
const HEX_LENGTH: Record<string, number> = { x: 2, u: 4, U: 8 };

/** A quoted scalar that opens at `at` and closes on the same line: its value and the offset after it. */
export function quoted(s: string, at: number): { value: string; end: number } {
  const part = quotedPart(s, at + 1, s[at]);
  return part.end < 0 ? bail("multi-line quoted") : part;
}

/**
 * The content of a `q`-quoted scalar from offset `j` of `s` up to its closing quote (`end` after it) or, when it
 * does not close in `s`, to the end of `s` (`end` -1), escapes resolved.
 */
export function quotedPart(s: string, j: number, q: string): { value: string; end: number } {
  let out = "";
  for (;;) {
    const close = s.indexOf(q, j);
    if (q === "'") {
      if (close < 0) return { value: out + s.slice(j), end: -1 };
      out += s.slice(j, close);
      if (s[close + 1] === "'") {
        out += "'";
        j = close + 2;
        continue;
      }
      return { value: out, end: close + 1 };
    }
    const esc = s.indexOf("\\", j);
    if (esc < 0 || (close >= 0 && esc > close)) {
      return close < 0 ? { value: out + s.slice(j), end: -1 } : { value: out + s.slice(j, close), end: close + 1 };
    }
    out += s.slice(j, esc);
    const c = s[esc + 1];
    if (c === undefined && close < 0) return { value: out, end: -1 }; // an escaped line break: the caller folds
    const n = HEX_LENGTH[c];
    if (n) {
      const hex = s.slice(esc + 2, esc + 2 + n);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== n) bail("escape");
      const cp = parseInt(hex, 16);
      if (cp > 0x10ffff) bail("escape");
      out += String.fromCodePoint(cp);
      j = esc + 2 + n;
    } else {
      const e = ESCAPES[c];
      if (e === undefined) bail("escape");
      out += e;
      j = esc + 2;
    }
  }
}

/** Splits `key: rest`; undefined when the line is not a mapping entry. */
export function splitEntry(content: string): { key: string; rest: string } | undefined {
  const c = content[0];
  if (c === '"' || c === "'") {
    const q = quotedPart(content, 1, c);
    if (q.end < 0) return undefined; // a quoted value that goes on over the next lines, not a key
    let j = q.end;
    j = skipSpaces(content, j);
    if (content[j] !== ":" || (j + 1 < content.length && content[j + 1] !== " ")) return undefined;
    return { key: q.value, rest: content.slice(j + 1) };
  }
  const m = entryColon(content);
  if (m < 0) return undefined;
  const keyText = content.slice(0, m).trimEnd();
  if (keyText === "" || !plainStart(keyText[0], keyText[1]) || keyText[0] === "-") bail("key");
  return { key: plainKey(keyText), rest: content.slice(m + 1) };
}

/** The index after the spaces from `j` on. Bounded: reading past a string's end makes V8 drop optimized code. */
export function skipSpaces(s: string, j: number): number {
  const len = s.length;
  while (j < len && s.charCodeAt(j) === 0x20) j++;
  return j;
}

/** Where the `: ` (or final `:`) of a plain key is; -1 when there is none before a ` #` comment or the end. */
function entryColon(content: string): number {
  const len = content.length;
  for (let j = 0; j < len; j++) {
    const c = content.charCodeAt(j);
    if (c === 0x3a /* : */ && (j + 1 === len || content.charCodeAt(j + 1) === 0x20)) return j;
    if (c === 0x20 && j + 1 < len && content.charCodeAt(j + 1) === 0x23 /* # */) return -1;
  }
  return -1;
}

/** After a value: only spaces and a comment may follow. */
export function expectEnd(s: string, at: number): void {
  let j = at;
  j = skipSpaces(s, j);
  if (j < s.length && !(s[j] === "#" && j > at)) bail("trailing text");
}

const FLOW_STOP = /[,[\]{}]/;

/** Whether a plain scalar may start with this character (the unambiguous cases only). */
export function plainStart(c: string, next: string | undefined): boolean {
  // `:` starts a plain scalar when a character that could go on one follows (`::node_cpu:rate` in Prometheus rules).
  if (c === ":") return next !== undefined && !" ,[]{}#".includes(next);
  if ("[]{},#&*!|>'\"%@`?".includes(c)) return false;
  return !(c === "-" && (next === undefined || next === " "));
}

/** A one-line flow collection (`[a, "b"]`, `{cpu: 100m}`) starting at `at` of line `line`, with its positions. */
export function flow(
  s: string,
  at: number,
  depth: number,
  maxDepth: number,
  line: number,
): { value: unknown; end: number; pos: PosNode } {
  if (depth > maxDepth) bail("depth");
  const open = s[at];
  const close = open === "[" ? "]" : "}";
  const list: unknown[] = [];
  const obj: Record<string, unknown> = {};
  const pos = new PosNode(open === "[");
  let j = at + 1;
  for (;;) {
    j = skipSpaces(s, j);
    if (j >= s.length) bail("multi-line flow");
    if (s[j] === close) return { value: open === "[" ? list : obj, end: j + 1, pos };
    let key: string | undefined;
    const start = j;
    if (open === "{") {
      if (s[j] === '"' || s[j] === "'") {
        const k = quoted(s, j);
        key = k.value;
        j = k.end;
        j = skipSpaces(s, j);
      } else {
        const m = s.slice(j).search(/:( |$)|[,[\]{}#]/);
        if (m < 0 || s[j + m] !== ":") bail("flow key");
        key = plainKey(s.slice(j, j + m).trimEnd());
        j += m;
      }
      if (s[j] !== ":" || Object.hasOwn(obj, key)) bail("flow pair");
      j++;
      j = skipSpaces(s, j);
    }
    const item = flowItem(s, j, depth, maxDepth, line);
    // An entry spans from its key (or item) to the end of its value, as the full parser's ranges do.
    pos.add(key, line, start, line, item.valueEnd, item.pos);
    j = item.end;
    if (key === undefined) list.push(item.value);
    else setOwn(obj, key, item.value);
    j = skipSpaces(s, j);
    if (s[j] === ",") j++;
    else if (s[j] !== close) bail("flow separator");
  }
}

function flowItem(
  s: string,
  j: number,
  depth: number,
  maxDepth: number,
  line: number,
): { value: unknown; end: number; valueEnd: number; pos?: PosNode } {
  const c = s[j];
  if (c === "[" || c === "{") {
    const f = flow(s, j, depth + 1, maxDepth, line);
    return { value: f.value, end: f.end, valueEnd: f.end, pos: f.pos };
  }
  if (c === '"' || c === "'") {
    const q = quoted(s, j);
    return { value: q.value, end: q.end, valueEnd: q.end };
  }
  if (c === undefined || !plainStart(c, s[j + 1])) return bail("flow item");
  const rest = s.slice(j);
  let m = rest.search(FLOW_STOP);
  if (m < 0) m = rest.length;
  const text = rest.slice(0, m).trimEnd();
  if (text === "" || /:( |$)| #/.test(text) || text.endsWith(":")) bail("flow plain");
  return { value: resolvePlain(text), end: j + m, valueEnd: j + text.length };
}

/** Own data property, even for "__proto__" (never the prototype setter), as the full path does. */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__")
    Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  else obj[key] = value;
}

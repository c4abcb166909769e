import type { BuiltinImpl } from "./types.js";
/** String and number helpers the wasm target does not implement natively. */
import { BuiltinError, intArg, invalidArgs, stringArg } from "./errors.js";

/** Non-overlapping count; an empty substring counts rune boundaries (runes + 1), like Go's strings.Count. */
export function stringsCount(search: unknown, sub: unknown): number {
  const s = stringArg("strings.count", search);
  const t = stringArg("strings.count", sub);
  if (t === "") return [...s].length + 1;
  let n = 0;
  for (let i = s.indexOf(t); i !== -1; i = s.indexOf(t, i + t.length)) n++;
  return n;
}

/** A string, or an array (sets arrive as arrays) of strings. */
function stringList(name: string, v: unknown): string[] {
  if (typeof v === "string") return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v as string[];
  throw invalidArgs(name);
}

const anyMatch = (name: string, test: (s: string, affix: string) => boolean) => (search: unknown, base: unknown) => {
  const ss = stringList(name, search);
  const bs = stringList(name, base);
  return ss.some((s) => bs.some((b) => test(s, b)));
};

/** Rune (code point) positions of every occurrence, overlapping, like OPA's indexof_n. */
function indexOfN(haystack: unknown, needle: unknown): number[] {
  const s = stringArg("indexof_n", haystack);
  const t = stringArg("indexof_n", needle);
  if (t === "") throw new BuiltinError("indexof_n", "empty search character");
  const runes = [...s];
  const tr = [...t];
  const out: number[] = [];
  outer: for (let i = 0; i + tr.length <= runes.length; i++) {
    for (let j = 0; j < tr.length; j++) if (runes[i + j] !== tr[j]) continue outer;
    out.push(i);
  }
  return out;
}

// Bounds the size of an array a policy can ask the host to build.
const MAX_RANGE = 1_000_000;

function rangeStep(a: unknown, b: unknown, step: unknown): number[] {
  const name = "numbers.range_step";
  const from = intArg(name, a, 1);
  const to = intArg(name, b, 2);
  const st = intArg(name, step, 3);
  if (st <= 0) throw new BuiltinError(name, `${name}: step must be a positive integer`);
  const count = Math.floor(Math.abs(to - from) / st) + 1;
  if (count > MAX_RANGE)
    throw new BuiltinError(name, `${name}: range of ${count} elements exceeds the limit of ${MAX_RANGE}`);
  const dir = to >= from ? 1 : -1;
  return Array.from({ length: count }, (_, i) => from + dir * i * st);
}

/** Go's url.QueryEscape: only A-Z a-z 0-9 - _ . ~ stay, space becomes "+". */
export function queryEscape(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, "+");
}

function queryUnescape(raw: unknown, name = "urlquery.decode"): string {
  const s = stringArg(name, raw);
  const bad = /%(?![0-9A-Fa-f]{2})/.exec(s);
  if (bad) throw new BuiltinError(name, `invalid URL escape ${JSON.stringify(s.slice(bad.index, bad.index + 3))}`);
  // Escapes are bytes; invalid UTF-8 becomes U+FFFD, as in OPA's output.
  const parts = s
    .split(/(%[0-9A-Fa-f]{2})/)
    .map((part) =>
      /^%[0-9A-Fa-f]{2}$/.test(part)
        ? Buffer.from([parseInt(part.slice(1), 16)])
        : Buffer.from(part.replace(/\+/g, " "), "utf8"),
    );
  return Buffer.concat(parts).toString("utf8");
}

/** urlquery.encode_object: keys sorted, each value a string or an array/set of strings. */
function encodeObject(obj: unknown): string {
  const name = "urlquery.encode_object";
  if (obj === null || typeof obj !== "object" || Array.isArray(obj)) throw invalidArgs(name);
  const parts: string[] = [];
  for (const key of Object.keys(obj).sort()) {
    const v = (obj as Record<string, unknown>)[key];
    for (const item of stringList(name, v)) parts.push(`${queryEscape(key)}=${queryEscape(item)}`);
  }
  return parts.join("&");
}

/** Go's url.ParseQuery: "&"-separated pairs, a pair without "=" has an empty value, ";" is an error. */
function decodeObject(raw: unknown): Record<string, string[]> {
  const name = "urlquery.decode_object";
  const out: Record<string, string[]> = {};
  for (const pair of stringArg(name, raw).split("&")) {
    if (pair === "") continue;
    if (pair.includes(";")) throw new BuiltinError(name, "invalid semicolon separator in query");
    const eq = pair.indexOf("=");
    const key = queryUnescape(eq === -1 ? pair : pair.slice(0, eq), name);
    const value = eq === -1 ? "" : queryUnescape(pair.slice(eq + 1), name);
    (out[key] ??= []).push(value);
  }
  return out;
}

/** Go's strings.Split (an empty delimiter splits into runes), then the first n parts, or the last -n. */
function splitN(x: unknown, delimiter: unknown, count: unknown): string[] {
  const name = "strings.split_n";
  const s = stringArg(name, x);
  const d = stringArg(name, delimiter);
  const n = intArg(name, count, 3);
  const parts = d === "" ? [...s] : s.split(d);
  if (n === 0) return [];
  return n > 0 ? parts.slice(0, n) : parts.slice(Math.max(parts.length + n, 0));
}

/** gobwas/glob's QuoteMeta, as OPA uses it: only the glob metacharacters get a backslash. */
const quoteMeta = (s: unknown) => stringArg("glob.quote_meta", s).replace(/[*?\\[\]{}]/g, "\\$&");

export function stringsBuiltins(): Record<string, BuiltinImpl> {
  return {
    "strings.count": stringsCount,
    "strings.any_prefix_match": anyMatch("strings.any_prefix_match", (s, p) => s.startsWith(p)),
    "strings.any_suffix_match": anyMatch("strings.any_suffix_match", (s, p) => s.endsWith(p)),
    indexof_n: indexOfN,
    "numbers.range_step": rangeStep,
    "urlquery.encode": (s: unknown) => queryEscape(stringArg("urlquery.encode", s)),
    "urlquery.decode": (s: unknown) => queryUnescape(s),
    "urlquery.encode_object": encodeObject,
    "urlquery.decode_object": decodeObject,
    "glob.quote_meta": quoteMeta,
    "strings.split_n": splitN,
  };
}

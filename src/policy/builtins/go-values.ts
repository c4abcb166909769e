/**
 * How OPA's sprintf sees a value (see sprintf.ts): integers become int64, other
 * numbers float64, strings stay strings, and everything else its Rego text.
 */

export type GoValue = { type: "int64"; v: bigint } | { type: "float64"; v: number } | { type: "string"; v: string };

/** Go's strconv.Quote (asciiOnly: QuoteToASCII). */
export function goQuote(s: string, asciiOnly = false): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"' || ch === "\\") out += `\\${ch}`;
    else if (cp >= 0x20 && cp < 0x7f) out += ch;
    else if (cp === 0x07) out += "\\a";
    else if (cp === 0x08) out += "\\b";
    else if (cp === 0x0c) out += "\\f";
    else if (cp === 0x0a) out += "\\n";
    else if (cp === 0x0d) out += "\\r";
    else if (cp === 0x09) out += "\\t";
    else if (cp === 0x0b) out += "\\v";
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, "0")}`;
    else if (!asciiOnly && /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(ch) && !(cp >= 0xd800 && cp <= 0xdfff)) out += ch;
    else if (cp > 0xffff) out += `\\U${cp.toString(16).padStart(8, "0")}`;
    else out += `\\u${cp.toString(16).padStart(4, "0")}`;
  }
  return `${out}"`;
}

function numberText(n: number): string {
  return Number.isInteger(n) && Math.abs(n) < 2 ** 63 ? BigInt(n).toString() : String(n);
}

/** Rego's text of a value: `["a", 1]`, `{"k": "v"}` (keys sorted), `null`. */
export function regoText(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "string") return goQuote(v);
  if (typeof v === "number") return numberText(v);
  if (typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return `[${v.map(regoText).join(", ")}]`;
  if (typeof v === "object") {
    const keys = Object.keys(v).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    if (keys.length === 0) return "{}";
    return `{${keys.map((k) => `${goQuote(k)}: ${regoText((v as Record<string, unknown>)[k])}`).join(", ")}}`;
  }
  return String(v);
}

export function toGoValue(v: unknown): GoValue {
  if (typeof v === "string") return { type: "string", v };
  if (typeof v === "number") {
    if (Number.isInteger(v) && Math.abs(v) < 2 ** 63) return { type: "int64", v: BigInt(v) };
    return { type: "float64", v };
  }
  return { type: "string", v: regoText(v) };
}

/**
 * OPA's sprintf, i.e. Go's fmt.Sprintf over the values OPA hands it: integers
 * become int64, other numbers float64, strings stay strings, and every other
 * value (array, object, set, boolean, null) becomes its Rego text, so `%v` of
 * ["a", 1] prints `["a", 1]` and `%t` of true prints `%!t(string=true)`.
 *
 * Known gaps, because values reach JS through JSON: sets arrive as arrays and
 * print as `[…]`, integers beyond 2^53 have already lost precision, and
 * integers of 2^63 and beyond are treated as float64 (Go would use big.Int).
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

type GoValue = { type: "int64"; v: bigint } | { type: "float64"; v: number } | { type: "string"; v: string };

interface Spec {
  minus: boolean;
  plus: boolean;
  space: boolean;
  zero: boolean;
  sharp: boolean;
  width?: number;
  prec?: number;
}

// ---------------------------------------------------------------- values

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

// ---------------------------------------------------------------- padding

function pad(s: string, spec: Spec, zeroOk = true): string {
  const len = [...s].length;
  if (spec.width === undefined || len >= spec.width) return s;
  const fill = spec.width - len;
  if (spec.minus) return s + " ".repeat(fill);
  if (spec.zero && zeroOk) {
    // Zeros go after the sign.
    const sign = /^[+\- ]/.test(s) ? s[0] : "";
    return sign + "0".repeat(fill) + s.slice(sign.length);
  }
  return " ".repeat(fill) + s;
}

function signed(neg: boolean, body: string, spec: Spec): string {
  return (neg ? "-" : spec.plus ? "+" : spec.space ? " " : "") + body;
}

// ---------------------------------------------------------------- integers

function fmtInt(x: bigint, verb: string, spec: Spec): string | undefined {
  const neg = x < 0n;
  const abs = neg ? -x : x;
  let digits: string;
  let prefix = "";
  switch (verb) {
    case "v":
    case "d":
      digits = abs.toString(10);
      break;
    case "b":
      digits = abs.toString(2);
      if (spec.sharp) prefix = "0b";
      break;
    case "o":
      digits = abs.toString(8);
      if (spec.sharp) prefix = "0";
      break;
    case "O":
      digits = abs.toString(8);
      prefix = "0o";
      break;
    case "x":
      digits = abs.toString(16);
      if (spec.sharp) prefix = "0x";
      break;
    case "X":
      digits = abs.toString(16).toUpperCase();
      if (spec.sharp) prefix = "0X";
      break;
    case "c":
      return pad(codePoint(x), spec, false);
    case "q":
      return pad(
        `'${codePoint(x).replace(/'/g, "\\'")}'`.replace(/^'(.*)'$/su, (_m, c: string) => `'${quoteRune(c)}'`),
        spec,
        false,
      );
    case "U": {
      const hex = abs.toString(16).toUpperCase().padStart(4, "0");
      const s = `U+${hex}`;
      return pad(spec.sharp ? `${s} '${codePoint(x)}'` : s, spec, false);
    }
    default:
      return undefined;
  }
  if (spec.prec !== undefined) {
    digits = spec.prec === 0 && abs === 0n ? "" : digits.padStart(spec.prec, "0");
  }
  // With a precision, Go pads with spaces, never zeros.
  return pad(signed(neg, prefix + digits, spec), spec, spec.prec === undefined);
}

function codePoint(x: bigint): string {
  const n = Number(x);
  return n >= 0 && n <= 0x10ffff && !(n >= 0xd800 && n <= 0xdfff) ? String.fromCodePoint(n) : "\ufffd";
}

function quoteRune(c: string): string {
  const q = goQuote(c);
  return q.slice(1, -1).replace(/\\"/g, '"');
}

// ---------------------------------------------------------------- floats

/** The exact decimal expansion of a finite |v| > 0: digits (no trailing zeros) and decimal-point position. */
function exactDigits(a: number): { d: string; dp: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, a);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  let exp = biased - 1075;
  if (biased === 0) exp = -1074;
  else mant |= 1n << 52n;
  let digits: string;
  let dp: number;
  if (exp >= 0) {
    digits = (mant << BigInt(exp)).toString();
    dp = digits.length;
  } else {
    digits = (mant * 5n ** BigInt(-exp)).toString();
    dp = digits.length + exp;
  }
  return { d: digits.replace(/0+$/, ""), dp };
}

/** Rounds digits to n significant digits, half to even on exact ties (as Go's strconv). */
function roundDigits(d: string, dp: number, n: number): { d: string; dp: number } {
  if (n < 0) return { d: "", dp };
  if (d.length <= n) return { d, dp };
  const next = d.charCodeAt(n) - 48;
  const tail = d.slice(n + 1);
  const prevOdd = n > 0 && (d.charCodeAt(n - 1) - 48) % 2 === 1;
  const up = next > 5 || (next === 5 && (/[1-9]/.test(tail) || prevOdd));
  let kept = d.slice(0, n);
  if (!up) return { d: kept.replace(/0+$/, ""), dp };
  let i = kept.length - 1;
  while (i >= 0 && kept[i] === "9") i--;
  if (i < 0) return { d: "1", dp: dp + 1 };
  kept = kept.slice(0, i) + String.fromCharCode(kept.charCodeAt(i) + 1);
  return { d: kept, dp };
}

/** Digits of |v| rounded to `prec` significant digits, or the shortest that round-trips. */
function decimalDigits(v: number, prec?: number): { d: string; dp: number } {
  if (v === 0) return { d: "", dp: 0 };
  if (prec === undefined) {
    const [mant, exp] = Math.abs(v).toExponential().split("e");
    return { d: mant.replace(".", "").replace(/0+$/, ""), dp: Number(exp) + 1 };
  }
  const exact = exactDigits(Math.abs(v));
  return roundDigits(exact.d, exact.dp, prec);
}

/** Digits of |v| rounded to `frac` places after the point. */
function fixedDigits(v: number, frac: number): { d: string; dp: number } {
  if (v === 0) return { d: "", dp: 0 };
  const exact = exactDigits(Math.abs(v));
  return roundDigits(exact.d, exact.dp, exact.dp + frac);
}

function fmtE(d: string, dp: number, frac: number, upper: boolean): string {
  const digits = (d || "0").padEnd(frac + 1, "0");
  const exp = d === "" ? 0 : dp - 1;
  const e = `${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  return `${digits[0]}${frac > 0 ? `.${digits.slice(1, frac + 1)}` : ""}${upper ? "E" : "e"}${e}`;
}

function fmtF(d: string, dp: number, frac: number): string {
  const int = dp <= 0 ? "0" : d.slice(0, dp).padEnd(dp, "0");
  const fracDigits = (dp < 0 ? "0".repeat(-dp) + d : d.slice(Math.max(dp, 0))).padEnd(frac, "0").slice(0, frac);
  return frac > 0 ? `${int}.${fracDigits}` : int;
}

/** Go's %g: shortest when prec is undefined (switching to %e at exponent 6 or more, or below -4). */
function fmtG(v: number, prec: number | undefined, upper: boolean): string {
  const p = prec === 0 ? 1 : prec;
  const { d, dp } = decimalDigits(v, p);
  const nd = d.length;
  let eprec = p ?? nd;
  if (eprec > nd && nd >= dp) eprec = nd;
  if (p === undefined) eprec = 6;
  const exp = dp - 1;
  let pr = p ?? nd;
  if (d !== "" && (exp < -4 || exp >= eprec)) {
    if (pr > nd) pr = nd;
    return fmtE(d, dp, Math.max(pr - 1, 0), upper);
  }
  if (pr > dp) pr = nd;
  return fmtF(d, dp, Math.max(pr - dp, 0));
}

/** Go's %x/%X of a float: normalised hex mantissa and binary exponent, e.g. 0x1.8p+00. */
function hexFloat(a: number, prec: number | undefined, upper: boolean): string {
  let hex = "";
  let exp = 0;
  let lead = "1";
  if (a === 0) {
    lead = "0";
  } else {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, a);
    const bits = view.getBigUint64(0);
    const biased = Number((bits >> 52n) & 0x7ffn);
    let mant = bits & ((1n << 52n) - 1n);
    exp = biased - 1023;
    if (biased === 0) {
      // Subnormal: shift until the implicit leading bit appears, as Go does.
      exp = -1022;
      while ((mant & (1n << 52n)) === 0n) {
        mant <<= 1n;
        exp--;
      }
      mant &= (1n << 52n) - 1n;
    }
    if (prec !== undefined && prec < 13) {
      const shift = BigInt((13 - prec) * 4);
      const half = 1n << (shift - 1n);
      const rem = mant & ((1n << shift) - 1n);
      let kept = mant >> shift;
      if (rem > half || (rem === half && (kept & 1n) === 1n)) kept++;
      if (kept >> BigInt(prec * 4) !== 0n) {
        kept = 0n;
        exp++;
      }
      hex = prec === 0 ? "" : kept.toString(16).padStart(prec, "0");
    } else {
      hex = mant.toString(16).padStart(13, "0");
      hex = prec === undefined ? hex.replace(/0+$/, "") : hex.padEnd(prec, "0");
    }
  }
  if (a === 0 && prec !== undefined) hex = "0".repeat(prec);
  const e = `${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  const out = `0x${lead}${hex ? `.${hex}` : ""}p${e}`;
  return upper ? out.toUpperCase() : out;
}

function fmtFloat(v: number, verb: string, spec: Spec): string | undefined {
  const neg = v < 0 || Object.is(v, -0);
  const a = Math.abs(v);
  let body: string;
  switch (verb) {
    case "v":
      // %v is %g, shortest unless a precision is given.
      body = fmtG(a, spec.prec, false);
      break;
    case "g":
    case "G":
      body = fmtG(a, spec.prec, verb === "G");
      break;
    case "e":
    case "E": {
      const frac = spec.prec ?? 6;
      const { d, dp } = decimalDigits(a, frac + 1);
      body = fmtE(d, dp, frac, verb === "E");
      break;
    }
    case "x":
    case "X":
      body = hexFloat(a, spec.prec, verb === "X");
      break;
    case "f":
    case "F": {
      const frac = spec.prec ?? 6;
      const { d, dp } = fixedDigits(a, frac);
      body = fmtF(d, dp, frac);
      break;
    }
    default:
      return undefined;
  }
  return pad(signed(neg, body, spec), spec);
}

// ---------------------------------------------------------------- strings

function fmtString(s: string, verb: string, spec: Spec): string | undefined {
  const cut = spec.prec !== undefined ? [...s].slice(0, spec.prec).join("") : s;
  switch (verb) {
    case "v":
    case "s":
      return pad(cut, spec);
    case "q":
      if (spec.sharp && !/[`\u0000-\u0008\u000a-\u001f\u007f\ufeff]/.test(cut)) return pad(`\`${cut}\``, spec);
      return pad(goQuote(cut, spec.plus), spec);
    case "x":
    case "X": {
      const bytes = [...Buffer.from(cut, "utf8")].map((b) => b.toString(16).padStart(2, "0"));
      const sep = spec.space ? " " : "";
      const pre = spec.sharp ? "0x" : "";
      let out = bytes.map((b, i) => (spec.space || i === 0 ? pre : "") + b).join(sep);
      if (verb === "X") out = out.toUpperCase();
      return pad(out, spec);
    }
    default:
      return undefined;
  }
}

function goValueText(g: GoValue): string {
  if (g.type === "int64") return g.v.toString();
  if (g.type === "float64") return fmtG(Math.abs(g.v), undefined, false).replace(/^/, g.v < 0 ? "-" : "");
  return g.v;
}

function formatOne(g: GoValue, verb: string, spec: Spec): string {
  if (verb === "T") return pad(g.type, spec);
  const out =
    g.type === "int64"
      ? fmtInt(g.v, verb, spec)
      : g.type === "float64"
        ? fmtFloat(g.v, verb, spec)
        : fmtString(g.v, verb, spec);
  return out ?? `%!${verb}(${g.type}=${goValueText(g)})`;
}

// ---------------------------------------------------------------- driver

/** Go's fmt.Sprintf over OPA values. */
export function goSprintf(format: string, rawArgs: unknown[]): string {
  const args = rawArgs.map(toGoValue);
  let out = "";
  let argNum = 0;
  let reordered = false;
  const chars = [...format];
  let i = 0;
  const readNum = (): number | undefined => {
    let s = "";
    while (i < chars.length && /[0-9]/.test(chars[i]) && s.length < 5) s += chars[i++];
    return s === "" ? undefined : Number(s);
  };
  const readIndex = (): boolean => {
    // "[n]" selects argument n (1-based); returns false on a bad index.
    if (chars[i] !== "[") return true;
    const close = chars.indexOf("]", i);
    const n = close > i ? Number(chars.slice(i + 1, close).join("")) : NaN;
    reordered = true;
    if (!Number.isInteger(n) || n < 1 || n > args.length) {
      i = close > i ? close + 1 : chars.length;
      return false;
    }
    argNum = n - 1;
    i = close + 1;
    return true;
  };
  const starArg = (): number | undefined => {
    const a = args[argNum++];
    return a && a.type === "int64" && a.v <= 1_000_000n && a.v >= -1_000_000n ? Number(a.v) : undefined;
  };

  while (i < chars.length) {
    const c = chars[i];
    if (c !== "%") {
      out += c;
      i++;
      continue;
    }
    i++;
    const spec: Spec = { minus: false, plus: false, space: false, zero: false, sharp: false };
    for (; i < chars.length; i++) {
      const f = chars[i];
      if (f === "-") spec.minus = true;
      else if (f === "+") spec.plus = true;
      else if (f === " ") spec.space = true;
      else if (f === "0") spec.zero = !spec.minus;
      else if (f === "#") spec.sharp = true;
      else break;
    }
    let goodIndex = readIndex();
    if (chars[i] === "*") {
      i++;
      const w = starArg();
      if (w === undefined) out += "%!(BADWIDTH)";
      else if (w < 0) {
        spec.minus = true;
        spec.width = -w;
      } else spec.width = w;
    } else {
      spec.width = readNum();
    }
    if (chars[i] === ".") {
      i++;
      goodIndex = goodIndex && readIndex();
      if (chars[i] === "*") {
        i++;
        const p = starArg();
        if (p === undefined || p < 0) out += "%!(BADPREC)";
        else spec.prec = p;
      } else {
        spec.prec = readNum() ?? 0;
      }
    }
    goodIndex = goodIndex && readIndex();
    if (i >= chars.length) {
      out += "%!(NOVERB)";
      break;
    }
    const verb = chars[i++];
    if (verb === "%") {
      out += "%";
      continue;
    }
    if (!goodIndex) {
      out += `%!${verb}(BADINDEX)`;
      continue;
    }
    if (argNum >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    if (spec.minus) spec.zero = false;
    // Go keeps + and # on %v for struct syntax only; plain values ignore them.
    if (verb === "v") spec.plus = spec.sharp = false;
    out += formatOne(args[argNum++], verb, spec);
  }
  if (!reordered && argNum < args.length) {
    out += `%!(EXTRA ${args
      .slice(argNum)
      .map((g) => `${g.type}=${goValueText(g)}`)
      .join(", ")})`;
  }
  return out;
}

// ---------------------------------------------------------------- SDK override

const installed = Symbol.for("stagegate.sprintfOverride");

/**
 * The opa-wasm SDK answers `sprintf` with its own sprintf-js implementation and
 * consults that table before any custom builtin, so a custom `sprintf` is never
 * called. Replacing the entry in the SDK's (CommonJS, shared) builtins table is
 * the only way to give policies OPA's formatting. Safe to call many times.
 */
export function installSprintfOverride(): void {
  const require = createRequire(import.meta.url);
  // The package's "exports" hides src/builtins; find it next to the CommonJS entry (src/index.cjs).
  const srcDir = dirname(require.resolve("@open-policy-agent/opa-wasm"));
  const table = require(join(srcDir, "builtins", "index.js")) as Record<string | symbol, unknown>;
  if (table[installed]) return;
  table.sprintf = (format: unknown, values: unknown) => {
    if (typeof format !== "string" || !Array.isArray(values)) throw new Error("sprintf: invalid argument(s)");
    return goSprintf(format, values);
  };
  table[installed] = true;
}

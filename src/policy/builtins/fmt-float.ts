/**
 * Go's fmt verbs for float64 (%v %g %e %f %x and upper-case forms), digit for
 * digit: exact decimal expansion and round-half-even as strconv does.
 */
import { pad, signed, type Spec } from "./fmt-spec.js";

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
export function fmtG(v: number, prec: number | undefined, upper: boolean): string {
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

export function fmtFloat(v: number, verb: string, spec: Spec): string | undefined {
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

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
import { formatOne, goValueText } from "./fmt-verbs.js";
import type { Spec } from "./fmt-spec.js";
import { toGoValue } from "./go-values.js";

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

/** `sprintf` as a builtin: OPA's operand checks, then goSprintf. */
export function sprintfBuiltin(format: unknown, values: unknown): string {
  if (typeof format !== "string" || !Array.isArray(values)) throw new Error("sprintf: invalid argument(s)");
  return goSprintf(format, values);
}

import type { BuiltinImpl } from "./types.js";
/**
 * units.parse and units.parse_bytes, following OPA's parser: the amount may be
 * a decimal or scientific number, quotes are ignored, spaces are rejected.
 * Arithmetic is exact (BigInt over a power-of-ten denominator), so "1Ei" and
 * "16EiB" come back as exact integers, not rounded doubles.
 * Every error throws (fail closed) with OPA's message.
 */
import { BuiltinError, jsonText, stringArg } from "./errors.js";

const K = 1000n;
const KI = 1024n;
const pow = (base: bigint, n: number) => base ** BigInt(n);

/** Multipliers of units.parse: case matters for the first letter only ("m" milli vs "M" mega). */
const SI_UNITS: Record<string, bigint> = {
  "": 1n,
  k: K,
  K: K,
  ki: KI,
  Ki: KI,
  M: pow(K, 2),
  mi: pow(KI, 2),
  Mi: pow(KI, 2),
};
for (const [i, c] of ["g", "t", "p", "e"].entries()) {
  const n = i + 3;
  SI_UNITS[c] = SI_UNITS[c.toUpperCase()] = pow(K, n);
  SI_UNITS[`${c}i`] = SI_UNITS[`${c.toUpperCase()}i`] = pow(KI, n);
}

/** Multipliers of units.parse_bytes (matched in lower case). */
const BYTE_UNITS: Record<string, bigint> = { "": 1n };
for (const [i, c] of ["k", "m", "g", "t", "p", "e"].entries()) {
  const n = i + 1;
  BYTE_UNITS[c] = BYTE_UNITS[`${c}b`] = pow(K, n);
  BYTE_UNITS[`${c}i`] = BYTE_UNITS[`${c}ib`] = pow(KI, n);
}

/** Splits "1.5e3Ki" into amount "1.5e3" and unit "Ki"; an "e" is an exponent only when a digit or sign follows. */
function splitAmount(s: string): [string, string] {
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (/[0-9.+-]/.test(c)) continue;
    if (c === "e" || c === "E") {
      const next = s[i + 1];
      if (next !== undefined && /[0-9+-]/.test(next)) {
        if (next === "+" || next === "-") i++;
        continue;
      }
    }
    return [s.slice(0, i), s.slice(i)];
  }
  return [s, ""];
}

/** An exact decimal: value = num / 10^scale. */
interface Decimal {
  num: bigint;
  scale: number;
}

// Bounds the exponent so hostile input like "1e999999999" cannot exhaust memory.
const MAX_EXPONENT = 400;

function parseDecimal(text: string): Decimal | undefined {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) return undefined;
  const exp = m[4] === undefined ? 0 : Number(m[4]);
  if (!Number.isSafeInteger(exp) || Math.abs(exp) > MAX_EXPONENT) return undefined;
  const frac = m[3] ?? "";
  let num = BigInt(`${m[2]}${frac}` || "0");
  let scale = frac.length - exp;
  if (scale < 0) {
    num *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { num: m[1] === "-" ? -num : num, scale };
}

/** Exact decimal text of num / 10^scale, trailing zeros trimmed. */
function decimalText({ num, scale }: Decimal): string {
  if (scale === 0) return num.toString();
  const neg = num < 0n;
  const digits = (neg ? -num : num).toString().padStart(scale + 1, "0");
  const int = digits.slice(0, digits.length - scale);
  const frac = digits.slice(digits.length - scale).replace(/0+$/, "");
  return `${neg ? "-" : ""}${int}${frac ? `.${frac}` : ""}`;
}

/** A JSON number: a JS number when that is exact, else exact JSON text. */
function numberResult(text: string): number | ArrayBuffer {
  const n = Number(text);
  return String(n) === text ? n : jsonText(text);
}

function prepare(builtin: string, raw: unknown): string {
  // OPA drops double quotes (so '"10M"' parses) and refuses any space.
  const s = stringArg(builtin, raw).replace(/"/g, "");
  if (s.includes(" ")) throw new BuiltinError(builtin, `${builtin}: spaces not allowed in resource strings`);
  return s;
}

export function unitsParse(raw: unknown): number | ArrayBuffer {
  const b = "units.parse";
  const [amount, unitRaw] = splitAmount(prepare(b, raw));
  if (amount === "") throw new BuiltinError(b, `${b}: no amount provided`);
  const unit = unitRaw.length > 1 ? unitRaw[0] + unitRaw.slice(1).toLowerCase() : unitRaw;
  const d = parseDecimal(amount);
  if (!d) throw new BuiltinError(b, `${b}: could not parse amount to a number`);
  if (unit === "m") return numberResult(decimalText({ num: d.num, scale: d.scale + 3 }));
  const mult = SI_UNITS[unit];
  if (mult === undefined) throw new BuiltinError(b, `${b}: unit ${unit} not recognized`);
  return numberResult(decimalText({ num: d.num * mult, scale: d.scale }));
}

export function unitsParseBytes(raw: unknown): number | ArrayBuffer {
  const b = "units.parse_bytes";
  const [amount, unitRaw] = splitAmount(prepare(b, raw));
  if (amount === "") throw new BuiltinError(b, `${b}: no byte amount provided`);
  const unit = unitRaw.toLowerCase();
  const d = parseDecimal(amount);
  if (!d) throw new BuiltinError(b, `${b}: could not parse byte amount to a number`);
  const mult = BYTE_UNITS[unit];
  if (mult === undefined) throw new BuiltinError(b, `${b}: byte unit ${unit} not recognized`);
  // Whole bytes, truncated toward zero as OPA does.
  const whole = (d.num * mult) / 10n ** BigInt(d.scale);
  return numberResult(whole.toString());
}

export function unitsBuiltins(): Record<string, BuiltinImpl> {
  return { "units.parse": unitsParse, "units.parse_bytes": unitsParseBytes };
}

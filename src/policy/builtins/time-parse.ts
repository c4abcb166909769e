/** Go's time.Parse(time.RFC3339, …) and time.ParseDuration, with Go's error messages. */
import { BuiltinError } from "./errors.js";
import { daysFromCivil, daysIn, inInt64, INT64_MAX, NS_PER_SEC, quote } from "./calendar.js";

const RFC3339 = "2006-01-02T15:04:05Z07:00";

/**
 * Parses like Go's time.Parse(time.RFC3339, s): fractional seconds of any
 * length (truncated to ns), "." or "," as separator, "Z" or ±hh:mm offsets.
 */
export function parseRfc3339Ns(value: string, builtin = "time.parse_rfc3339_ns"): bigint {
  let rest = value;
  const prefix = `parsing time ${quote(value)}`;
  const cannot = (elem: string) =>
    new BuiltinError(builtin, `${prefix} as ${quote(RFC3339)}: cannot parse ${quote(rest)} as ${quote(elem)}`);
  const outOfRange = (what: string) => new BuiltinError(builtin, `${prefix}: ${what} out of range`);
  const digits = (n: number, elem: string): number => {
    if (rest.length < n || !/^\d+$/.test(rest.slice(0, n))) throw cannot(elem);
    const v = Number(rest.slice(0, n));
    rest = rest.slice(n);
    return v;
  };
  const literal = (lit: string) => {
    if (!rest.startsWith(lit)) throw cannot(lit);
    rest = rest.slice(lit.length);
  };

  const year = digits(4, "2006");
  literal("-");
  const month = digits(2, "01");
  if (month < 1 || month > 12) throw outOfRange("month");
  literal("-");
  const day = digits(2, "02");
  literal("T");
  // Go reads the hour with one or two digits.
  const hourDigits = /^\d\d/.test(rest) ? 2 : 1;
  const hour = digits(hourDigits, "15");
  if (hour >= 24) throw outOfRange("hour");
  literal(":");
  const minute = digits(2, "04");
  if (minute >= 60) throw outOfRange("minute");
  literal(":");
  const second = digits(2, "05");
  if (second >= 60) throw outOfRange("second");
  let frac = 0n;
  const fm = /^[.,](\d+)/.exec(rest);
  if (fm) {
    frac = BigInt(fm[1].slice(0, 9).padEnd(9, "0"));
    rest = rest.slice(fm[0].length);
  }
  let offset = 0;
  if (rest.startsWith("Z")) {
    rest = rest.slice(1);
  } else {
    const om = /^([+-])(\d\d):(\d\d)/.exec(rest);
    if (!om) throw cannot("Z07:00");
    const oh = Number(om[2]);
    if (oh > 24) throw outOfRange("time zone offset hour");
    offset = (om[1] === "-" ? -1 : 1) * (oh * 3600 + Number(om[3]) * 60);
    rest = rest.slice(om[0].length);
  }
  if (rest !== "") throw new BuiltinError(builtin, `${prefix}: extra text: ${quote(rest)}`);
  if (day < 1 || day > daysIn(month, year)) throw outOfRange("day");

  const secs = BigInt(daysFromCivil(year, month, day)) * 86400n + BigInt(hour * 3600 + minute * 60 + second - offset);
  return inInt64(secs * NS_PER_SEC + frac, builtin);
}

const UNIT_NS: Record<string, bigint> = {
  ns: 1n,
  us: 1000n,
  "\u00b5s": 1000n, // micro sign
  "\u03bcs": 1000n, // Greek mu
  ms: 1_000_000n,
  s: NS_PER_SEC,
  m: 60n * NS_PER_SEC,
  h: 3600n * NS_PER_SEC,
  // OPA 1.x extends Go's units with days, weeks and (365-day) years.
  d: 86400n * NS_PER_SEC,
  w: 7n * 86400n * NS_PER_SEC,
  y: 365n * 86400n * NS_PER_SEC,
};

const TWO63 = 1n << 63n;

/** Go's time.ParseDuration (same overflow rules and float rounding of fractions). */
export function parseDurationNs(orig: string): bigint {
  const builtin = "time.parse_duration_ns";
  const invalid = () => new BuiltinError(builtin, `time: invalid duration ${quote(orig)}`);
  let s = orig;
  let neg = false;
  if (s !== "" && (s[0] === "-" || s[0] === "+")) {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  if (s === "0") return 0n;
  if (s === "") throw invalid();
  let total = 0n;
  while (s !== "") {
    if (!/^[.0-9]/.test(s)) throw invalid();
    const im = /^\d*/.exec(s)![0];
    let v = 0n;
    for (const c of im) {
      if (v > TWO63 / 10n) throw invalid();
      v = v * 10n + BigInt(c.charCodeAt(0) - 48);
      if (v > TWO63) throw invalid();
    }
    s = s.slice(im.length);
    let f = 0n;
    let scale = 1;
    let post = false;
    if (s.startsWith(".")) {
      s = s.slice(1);
      const fm = /^\d*/.exec(s)![0];
      post = fm.length > 0;
      let overflow = false;
      for (const c of fm) {
        if (overflow) continue;
        if (f > (TWO63 - 1n) / 10n) {
          overflow = true;
          continue;
        }
        const y = f * 10n + BigInt(c.charCodeAt(0) - 48);
        if (y > TWO63) {
          overflow = true;
          continue;
        }
        f = y;
        scale *= 10;
      }
      s = s.slice(fm.length);
    }
    if (im.length === 0 && !post) throw invalid();
    const um = /^[^.0-9]*/.exec(s)![0];
    if (um === "") throw new BuiltinError(builtin, `time: missing unit in duration ${quote(orig)}`);
    s = s.slice(um.length);
    const unit = UNIT_NS[um];
    if (unit === undefined)
      throw new BuiltinError(builtin, `time: unknown unit ${quote(um)} in duration ${quote(orig)}`);
    if (v > TWO63 / unit) throw invalid();
    v *= unit;
    if (f > 0n) {
      // Go computes the fraction in float64 and truncates; do the same.
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
      if (v > TWO63) throw invalid();
    }
    total += v;
    if (total > TWO63) throw invalid();
  }
  if (neg) return -total;
  if (total > INT64_MAX) throw invalid();
  return total;
}

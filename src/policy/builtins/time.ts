import type { BuiltinImpl } from "./types.js";
/**
 * time.* builtins the OPA wasm target leaves to the host. Timestamps are
 * nanoseconds since the Unix epoch held in BigInt, because they exceed 2^53;
 * results beyond 2^53 go back to wasm as exact JSON text (see exactInt).
 *
 * Errors: OPA (non-strict) turns a builtin error into an undefined expression;
 * from JS we cannot return "undefined", so every invalid input throws and the
 * evaluation fails closed with OPA's message.
 */
import { BuiltinError, exactInt, intArg, invalidArgs, stringArg } from "./errors.js";

const NS_PER_SEC = 1_000_000_000n;
const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);
const RFC3339 = "2006-01-02T15:04:05Z07:00";
export const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1-12). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysIn(month: number, year: number): number {
  return [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

/** Go's time-package quoting, enough for error messages. */
function quote(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

function inInt64(ns: bigint, builtin: string): bigint {
  if (ns > INT64_MAX || ns < INT64_MIN) throw new BuiltinError(builtin, "time outside of valid range");
  return ns;
}

// ---------------------------------------------------------------- RFC 3339

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

// ---------------------------------------------------------------- durations

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

// ---------------------------------------------------------------- wall clock

export interface Wall {
  /** Offset from UTC in seconds at this instant. */
  offset: number;
  /** Nanoseconds within the second. */
  nanos: number;
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

export function formatterFor(builtin: string, zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (f) return f;
  try {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      era: "short",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
  } catch {
    throw new BuiltinError(builtin, `unknown time zone ${zone}`);
  }
  // Intl matches zone names case-insensitively; Go's tz database lookup does not,
  // and every IANA name segment starts with an upper-case letter.
  const resolved = f.resolvedOptions().timeZone;
  if (/(^|\/)[a-z]/.test(zone) || (resolved !== zone && resolved.toLowerCase() === zone.toLowerCase())) {
    throw new BuiltinError(builtin, `unknown time zone ${zone}`);
  }
  if (formatters.size > 500) formatters.clear();
  formatters.set(zone, f);
  return f;
}

function utcWall(ns: bigint): Wall {
  const secs = floorDiv(ns, NS_PER_SEC);
  const days = Number(floorDiv(secs, 86400n));
  const sod = Number(secs - BigInt(days) * 86400n);
  const d = new Date(days * 86400000);
  return {
    offset: 0,
    nanos: Number(ns - secs * NS_PER_SEC),
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: Math.floor(sod / 3600),
    minute: Math.floor((sod % 3600) / 60),
    second: sod % 60,
    weekday: d.getUTCDay(),
  };
}

export function zonedWall(builtin: string, ns: bigint, zone: string): Wall {
  // "" and "UTC" are UTC in Go; "Local" is the host's zone.
  if (zone === "" || zone === "UTC") return utcWall(ns);
  const tz = zone === "Local" ? Intl.DateTimeFormat().resolvedOptions().timeZone : zone;
  const fmt = formatterFor(builtin, tz);
  const ms = Number(floorDiv(ns, 1_000_000n));
  const parts: Record<string, string> = {};
  for (const p of fmt.formatToParts(new Date(ms))) parts[p.type] = p.value;
  let year = Number(parts.year);
  if (parts.era === "BC" || parts.era === "B") year = 1 - year;
  const month = Number(parts.month);
  const day = Number(parts.day);
  const days = daysFromCivil(year, month, day);
  const weekday = (((days + 4) % 7) + 7) % 7;
  const [hour, minute, second] = [Number(parts.hour), Number(parts.minute), Number(parts.second)];
  const secs = floorDiv(ns, NS_PER_SEC);
  const offset = Number(BigInt(days * 86400 + hour * 3600 + minute * 60 + second) - secs);
  return { offset, nanos: Number(ns - secs * NS_PER_SEC), year, month, day, hour, minute, second, weekday };
}

/**
 * The ns timestamp of an operand; OPA rejects non-integers as "timestamp too big".
 * Operands reach us through the SDK's JSON.parse, so they are doubles: exact up
 * to 2^53 and otherwise rounded (to a multiple of 256 ns for today's dates).
 * int64's maximum rounds up to 2^63, which is therefore read as the maximum.
 */
export function nsValue(builtin: string, value: unknown): bigint {
  if (typeof value !== "number") throw invalidArgs(builtin);
  if (!Number.isInteger(value)) throw new BuiltinError(builtin, "timestamp too big");
  const ns = BigInt(value);
  if (ns === INT64_MAX + 1n) return INT64_MAX;
  if (ns > INT64_MAX || ns < INT64_MIN) throw new BuiltinError(builtin, "timestamp too big");
  return ns;
}

/** `ns` or `[ns, tz]`, as accepted by time.date, time.clock and time.weekday. */
function wallArg(builtin: string, arg: unknown): Wall {
  if (Array.isArray(arg)) {
    if (arg.length !== 2 || typeof arg[1] !== "string") throw invalidArgs(builtin);
    return zonedWall(builtin, nsValue(builtin, arg[0]), arg[1]);
  }
  return utcWall(nsValue(builtin, arg));
}

// ---------------------------------------------------------------- builtins

export function timeBuiltins(now: () => bigint): Record<string, BuiltinImpl> {
  return {
    "time.now_ns": () => exactInt(now()),
    "time.parse_rfc3339_ns": (s: unknown) => exactInt(parseRfc3339Ns(stringArg("time.parse_rfc3339_ns", s))),
    "time.parse_duration_ns": (s: unknown) => exactInt(parseDurationNs(stringArg("time.parse_duration_ns", s))),
    "time.date": (x: unknown) => {
      const w = wallArg("time.date", x);
      return [w.year, w.month, w.day];
    },
    "time.clock": (x: unknown) => {
      const w = wallArg("time.clock", x);
      return [w.hour, w.minute, w.second];
    },
    "time.weekday": (x: unknown) => WEEKDAYS[wallArg("time.weekday", x).weekday],
    "time.diff": timeDiff,
    "time.add_date": (ns: unknown, years: unknown, months: unknown, days: unknown) =>
      exactInt(
        addDate(
          nsValue("time.add_date", ns),
          intArg("time.add_date", years, 2),
          intArg("time.add_date", months, 3),
          intArg("time.add_date", days, 4),
        ),
      ),
  };
}

/**
 * Go's Time.AddDate in UTC: add to the calendar fields, then normalise, so
 * Jan 31 + 1 month is Mar 2 (leap year) or Mar 3. OPA applies it in the host's
 * local zone; Stagegate's hosts run in UTC, and UTC keeps results reproducible.
 */
export function addDate(ns: bigint, years: number, months: number, days: number): bigint {
  const w = utcWall(ns);
  const subSecond = ns - floorDiv(ns, NS_PER_SEC) * NS_PER_SEC;
  // Normalise month overflow into years, then let day overflow run through the day count.
  const m0 = w.month - 1 + months;
  const year = w.year + years + Math.floor(m0 / 12);
  const month = (((m0 % 12) + 12) % 12) + 1;
  if (!Number.isSafeInteger(year) || Math.abs(year) > 1e6 || Math.abs(days) > 1e9) {
    throw new BuiltinError("time.add_date", "time outside of valid range");
  }
  const dayCount = daysFromCivil(year, month, 1) + (w.day - 1) + days;
  const secs = BigInt(dayCount) * 86400n + BigInt(w.hour * 3600 + w.minute * 60 + w.second);
  return inInt64(secs * NS_PER_SEC + subSecond, "time.add_date");
}

/**
 * time.diff: [years, months, days, hours, minutes, seconds] between two
 * instants, both read in the first operand's zone, earlier one first.
 */
export function timeDiff(a: unknown, b: unknown): number[] {
  const name = "time.diff";
  const zoneOf = (x: unknown) => (Array.isArray(x) && typeof x[1] === "string" ? x[1] : "UTC");
  const nsOf = (x: unknown) => {
    if (Array.isArray(x) && (x.length !== 2 || typeof x[1] !== "string")) throw invalidArgs(name);
    return nsValue(name, Array.isArray(x) ? x[0] : x);
  };
  let n1 = nsOf(a);
  let n2 = nsOf(b);
  const zone = zoneOf(a);
  if (n1 > n2) [n1, n2] = [n2, n1];
  const t1 = zonedWall(name, n1, zone);
  const t2 = zonedWall(name, n2, zone);
  let year = t2.year - t1.year;
  let month = t2.month - t1.month;
  let day = t2.day - t1.day;
  let hour = t2.hour - t1.hour;
  let min = t2.minute - t1.minute;
  let sec = t2.second - t1.second;
  if (sec < 0) {
    sec += 60;
    min--;
  }
  if (min < 0) {
    min += 60;
    hour--;
  }
  if (hour < 0) {
    hour += 24;
    day--;
  }
  if (day < 0) {
    day += daysIn(t1.month, t1.year);
    month--;
  }
  if (month < 0) {
    month += 12;
    year--;
  }
  return [year, month, day, hour, min, sec];
}

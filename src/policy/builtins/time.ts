/**
 * time.* builtins the OPA wasm target leaves to the host. Timestamps are
 * nanoseconds since the Unix epoch held in BigInt, because they exceed 2^53;
 * results beyond 2^53 go back to wasm as exact JSON text (see exactInt).
 *
 * Errors: OPA (non-strict) turns a builtin error into an undefined expression;
 * from JS we cannot return "undefined", so every invalid input throws and the
 * evaluation fails closed with OPA's message.
 */
import { daysFromCivil, daysIn, floorDiv, inInt64, NS_PER_SEC, WEEKDAYS } from "./calendar.js";
import { BuiltinError, exactInt, intArg, invalidArgs, stringArg } from "./errors.js";
import { parseDurationNs, parseRfc3339Ns } from "./time-parse.js";
import { nsValue, utcWall, wallArg, zonedWall } from "./time-wall.js";
import type { BuiltinImpl } from "./types.js";

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

import type { BuiltinImpl } from "./types.js";
/**
 * time.parse_ns: Go's time.Parse with any layout ("2006-01-02", "Jan 2, 2006"),
 * in UTC, with Go's error messages. A zone abbreviation other than UTC/GMT±h
 * gets offset 0, as Go gives it on a host whose local zone is UTC.
 */
import { BuiltinError, exactInt, stringArg } from "./errors.js";
import { daysFromCivil, daysIn, inInt64, isLeap, NS_PER_SEC, quote, WEEKDAYS } from "./calendar.js";
import { MONTHS, NAMED_LAYOUTS, TOKENS } from "./time-format.js";

const NAME = "time.parse_ns";
const FRAC = /^[.,](0+|9+)(?![0-9])/;
const isDigit = (s: string, i: number) => i < s.length && s[i] >= "0" && s[i] <= "9";

/** The layout split into literal runs and Go layout elements. */
function chunks(layout: string): Array<{ lit: string } | { std: string }> {
  const out: Array<{ lit: string } | { std: string }> = [];
  let lit = "";
  for (let i = 0; i < layout.length;) {
    let std = FRAC.exec(layout.slice(i))?.[0] ?? TOKENS.find((t) => layout.startsWith(t, i));
    // Go reads "Jan" and "Mon" before a lower-case letter ("Janet", "Month") as text.
    if ((std === "Jan" || std === "Mon") && /[a-z]/.test(layout[i + 3] ?? "")) std = undefined;
    if (!std) {
      lit += layout[i++];
      continue;
    }
    if (lit) out.push({ lit });
    lit = "";
    out.push({ std });
    i += std.length;
  }
  if (lit) out.push({ lit });
  return out;
}

/** Go's time.Parse(layout, value) as nanoseconds since the epoch. */
export function parseLayoutNs(layoutArg: string, value: string): bigint {
  const layout = NAMED_LAYOUTS[layoutArg] ?? layoutArg;
  const prefix = `parsing time ${quote(value)}`;
  let rest = value;
  const bad = (elem: string, at: string) =>
    new BuiltinError(NAME, `${prefix} as ${quote(layout)}: cannot parse ${quote(at)} as ${quote(elem)}`);
  const range = (what: string) => new BuiltinError(NAME, `${prefix}: ${what} out of range`);
  let year = 0;
  let month = -1;
  let day = -1;
  let yday = -1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let nanos = 0n;
  let offset = 0;
  let pm: boolean | undefined;

  const parts = chunks(layout);
  parts.forEach((part, k) => {
    const at = rest;
    if ("lit" in part) {
      // A space in the layout matches one or more spaces in the value.
      let v = rest;
      for (let i = 0; i < part.lit.length; i++) {
        if (part.lit[i] === " ") {
          if (v.length > 0 && v[0] !== " ") throw bad(part.lit, at);
          while (part.lit[i + 1] === " ") i++;
          v = v.replace(/^ +/, "");
        } else if (v[0] === part.lit[i]) v = v.slice(1);
        else throw bad(part.lit, at);
      }
      rest = v;
      return;
    }
    const std = part.std;
    const fail = () => bad(std, at);
    const num = (fixed: boolean): number => {
      if (!isDigit(rest, 0)) throw fail();
      const n = isDigit(rest, 1) ? 2 : fixed ? 0 : 1;
      if (n === 0) throw fail();
      const v = Number(rest.slice(0, n));
      rest = rest.slice(n);
      return v;
    };
    const lookup = (names: string[]): number => {
      const i = names.findIndex((nm) => rest.slice(0, nm.length).toLowerCase() === nm.toLowerCase());
      if (i === -1) throw fail();
      rest = rest.slice(names[i].length);
      return i;
    };
    const fraction = (len: number) => {
      const digits = rest.slice(1, len);
      if (!/^[.,]/.test(rest) || !/^\d*$/.test(digits)) throw fail();
      nanos = BigInt(digits.slice(0, 9).padEnd(9, "0") || "0");
      rest = rest.slice(len);
    };
    switch (std) {
      case "_2006":
      case "2006":
        if (std === "_2006") {
          if (rest[0] !== "_") throw bad("_", at);
          rest = rest.slice(1);
        }
        if (rest.length < 4 || !/^\d{4}/.test(rest)) throw fail();
        year = Number(rest.slice(0, 4));
        rest = rest.slice(4);
        break;
      case "06": {
        if (!/^\d\d/.test(rest)) throw fail();
        const y = Number(rest.slice(0, 2));
        year = y >= 69 ? 1900 + y : 2000 + y;
        rest = rest.slice(2);
        break;
      }
      case "Jan":
        month = lookup(MONTHS.map((m) => m.slice(0, 3))) + 1;
        break;
      case "January":
        month = lookup(MONTHS) + 1;
        break;
      case "Mon":
        lookup(WEEKDAYS.map((d) => d.slice(0, 3)));
        break;
      case "Monday":
        lookup(WEEKDAYS);
        break;
      case "1":
      case "01":
        month = num(std === "01");
        if (month <= 0 || month > 12) throw range("month");
        break;
      case "2":
      case "_2":
      case "02":
        if (std === "_2" && rest[0] === " ") rest = rest.slice(1);
        day = num(std === "02");
        break;
      case "002":
      case "__2": {
        if (std === "__2") rest = rest.replace(/^ {1,2}/, "");
        const m = std === "002" ? /^\d{3}/.exec(rest) : /^\d{1,3}/.exec(rest);
        if (!m) throw fail();
        yday = Number(m[0]);
        rest = rest.slice(m[0].length);
        if (yday < 1 || yday > 366) throw range("day-of-year");
        break;
      }
      case "15":
        hour = num(false);
        if (hour >= 24) throw range("hour");
        break;
      case "3":
      case "03":
        hour = num(std === "03");
        if (hour > 12) throw range("hour");
        break;
      case "4":
      case "04":
        minute = num(std === "04");
        if (minute >= 60) throw range("minute");
        break;
      case "5":
      case "05": {
        second = num(std === "05");
        if (second >= 60) throw range("second");
        // Go reads fractional seconds after the seconds unless the layout itself has them next.
        const next = parts[k + 1];
        if (/^[.,]\d/.test(rest) && !(next && "std" in next && FRAC.test(next.std))) {
          fraction(1 + /^[.,](\d+)/.exec(rest)![1].length);
        }
        break;
      }
      case "PM":
      case "pm": {
        const ampm = rest.slice(0, 2);
        const want = std === "PM" ? ["AM", "PM"] : ["am", "pm"];
        if (!want.includes(ampm)) throw fail();
        pm = ampm === want[1];
        rest = rest.slice(2);
        break;
      }
      case "MST":
        rest = zoneAbbreviation(rest, fail);
        break;
      default:
        if (FRAC.test(std)) {
          if (std[1] === "0") {
            if (rest.length < std.length) throw fail();
            fraction(std.length);
          } else if (/^[.,]\d/.test(rest)) fraction(1 + /^[.,](\d+)/.exec(rest)![1].length);
          break;
        }
        rest = zoneOffset(std, rest, fail, range, (o) => (offset = o));
    }
  });
  if (rest !== "") throw new BuiltinError(NAME, `${prefix}: extra text: ${quote(rest)}`);
  if (pm === true && hour < 12) hour += 12;
  if (pm === false && hour === 12) hour = 0;
  if (yday >= 0) {
    if (yday > (isLeap(year) ? 366 : 365)) throw range("day-of-year");
    let m = 1;
    let d = yday;
    while (d > daysIn(m, year)) d -= daysIn(m++, year);
    const mismatch = (what: string) => new BuiltinError(NAME, `${prefix}: day-of-year does not match ${what}`);
    if (month >= 0 && month !== m) throw mismatch("month");
    if (day >= 0 && day !== d) throw mismatch("day");
    month = m;
    day = d;
  }
  if (month < 0) month = 1;
  if (day < 0) day = 1;
  if (day < 1 || day > daysIn(month, year)) throw range("day");
  const secs = BigInt(daysFromCivil(year, month, day)) * 86400n + BigInt(hour * 3600 + minute * 60 + second - offset);
  return inInt64(secs * NS_PER_SEC + nanos, NAME);
}

/** "Z" or a numeric offset, in the shape the layout element asks for ("-07:00", "Z0700", …). */
function zoneOffset(
  std: string,
  rest: string,
  fail: () => Error,
  range: (what: string) => Error,
  set: (offset: number) => void,
): string {
  if (std[0] === "Z" && rest[0] === "Z") {
    set(0);
    return rest.slice(1);
  }
  const shape = std.replace(/^Z/, "-");
  const pattern = new RegExp(`^[+-]${shape.slice(1).replace(/\d\d/g, "(\\d\\d)")}`);
  const m = pattern.exec(rest);
  if (!m) throw fail();
  const [hh, mm = "0", ss = "0"] = m.slice(1);
  if (Number(hh) > 24) throw range("time zone offset hour");
  if (Number(mm) > 60) throw range("time zone offset minute");
  if (Number(ss) > 60) throw range("time zone offset second");
  set((rest[0] === "-" ? -1 : 1) * (Number(hh) * 3600 + Number(mm) * 60 + Number(ss)));
  return rest.slice(m[0].length);
}

/** Go's parseTimeZone: UTC, GMT±h, or an abbreviation of 3-5 capitals; all read as offset 0. */
function zoneAbbreviation(rest: string, fail: () => Error): string {
  if (rest.startsWith("UTC")) return rest.slice(3);
  if (rest.startsWith("ChST") || rest.startsWith("MeST")) return rest.slice(4);
  if (rest.startsWith("GMT")) {
    // Go reads the hours of "GMT+3" but the parsed time keeps offset 0 (checked with opa v1.22.3).
    const m = /^GMT[+-](\d+)/.exec(rest);
    if (!m || Number(m[1]) > 23 || (m[1][0] === "0" && m[1] !== "0")) return rest.slice(3);
    return rest.slice(m[0].length);
  }
  const upper = /^[A-Z]{0,6}/.exec(rest)![0].length;
  const abbr = rest.slice(0, upper);
  const ok =
    upper === 3 || (upper === 4 && (abbr[3] === "T" || abbr.startsWith("WIT"))) || (upper === 5 && abbr[4] === "T");
  if (!ok) throw fail();
  return rest.slice(upper);
}

export function timeLayoutBuiltins(): Record<string, BuiltinImpl> {
  return {
    [NAME]: (layout: unknown, value: unknown) =>
      exactInt(parseLayoutNs(stringArg(NAME, layout), stringArg(NAME, value))),
  };
}

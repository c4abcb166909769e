import type { BuiltinImpl } from "./types.js";
/**
 * time.format: Go's Time.Format layouts ("2006-01-02T15:04:05Z07:00"), OPA's
 * named layouts (RFC3339, RFC1123, …) and RFC3339Nano by default.
 * Zone abbreviations (layout "MST") come from Intl and match Go's tz database
 * for common zones (EDT, CET, IST); where Intl has none, Go's numeric style
 * ("-03", "+0530") is used.
 */
import { invalidArgs } from "./errors.js";
import { daysFromCivil, WEEKDAYS } from "./calendar.js";
import { nsValue, zonedWall, type Wall } from "./time-wall.js";

const RFC3339_NANO = "2006-01-02T15:04:05.999999999Z07:00";

/** Layout names OPA accepts in place of a layout (checked with opa v1.22.3). */
export const NAMED_LAYOUTS: Record<string, string> = {
  ANSIC: "Mon Jan _2 15:04:05 2006",
  UnixDate: "Mon Jan _2 15:04:05 MST 2006",
  RubyDate: "Mon Jan 02 15:04:05 -0700 2006",
  RFC822: "02 Jan 06 15:04 MST",
  RFC822Z: "02 Jan 06 15:04 -0700",
  RFC850: "Monday, 02-Jan-06 15:04:05 MST",
  RFC1123: "Mon, 02 Jan 2006 15:04:05 MST",
  RFC1123Z: "Mon, 02 Jan 2006 15:04:05 -0700",
  RFC3339: "2006-01-02T15:04:05Z07:00",
  RFC3339Nano: RFC3339_NANO,
};

export const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

// Longest first, so "2006" wins over "2" and "-07:00:00" over "-07".
export const TOKENS = [
  "January",
  "Monday",
  "Z07:00:00",
  "-07:00:00",
  "Z070000",
  "-070000",
  "Z07:00",
  "-07:00",
  "Z0700",
  "-0700",
  "2006",
  "_2006",
  "__2",
  "002",
  "Jan",
  "Mon",
  "MST",
  "Z07",
  "-07",
  "_2",
  "01",
  "02",
  "03",
  "04",
  "05",
  "06",
  "15",
  "PM",
  "pm",
  "1",
  "2",
  "3",
  "4",
  "5",
];

const pad = (n: number, width: number, fill = "0") => String(n).padStart(width, fill);

function zoneOffset(offset: number, colon: boolean, seconds: boolean, hoursOnly: boolean, zulu: boolean): string {
  if (zulu && offset === 0) return "Z";
  const sign = offset < 0 ? "-" : "+";
  const a = Math.abs(offset);
  const hh = pad(Math.floor(a / 3600), 2);
  const mm = pad(Math.floor((a % 3600) / 60), 2);
  const ss = pad(a % 60, 2);
  if (hoursOnly) return `${sign}${hh}`;
  const sep = colon ? ":" : "";
  return `${sign}${hh}${sep}${mm}${seconds ? sep + ss : ""}`;
}

const abbreviations = new Map<string, Intl.DateTimeFormat[]>();

/** The zone's abbreviation at this instant, e.g. "EDT"; Go's numeric form when Intl knows none. */
function zoneName(zone: string, ms: number, offset: number): string {
  if (zone === "" || zone === "UTC") return "UTC";
  const tz = zone === "Local" ? Intl.DateTimeFormat().resolvedOptions().timeZone : zone;
  let fmts = abbreviations.get(tz);
  if (!fmts) {
    // en-US knows American names, en-GB European ones, en-IN IST…
    fmts = ["en-US", "en-GB", "en-IN", "en-AU"].map(
      (l) => new Intl.DateTimeFormat(l, { timeZone: tz, timeZoneName: "short" }),
    );
    if (abbreviations.size > 500) abbreviations.clear();
    abbreviations.set(tz, fmts);
  }
  for (const f of fmts) {
    const name = f.formatToParts(new Date(ms)).find((p) => p.type === "timeZoneName")?.value ?? "";
    if (/^[A-Z]{3,5}$/.test(name) && !/^(GMT|UTC)$/.test(name)) return name;
    if (offset === 0 && /^(GMT|UTC)$/.test(name)) return name;
  }
  return offset % 3600 === 0
    ? zoneOffset(offset, false, false, true, false)
    : zoneOffset(offset, false, false, false, false);
}

function formatToken(tok: string, w: Wall, zone: string, ms: number): string {
  const yday = daysFromCivil(w.year, w.month, w.day) - daysFromCivil(w.year, 1, 1) + 1;
  const h12 = w.hour % 12 === 0 ? 12 : w.hour % 12;
  switch (tok) {
    case "January":
      return MONTHS[w.month - 1];
    case "Jan":
      return MONTHS[w.month - 1].slice(0, 3);
    case "Monday":
      return WEEKDAYS[w.weekday];
    case "Mon":
      return WEEKDAYS[w.weekday].slice(0, 3);
    case "2006":
      return w.year < 0 ? `-${pad(-w.year, 4)}` : pad(w.year, 4);
    case "_2006":
      return `_${pad(w.year, 4)}`;
    case "06":
      return pad(((w.year % 100) + 100) % 100, 2);
    case "01":
      return pad(w.month, 2);
    case "1":
      return String(w.month);
    case "02":
      return pad(w.day, 2);
    case "_2":
      return pad(w.day, 2, " ");
    case "2":
      return String(w.day);
    case "002":
      return pad(yday, 3);
    case "__2":
      return pad(yday, 3, " ");
    case "15":
      return pad(w.hour, 2);
    case "03":
      return pad(h12, 2);
    case "3":
      return String(h12);
    case "04":
      return pad(w.minute, 2);
    case "4":
      return String(w.minute);
    case "05":
      return pad(w.second, 2);
    case "5":
      return String(w.second);
    case "PM":
      return w.hour >= 12 ? "PM" : "AM";
    case "pm":
      return w.hour >= 12 ? "pm" : "am";
    case "MST":
      return zoneName(zone, ms, w.offset);
    case "Z07:00:00":
      return zoneOffset(w.offset, true, true, false, true);
    case "-07:00:00":
      return zoneOffset(w.offset, true, true, false, false);
    case "Z070000":
      return zoneOffset(w.offset, false, true, false, true);
    case "-070000":
      return zoneOffset(w.offset, false, true, false, false);
    case "Z07:00":
      return zoneOffset(w.offset, true, false, false, true);
    case "-07:00":
      return zoneOffset(w.offset, true, false, false, false);
    case "Z0700":
      return zoneOffset(w.offset, false, false, false, true);
    case "-0700":
      return zoneOffset(w.offset, false, false, false, false);
    case "Z07":
      return zoneOffset(w.offset, false, false, true, true);
    case "-07":
      return zoneOffset(w.offset, false, false, true, false);
    default:
      return tok;
  }
}

/** Formats a wall time with a Go layout. */
export function formatLayout(layout: string, w: Wall, zone: string, ms: number): string {
  let out = "";
  let i = 0;
  while (i < layout.length) {
    // Fractional seconds: ".000"/",000" fixed, ".999"/",999" trimmed, when no digit follows.
    const frac = /^[.,](0+|9+)(?![0-9])/.exec(layout.slice(i));
    if (frac) {
      const n = Math.min(frac[1].length, 9);
      let digits = pad(w.nanos, 9).slice(0, n);
      if (frac[1][0] === "9") digits = digits.replace(/0+$/, "");
      out += digits === "" ? "" : layout[i] + digits;
      i += frac[0].length;
      continue;
    }
    const tok = TOKENS.find((t) => layout.startsWith(t, i));
    if (tok) {
      out += formatToken(tok, w, zone, ms);
      i += tok.length;
    } else {
      out += layout[i++];
    }
  }
  return out;
}

/** time.format(ns | [ns, tz] | [ns, tz, layout]). */
export function timeFormat(arg: unknown): string {
  const name = "time.format";
  let nsArg: unknown = arg;
  let zone = "UTC";
  let layout = RFC3339_NANO;
  if (Array.isArray(arg)) {
    if (
      arg.length < 2 ||
      arg.length > 3 ||
      typeof arg[1] !== "string" ||
      (arg.length === 3 && typeof arg[2] !== "string")
    ) {
      throw invalidArgs(name);
    }
    nsArg = arg[0];
    zone = arg[1];
    if (arg.length === 3) layout = NAMED_LAYOUTS[arg[2]] ?? arg[2];
  }
  const ns = nsValue(name, nsArg);
  const w = zonedWall(name, ns, zone);
  return formatLayout(layout, w, zone, Number(ns / 1_000_000n));
}

export function timeFormatBuiltins(): Record<string, BuiltinImpl> {
  return { "time.format": timeFormat };
}

/** Instants as wall-clock fields in UTC or an IANA zone (Intl), and the timestamp operands of the builtins. */
import { BuiltinError, invalidArgs } from "./errors.js";
import { daysFromCivil, floorDiv, INT64_MAX, INT64_MIN, NS_PER_SEC } from "./calendar.js";

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

export function utcWall(ns: bigint): Wall {
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
export function wallArg(builtin: string, arg: unknown): Wall {
  if (Array.isArray(arg)) {
    if (arg.length !== 2 || typeof arg[1] !== "string") throw invalidArgs(builtin);
    return zonedWall(builtin, nsValue(builtin, arg[0]), arg[1]);
  }
  return utcWall(nsValue(builtin, arg));
}

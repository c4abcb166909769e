import type { FreezeWindow } from "../config/types.js";
import { durationMs } from "../config/gates.js";

/**
 * Scheduled change freezes. Pure: a function of the windows and `now`.
 *
 * Weekly ranges ("Fri 16:00 - Mon 08:00") and cron starts are wall-clock
 * times in the window's IANA time zone, converted with Intl only, so they
 * follow daylight-saving changes: a window ending "Mon 08:00" in Europe/Berlin
 * ends at 07:00 UTC in winter and 06:00 UTC in summer. A wall-clock time that
 * occurs twice (clocks set back) means its first occurrence; one that does
 * not exist (clocks set forward) is shifted forward by the gap.
 *
 * A window that cannot be interpreted (the config schema should have
 * rejected it) counts as an open-ended active freeze: fail closed.
 */

export interface ActiveFreeze {
  reason: string;
  /** When the freeze ends (ms); Infinity for a window that cannot be interpreted. */
  untilMs: number;
  timezone: string;
  /** The window as configured, e.g. `Fri 16:00 - Mon 08:00` or `cron "0 22 * * *" for 8h`. */
  window: string;
}

export function activeFreezes(windows: FreezeWindow[], nowMs: number): ActiveFreeze[] {
  const out: ActiveFreeze[] = [];
  for (const w of windows) {
    const timezone = w.timezone || "UTC";
    const window = describeWindow(w);
    const reason = w.reason || "scheduled change freeze";
    const parsed = parseWindow(w);
    if (typeof parsed === "string") {
      out.push({
        reason: `freeze window ${window} cannot be interpreted (${parsed}); treated as frozen`,
        untilMs: Infinity,
        timezone,
        window,
      });
      continue;
    }
    const until = parsed.activeUntil(nowMs);
    if (until !== null) out.push({ reason, untilMs: until, timezone, window });
  }
  return out;
}

/**
 * The next instant after `nowMs` at which any window opens or closes; null when none will (or none can be
 * interpreted).
 */
export function nextTransitionMs(windows: FreezeWindow[], nowMs: number): number | null {
  let next: number | null = null;
  for (const w of windows) {
    const parsed = parseWindow(w);
    if (typeof parsed === "string") continue;
    const t = parsed.nextTransition(nowMs);
    if (t !== null && (next === null || t < next)) next = t;
  }
  return next;
}

/** Why a window cannot be interpreted, or undefined when it can. */
export function freezeWindowProblem(w: FreezeWindow): string | undefined {
  const parsed = parseWindow(w);
  return typeof parsed === "string" ? parsed : undefined;
}

export function describeWindow(w: FreezeWindow): string {
  if (w.weekly !== undefined) return String(w.weekly);
  if (w.cron !== undefined) return `cron ${JSON.stringify(w.cron)}${w.duration ? ` for ${w.duration}` : ""}`;
  return "(empty window)";
}

interface Schedule {
  /** End of the occurrence containing `now`, or null when not inside one. */
  activeUntil(now: number): number | null;
  nextTransition(now: number): number | null;
}

function parseWindow(w: FreezeWindow): Schedule | string {
  const tz = w.timezone || "UTC";
  try {
    formatter(tz);
  } catch {
    return `unknown time zone ${JSON.stringify(tz)}`;
  }
  if (typeof w.weekly === "string" && w.cron === undefined) return weekly(w.weekly, tz);
  if (typeof w.cron === "string" && w.weekly === undefined) {
    const ms = typeof w.duration === "string" ? durationMs(w.duration) : undefined;
    if (!ms) return `cron window needs a positive duration such as "8h", got ${JSON.stringify(w.duration ?? null)}`;
    return cronSchedule(w.cron, ms, tz);
  }
  return "needs exactly one of `weekly` or `cron`";
}

// ---------------------------------------------------------------- weekly

const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const WEEK_MIN = 7 * 24 * 60;

function weekly(text: string, tz: string): Schedule | string {
  const m = /^\s*([A-Za-z]{3})\s+(\d{1,2}):(\d{2})\s*-\s*([A-Za-z]{3})\s+(\d{1,2}):(\d{2})\s*$/.exec(text);
  if (!m) return `weekly window ${JSON.stringify(text)} is not like "Fri 16:00 - Mon 08:00"`;
  const point = (day: string, h: string, min: string): number | string => {
    const d = DAYS.indexOf(day.toLowerCase());
    if (d < 0) return `unknown day ${JSON.stringify(day)} (use Mon … Sun)`;
    if (Number(h) > 23 || Number(min) > 59) return `invalid time ${h}:${min}`;
    return d * 1440 + Number(h) * 60 + Number(min);
  };
  const start = point(m[1], m[2], m[3]);
  const end = point(m[4], m[5], m[6]);
  if (typeof start === "string") return start;
  if (typeof end === "string") return end;
  // a range that wraps the week ends in the next one; equal ends mean the whole week
  const span = (end - start + WEEK_MIN) % WEEK_MIN || WEEK_MIN;

  const occurrences = (now: number): Array<[number, number]> => {
    const today = dayStart(civilAt(now, tz));
    const monday = today - weekdayMon0(today) * DAY_MS;
    const out: Array<[number, number]> = [];
    for (let k = -1; k <= 1; k++) {
      const s = monday + k * 7 * DAY_MS + start * MINUTE_MS;
      out.push([instantOf(s, tz), instantOf(s + span * MINUTE_MS, tz)]);
    }
    return out;
  };
  return {
    activeUntil(now) {
      const hit = occurrences(now).find(([s, e]) => s <= now && now < e);
      return hit ? hit[1] : null;
    },
    nextTransition(now) {
      const after = occurrences(now)
        .flat()
        .filter((t) => t > now);
      return after.length ? Math.min(...after) : null;
    },
  };
}

// ---------------------------------------------------------------- cron

interface CronField {
  allowed: boolean[];
  /** False for `*` and `?`: matters for the day-of-month / day-of-week OR rule. */
  restricted: boolean;
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
/** How far ahead to look for the next start (covers Feb 29 on any weekday-free schedule). */
const FORWARD_DAYS = 366 * 8;

function cronField(
  text: string,
  label: string,
  min: number,
  max: number,
  names?: string[],
  offset = 0,
): CronField | string {
  const allowed = new Array<boolean>(max + 1).fill(false);
  const value = (s: string): number | undefined => {
    if (/^\d+$/.test(s)) return Number(s);
    const i = names?.indexOf(s.toLowerCase()) ?? -1;
    return i >= 0 ? i + offset : undefined;
  };
  for (const item of text.split(",")) {
    const m = /^([^/]+)(?:\/(\d+))?$/.exec(item);
    if (!m) return `invalid ${label} field ${JSON.stringify(text)}`;
    const step = m[2] === undefined ? 1 : Number(m[2]);
    if (step < 1) return `step must be at least 1 in ${label} field ${JSON.stringify(text)}`;
    let lo: number | undefined;
    let hi: number | undefined;
    if (m[1] === "*" || (m[1] === "?" && (label === "day of month" || label === "day of week"))) [lo, hi] = [min, max];
    else {
      const range = m[1].split("-");
      if (range.length > 2) return `invalid range ${JSON.stringify(m[1])} in ${label} field`;
      lo = value(range[0]);
      hi = range.length === 2 ? value(range[1]) : m[2] === undefined ? lo : max;
    }
    if (lo === undefined || hi === undefined)
      return `unsupported ${label} field ${JSON.stringify(text)} (use *, numbers, lists, ranges and steps)`;
    if (lo < min || hi > max || lo > hi)
      return `${label} field ${JSON.stringify(text)} is outside ${min}-${max} or a descending range`;
    for (let v = lo; v <= hi; v += step) allowed[v] = true;
  }
  return { allowed, restricted: !/^[*?]/.test(text) };
}

function cronSchedule(expression: string, durMs: number, tz: string): Schedule | string {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5)
    return `cron ${JSON.stringify(expression)} needs 5 fields (minute hour day-of-month month day-of-week)`;
  const fields = [
    cronField(parts[0], "minute", 0, 59),
    cronField(parts[1], "hour", 0, 23),
    cronField(parts[2], "day of month", 1, 31),
    cronField(parts[3], "month", 1, 12, MONTHS, 1),
    cronField(parts[4], "day of week", 0, 7, WEEKDAYS),
  ];
  const bad = fields.find((f): f is string => typeof f === "string");
  if (bad) return bad;
  const [minute, hour, dom, month, dow] = fields as CronField[];
  if (dow.allowed[7]) dow.allowed[0] = true; // 7 is Sunday too
  const times: number[] = [];
  for (let h = 0; h < 24; h++)
    for (let m = 0; m < 60; m++) if (hour.allowed[h] && minute.allowed[m]) times.push((h * 60 + m) * MINUTE_MS);

  const dayMatches = (day: number): boolean => {
    const d = new Date(day);
    if (!month.allowed[d.getUTCMonth() + 1]) return false;
    const byDom = dom.allowed[d.getUTCDate()];
    const byDow = dow.allowed[d.getUTCDay()];
    // classic cron: when both day fields are restricted, either may match
    return dom.restricted && dow.restricted ? byDom || byDow : byDom && byDow;
  };
  const startsOn = (day: number): number[] => {
    const before = offsetAt(day - DAY_MS, tz);
    if (before === offsetAt(day + 2 * DAY_MS, tz)) return times.map((t) => day + t - before);
    return times.map((t) => instantOf(day + t, tz)); // a clock change near this day
  };
  const latestStart = (now: number): number | null => {
    const today = dayStart(civilAt(now, tz));
    const back = Math.ceil(durMs / DAY_MS) + 2;
    for (let d = 0; d <= back; d++) {
      const day = today - d * DAY_MS;
      if (!dayMatches(day)) continue;
      const past = startsOn(day).filter((t) => t <= now);
      if (past.length) return Math.max(...past);
    }
    return null;
  };
  const nextStart = (now: number): number | null => {
    const today = dayStart(civilAt(now, tz));
    for (let d = -1; d <= FORWARD_DAYS; d++) {
      const day = today + d * DAY_MS;
      if (!dayMatches(day)) continue;
      const future = startsOn(day).filter((t) => t > now);
      if (future.length) return Math.min(...future);
    }
    return null;
  };
  const activeUntil = (now: number): number | null => {
    const s = latestStart(now);
    return s !== null && now < s + durMs ? s + durMs : null;
  };
  return {
    activeUntil,
    nextTransition(now) {
      const until = activeUntil(now);
      const next = nextStart(now);
      if (until === null) return next;
      return next === null ? until : Math.min(until, next);
    },
  };
}

// ---------------------------------------------------------------- wall-clock time
// A "civil" time is a wall-clock date and time encoded as if it were UTC
// milliseconds, so plain Date.UTC arithmetic (add a day, weekday) works on it.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    // throws RangeError for an unknown zone; callers turn that into a located problem
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      era: "short",
    });
    if (formatters.size > 200) formatters.clear();
    formatters.set(timeZone, f);
  }
  return f;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** The wall-clock time at instant `ms` in `timeZone`, as civil milliseconds (seconds precision). */
function civilAt(ms: number, timeZone: string): number {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) parts[p.type] = p.value;
  let year = Number(parts.year);
  if (parts.era === "BC" || parts.era === "B") year = 1 - year;
  const hour = Number(parts.hour) % 24; // some ICU versions print 24 for midnight
  return Date.UTC(year, Number(parts.month) - 1, Number(parts.day), hour, Number(parts.minute), Number(parts.second));
}

/** UTC offset (ms, east positive) of `timeZone` at instant `ms`. */
function offsetAt(ms: number, timeZone: string): number {
  return civilAt(ms, timeZone) - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant of a wall-clock time. A time that occurs twice (clocks set
 * back) gives its first occurrence; a time that does not exist (clocks set
 * forward) is shifted forward by the gap, as the clock before the change
 * would have read it.
 */
function instantOf(civil: number, timeZone: string): number {
  const before = offsetAt(civil - DAY_MS, timeZone);
  const after = offsetAt(civil + DAY_MS, timeZone);
  const valid = [before, after].map((o) => civil - o).filter((t) => offsetAt(t, timeZone) === civil - t);
  if (valid.length > 0) return Math.min(...valid);
  return civil - before;
}

/** Day of the week of a civil time, Monday = 0 … Sunday = 6. */
function weekdayMon0(civil: number): number {
  return (new Date(civil).getUTCDay() + 6) % 7;
}

/** Civil midnight of the day containing `civil`. */
function dayStart(civil: number): number {
  return Math.floor(civil / DAY_MS) * DAY_MS;
}

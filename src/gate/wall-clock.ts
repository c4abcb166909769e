/**
 * Wall-clock time in IANA time zones, with Intl only. A "civil" time is a
 * wall-clock date and time encoded as if it were UTC milliseconds, so plain
 * Date.UTC arithmetic (add a day, weekday) works on it.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

export function formatter(timeZone: string): Intl.DateTimeFormat {
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

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

/** The wall-clock time at instant `ms` in `timeZone`, as civil milliseconds (seconds precision). */
export function civilAt(ms: number, timeZone: string): number {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) parts[p.type] = p.value;
  let year = Number(parts.year);
  if (parts.era === "BC" || parts.era === "B") year = 1 - year;
  const hour = Number(parts.hour) % 24; // some ICU versions print 24 for midnight
  return Date.UTC(year, Number(parts.month) - 1, Number(parts.day), hour, Number(parts.minute), Number(parts.second));
}

/** UTC offset (ms, east positive) of `timeZone` at instant `ms`. */
export function offsetAt(ms: number, timeZone: string): number {
  return civilAt(ms, timeZone) - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant of a wall-clock time. A time that occurs twice (clocks set
 * back) gives its first occurrence; a time that does not exist (clocks set
 * forward) is shifted forward by the gap, as the clock before the change
 * would have read it.
 */
export function instantOf(civil: number, timeZone: string): number {
  const before = offsetAt(civil - DAY_MS, timeZone);
  const after = offsetAt(civil + DAY_MS, timeZone);
  const valid = [before, after].map((o) => civil - o).filter((t) => offsetAt(t, timeZone) === civil - t);
  if (valid.length > 0) return Math.min(...valid);
  return civil - before;
}

/** Day of the week of a civil time, Monday = 0 … Sunday = 6. */
export function weekdayMon0(civil: number): number {
  return (new Date(civil).getUTCDay() + 6) % 7;
}

/** Civil midnight of the day containing `civil`. */
export function dayStart(civil: number): number {
  return Math.floor(civil / DAY_MS) * DAY_MS;
}

/**
 * instantOf for many civil times of one zone. On a steady day (the same offset
 * a day before and two days after: no clock change near) every time converts
 * with that day's offset, and wall-clock order is the order of the instants;
 * so a schedule with many starts a day costs two Intl calls per day.
 */
export function zoneDays(timeZone: string): { steady(civil: number): boolean; instant(civil: number): number } {
  const offsets = new Map<number, number | null>();
  const steadyOffset = (civil: number): number | null => {
    const day = dayStart(civil);
    let offset = offsets.get(day);
    if (offset === undefined) {
      const before = offsetAt(day - DAY_MS, timeZone);
      offset = before === offsetAt(day + 2 * DAY_MS, timeZone) ? before : null;
      offsets.set(day, offset);
    }
    return offset;
  };
  return {
    steady: (civil) => steadyOffset(civil) !== null,
    instant(civil) {
      const offset = steadyOffset(civil);
      return offset === null ? instantOf(civil, timeZone) : civil - offset;
    },
  };
}

/**
 * The two kinds of freeze window as schedules of occurrences: weekly ranges
 * ("Fri 16:00 - Mon 08:00") and cron starts with a duration. Both read their
 * times as wall-clock times of the window's time zone (see wall-clock.ts).
 */
import { Cron } from "croner";
import { civilAt, dayStart, DAY_MS, instantOf, zoneDays, MINUTE_MS, weekdayMon0 } from "./wall-clock.js";

export interface Schedule {
  /** End of the occurrence containing `now`, or null when not inside one. */
  activeUntil(now: number): number | null;
  nextTransition(now: number): number | null;
}

// ---------------------------------------------------------------- weekly

const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const WEEK_MIN = 7 * 24 * 60;

export function weeklySchedule(text: string, tz: string): Schedule | string {
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

/**
 * More than any daylight-saving shift (at most two hours): how far apart the
 * instants of two wall-clock times can be ordered differently from the times.
 */
const SHIFT_MS = 3 * 3_600_000;

/**
 * A cron window. croner matches the expression against civil time (its UTC is
 * our wall clock), so which days and times start a window is croner's (names,
 * ranges, steps, `L`, `W`, `#`, and the classic rule that a restricted day of
 * month OR day of week matches); instantOf then turns each start into an
 * instant exactly as for weekly windows. croner's own time zone handling is not
 * used: it runs a start in a skipped hour at the end of the gap, and a start in
 * a repeated hour twice for `*` or stepped fields, where Stagegate shifts the
 * start by the gap and always means the first occurrence.
 */
export function cronSchedule(expression: string, durMs: number, tz: string): Schedule | string {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5)
    return `cron ${JSON.stringify(expression)} needs 5 fields (minute hour day-of-month month day-of-week)`;
  let cron: Cron;
  try {
    // sloppyRanges: "5/20" means 5-59/20, as in Vixie cron.
    cron = new Cron(fields.join(" "), { utcOffset: 0, mode: "5-part", sloppyRanges: true });
  } catch (e) {
    const reason = (e instanceof Error ? e.message : String(e)).replace(/^CronPattern: /, "");
    return `cron ${JSON.stringify(expression)} is not valid: ${reason}`;
  }
  const zone = zoneDays(tz);
  const before = (civil: number): number | null => cron.previousRuns(1, new Date(civil))[0]?.getTime() ?? null;
  const after = (civil: number): number | null => cron.nextRun(new Date(civil))?.getTime() ?? null;

  /** The latest start at or before `now` that began after `since`. */
  const latestStart = (now: number, since: number): number | null => {
    const civilNow = civilAt(now, tz);
    const latest = before(civilNow + 1);
    if (latest === null) return null;
    // Away from clock changes the latest wall-clock start is the latest start.
    if (zone.steady(civilNow) && zone.steady(latest)) return zone.instant(latest);
    // Near a clock change wall-clock order is not instant order: look at every start within SHIFT_MS.
    const floor = civilAt(since, tz) - SHIFT_MS;
    let best: number | null = null;
    let bestCivil = 0;
    // From the latest wall-clock time that could begin by `now`, backwards, until earlier ones cannot begin later.
    for (let c = before(civilNow + SHIFT_MS + 1); c !== null && c > floor; c = before(c)) {
      if (best !== null && c < bestCivil - SHIFT_MS) break;
      const t = zone.instant(c);
      if (t <= now && (best === null || t > best)) [best, bestCivil] = [t, c];
    }
    return best;
  };
  /** The first start after `now`. */
  const nextStart = (now: number): number | null => {
    const civilNow = civilAt(now, tz);
    const next = after(civilNow);
    if (next === null) return null;
    // Away from clock changes the next wall-clock start is the next start.
    if (zone.steady(civilNow) && zone.steady(next)) return zone.instant(next);
    let best: number | null = null;
    let bestCivil = 0;
    for (let c = after(civilNow - SHIFT_MS - 1); c !== null; c = after(c)) {
      if (best !== null && c > bestCivil + SHIFT_MS) break;
      const t = zone.instant(c);
      if (t > now && (best === null || t < best)) [best, bestCivil] = [t, c];
    }
    return best;
  };
  const activeUntil = (now: number): number | null => {
    const s = latestStart(now, now - durMs);
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

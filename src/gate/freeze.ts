import type { FreezeWindow } from "../config/types.js";
import { durationMs } from "../config/gates.js";
import { cronSchedule, weeklySchedule, type Schedule } from "./freeze-schedules.js";
import { formatter } from "./wall-clock.js";

/**
 * Scheduled change freezes. Pure: a function of the windows and `now`.
 *
 * Weekly ranges ("Fri 16:00 - Mon 08:00") and cron starts are wall-clock
 * times in the window's IANA time zone, converted with Intl only, so they
 * follow daylight-saving changes: a window ending "Mon 08:00" in Europe/Berlin
 * ends at 07:00 UTC in winter and 06:00 UTC in summer. A wall-clock time that
 * occurs twice (clocks set back) means its first occurrence; one that does
 * not exist (clocks set forward) is shifted forward by the gap. Cron
 * expressions are matched by croner (see freeze-schedules.ts).
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

function parseWindow(w: FreezeWindow): Schedule | string {
  const tz = w.timezone || "UTC";
  try {
    formatter(tz);
  } catch {
    return `unknown time zone ${JSON.stringify(tz)}`;
  }
  if (typeof w.weekly === "string" && w.cron === undefined) return weeklySchedule(w.weekly, tz);
  if (typeof w.cron === "string" && w.weekly === undefined) {
    const ms = typeof w.duration === "string" ? durationMs(w.duration) : undefined;
    if (!ms) return `cron window needs a positive duration such as "8h", got ${JSON.stringify(w.duration ?? null)}`;
    return cronSchedule(w.cron, ms, tz);
  }
  return "needs exactly one of `weekly` or `cron`";
}

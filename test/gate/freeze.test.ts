import { activeFreezes, freezeWindowProblem, nextTransitionMs } from "../../src/gate/freeze.js";
import type { FreezeWindow } from "../../src/config/types.js";

const at = (iso: string) => Date.parse(iso);
const weekly = (range: string, timezone = "UTC", reason = "weekend"): FreezeWindow => ({
  weekly: range,
  timezone,
  reason,
});
const cron = (expr: string, duration: string, timezone = "UTC", reason = "nightly"): FreezeWindow => ({
  cron: expr,
  duration,
  timezone,
  reason,
});
const until = (w: FreezeWindow, iso: string) => {
  const active = activeFreezes([w], at(iso));
  return active.length ? new Date(active[0].untilMs).toISOString() : null;
};

describe("weekly windows", () => {
  const weekend = weekly("Fri 16:00 - Mon 08:00");

  it("reports the reason, window, time zone and end of an active window", () => {
    expect(activeFreezes([weekend], at("2025-06-08T12:00:00Z"))).toEqual([
      { reason: "weekend", untilMs: at("2025-06-09T08:00:00Z"), timezone: "UTC", window: "Fri 16:00 - Mon 08:00" },
    ]);
  });

  it("is active exactly at its start and not exactly at its end", () => {
    expect(until(weekend, "2025-06-06T16:00:00Z")).toBe("2025-06-09T08:00:00.000Z");
    expect(until(weekend, "2025-06-06T15:59:59Z")).toBeNull();
    expect(until(weekend, "2025-06-09T07:59:59Z")).toBe("2025-06-09T08:00:00.000Z");
    expect(until(weekend, "2025-06-09T08:00:00Z")).toBeNull();
    expect(until(weekend, "2025-06-04T12:00:00Z")).toBeNull();
  });

  it("wraps around the end of the week", () => {
    const night = weekly("Sun 22:00 - Mon 02:00");
    expect(until(night, "2025-06-08T23:00:00Z")).toBe("2025-06-09T02:00:00.000Z");
    expect(until(night, "2025-06-09T01:00:00Z")).toBe("2025-06-09T02:00:00.000Z");
    expect(until(night, "2025-06-09T02:00:00Z")).toBeNull();
  });

  it("supports a range within one day", () => {
    const saturday = weekly("Sat 00:00 - Sat 23:59");
    expect(until(saturday, "2025-06-07T00:00:00Z")).toBe("2025-06-07T23:59:00.000Z");
    expect(until(saturday, "2025-06-07T23:59:00Z")).toBeNull();
    expect(until(saturday, "2025-06-06T23:59:59Z")).toBeNull();
  });

  it("reads times as wall-clock time of the window's time zone", () => {
    const berlin = weekly("Fri 16:00 - Mon 08:00", "Europe/Berlin");
    // summer: CEST = UTC+2
    expect(until(berlin, "2025-06-06T14:00:00Z")).toBe("2025-06-09T06:00:00.000Z");
    expect(until(berlin, "2025-06-06T13:59:00Z")).toBeNull();
    // winter: CET = UTC+1
    expect(until(berlin, "2025-01-10T15:00:00Z")).toBe("2025-01-13T07:00:00.000Z");
    expect(until(berlin, "2025-01-10T14:59:00Z")).toBeNull();
  });

  describe("across daylight-saving changes in Europe/Berlin", () => {
    const w = weekly("Sat 01:00 - Sun 03:30", "Europe/Berlin");

    it("March: starts in CET and ends in CEST", () => {
      expect(until(w, "2025-03-29T00:00:00Z")).toBe("2025-03-30T01:30:00.000Z"); // Sat 01:00 CET
      expect(until(w, "2025-03-28T23:59:59Z")).toBeNull();
      expect(until(w, "2025-03-30T01:29:59Z")).toBe("2025-03-30T01:30:00.000Z");
      expect(until(w, "2025-03-30T01:30:00Z")).toBeNull(); // Sun 03:30 CEST
    });

    it("October: starts in CEST and ends in CET", () => {
      expect(until(w, "2025-10-24T23:00:00Z")).toBe("2025-10-26T02:30:00.000Z"); // Sat 01:00 CEST
      expect(until(w, "2025-10-24T22:59:59Z")).toBeNull();
      expect(until(w, "2025-10-26T02:29:59Z")).toBe("2025-10-26T02:30:00.000Z");
      expect(until(w, "2025-10-26T02:30:00Z")).toBeNull(); // Sun 03:30 CET
    });

    it("a boundary in the skipped hour moves forward by the gap", () => {
      const skipped = weekly("Sun 02:30 - Sun 05:00", "Europe/Berlin");
      expect(until(skipped, "2025-03-30T01:29:00Z")).toBeNull();
      expect(until(skipped, "2025-03-30T01:30:00Z")).toBe("2025-03-30T03:00:00.000Z");
    });

    it("a boundary in the repeated hour means its first occurrence", () => {
      const repeated = weekly("Sat 12:00 - Sun 02:30", "Europe/Berlin");
      expect(until(repeated, "2025-10-26T00:29:00Z")).toBe("2025-10-26T00:30:00.000Z"); // 02:29 CEST
      expect(until(repeated, "2025-10-26T00:30:00Z")).toBeNull();
      expect(until(repeated, "2025-10-26T01:15:00Z")).toBeNull(); // 02:15 CET, the second time round
    });
  });

  describe("across daylight-saving changes in America/New_York", () => {
    const w = weekly("Fri 16:00 - Mon 08:00", "America/New_York");

    it("March", () => {
      expect(until(w, "2025-03-07T21:00:00Z")).toBe("2025-03-10T12:00:00.000Z"); // EST start, EDT end
      expect(until(w, "2025-03-07T20:59:00Z")).toBeNull();
      expect(until(w, "2025-03-10T12:00:00Z")).toBeNull();
    });

    it("November", () => {
      expect(until(w, "2025-10-31T20:00:00Z")).toBe("2025-11-03T13:00:00.000Z"); // EDT start, EST end
      expect(until(w, "2025-11-03T12:30:00Z")).toBe("2025-11-03T13:00:00.000Z");
      expect(until(w, "2025-11-03T13:00:00Z")).toBeNull();
    });

    it("Sat 01:00 - Sun 03:30 over the March change", () => {
      const short = weekly("Sat 01:00 - Sun 03:30", "America/New_York");
      expect(until(short, "2025-03-08T06:00:00Z")).toBe("2025-03-09T07:30:00.000Z");
      expect(until(short, "2025-03-09T07:30:00Z")).toBeNull();
    });
  });
});

describe("cron windows", () => {
  it("is active within [start, start + duration) of the latest start", () => {
    const nightly = cron("0 22 * * *", "8h");
    expect(until(nightly, "2025-06-04T22:00:00Z")).toBe("2025-06-05T06:00:00.000Z");
    expect(until(nightly, "2025-06-05T05:59:59Z")).toBe("2025-06-05T06:00:00.000Z");
    expect(until(nightly, "2025-06-05T06:00:00Z")).toBeNull();
    expect(until(nightly, "2025-06-04T21:59:59Z")).toBeNull();
  });

  it("supports ranges, steps and lists", () => {
    const w = cron("*/15 9-17 * * 1-5", "5m");
    expect(until(w, "2025-06-04T09:47:00Z")).toBe("2025-06-04T09:50:00.000Z"); // Wednesday
    expect(until(w, "2025-06-04T09:50:00Z")).toBeNull();
    expect(until(w, "2025-06-04T17:45:00Z")).toBe("2025-06-04T17:50:00.000Z");
    expect(until(w, "2025-06-04T18:00:00Z")).toBeNull();
    expect(until(w, "2025-06-07T09:47:00Z")).toBeNull(); // Saturday
    const list = cron("0,30 12 * * *", "10m");
    expect(until(list, "2025-06-04T12:35:00Z")).toBe("2025-06-04T12:40:00.000Z");
    expect(until(list, "2025-06-04T12:15:00Z")).toBeNull();
    const offsetStep = cron("5/20 0 * * *", "1m");
    expect(until(offsetStep, "2025-06-04T00:45:30Z")).toBe("2025-06-04T00:46:00.000Z");
    expect(until(offsetStep, "2025-06-04T00:40:30Z")).toBeNull();
  });

  it("accepts month and weekday names and 7 for Sunday", () => {
    expect(until(cron("0 9 * JAN-MAR mon", "1h"), "2025-02-03T09:30:00Z")).toBe("2025-02-03T10:00:00.000Z");
    expect(until(cron("0 9 * JAN-MAR mon", "1h"), "2025-04-07T09:30:00Z")).toBeNull();
    expect(until(cron("0 0 * * 7", "1h"), "2025-06-08T00:30:00Z")).toBe("2025-06-08T01:00:00.000Z");
  });

  it("supports L, W and # in the day fields, as the config allows", () => {
    const lastDay = cron("0 0 L * *", "1h");
    expect(until(lastDay, "2025-02-28T00:30:00Z")).toBe("2025-02-28T01:00:00.000Z");
    expect(until(lastDay, "2025-02-27T00:30:00Z")).toBeNull();
    const firstMonday = cron("0 9 * * MON#1", "1h");
    expect(until(firstMonday, "2025-06-02T09:30:00Z")).toBe("2025-06-02T10:00:00.000Z");
    expect(until(firstMonday, "2025-06-09T09:30:00Z")).toBeNull();
    // 2025-06-15 is a Sunday: the nearest weekday is Monday the 16th
    const nearWeekday = cron("0 9 15W * *", "1h");
    expect(until(nearWeekday, "2025-06-16T09:30:00Z")).toBe("2025-06-16T10:00:00.000Z");
    expect(until(nearWeekday, "2025-06-15T09:30:00Z")).toBeNull();
  });

  it("matches day of month OR day of week when both are restricted", () => {
    const w = cron("0 0 13 * 5", "1h");
    expect(until(w, "2025-07-13T00:30:00Z")).not.toBeNull(); // the 13th, a Sunday
    expect(until(w, "2025-07-04T00:30:00Z")).not.toBeNull(); // a Friday
    expect(until(w, "2025-07-03T00:30:00Z")).toBeNull();
    // only one restricted: both must hold
    expect(until(cron("0 0 13 * *", "1h"), "2025-07-04T00:30:00Z")).toBeNull();
  });

  it("starts at wall-clock time and lasts its duration in elapsed time across DST", () => {
    // Fri 22:00 CET = 21:00 UTC; 58h later is Mon 07:00 UTC (09:00 CEST)
    const w = cron("0 22 * * 5", "58h", "Europe/Berlin");
    expect(until(w, "2025-03-28T21:00:00Z")).toBe("2025-03-31T07:00:00.000Z");
    expect(until(w, "2025-03-28T20:59:00Z")).toBeNull();
    // a start in the skipped hour moves forward by the gap
    const skipped = cron("30 2 * * *", "1h", "Europe/Berlin");
    expect(until(skipped, "2025-03-30T01:30:00Z")).toBe("2025-03-30T02:30:00.000Z");
    expect(until(skipped, "2025-03-30T01:29:00Z")).toBeNull();
    // the day before: 02:30 CET = 01:30 UTC; the day after: 02:30 CEST = 00:30 UTC
    expect(until(skipped, "2025-03-29T01:30:00Z")).toBe("2025-03-29T02:30:00.000Z");
    expect(until(skipped, "2025-03-31T00:30:00Z")).toBe("2025-03-31T01:30:00.000Z");
  });

  it("covers a New York evening across the November change", () => {
    const w = cron("0 18 * * *", "15h", "America/New_York");
    expect(until(w, "2025-11-01T22:00:00Z")).toBe("2025-11-02T13:00:00.000Z"); // 18:00 EDT
    expect(until(w, "2025-11-02T23:00:00Z")).toBe("2025-11-03T14:00:00.000Z"); // 18:00 EST
    expect(until(w, "2025-11-02T22:30:00Z")).toBeNull();
  });
});

describe("nextTransitionMs", () => {
  it("is the next opening or closing of the earliest window", () => {
    const windows = [weekly("Fri 16:00 - Mon 08:00"), cron("0 22 * * *", "8h")];
    expect(new Date(nextTransitionMs(windows, at("2025-06-04T12:00:00Z"))!).toISOString()).toBe(
      "2025-06-04T22:00:00.000Z",
    );
    expect(new Date(nextTransitionMs(windows, at("2025-06-04T23:00:00Z"))!).toISOString()).toBe(
      "2025-06-05T06:00:00.000Z",
    );
    expect(new Date(nextTransitionMs([windows[0]], at("2025-06-04T12:00:00Z"))!).toISOString()).toBe(
      "2025-06-06T16:00:00.000Z",
    );
    expect(new Date(nextTransitionMs([windows[0]], at("2025-06-08T12:00:00Z"))!).toISOString()).toBe(
      "2025-06-09T08:00:00.000Z",
    );
    // exactly at a transition, the next one is strictly later
    expect(new Date(nextTransitionMs([windows[0]], at("2025-06-06T16:00:00Z"))!).toISOString()).toBe(
      "2025-06-09T08:00:00.000Z",
    );
  });

  it("skips weekends for a weekday cron and follows time zones", () => {
    expect(
      new Date(nextTransitionMs([cron("*/15 9-17 * * 1-5", "5m")], at("2025-06-07T09:47:00Z"))!).toISOString(),
    ).toBe("2025-06-09T09:00:00.000Z");
    expect(
      new Date(
        nextTransitionMs([weekly("Fri 16:00 - Mon 08:00", "Europe/Berlin")], at("2025-03-29T12:00:00Z"))!,
      ).toISOString(),
    ).toBe("2025-03-31T06:00:00.000Z");
  });

  it("is null without interpretable windows", () => {
    expect(nextTransitionMs([], 0)).toBeNull();
    expect(nextTransitionMs([cron("0 0 32 * *", "1h")], 0)).toBeNull();
  });
});

describe("windows that cannot be interpreted", () => {
  it("fail closed with a reason that says why", () => {
    const bad: FreezeWindow[] = [
      cron("0 0 32 * *", "1h"),
      cron("0 25 * * *", "1h"),
      cron("0 0 * *", "1h"),
      cron("0 0 * * *", "soon"),
      weekly("Fri 16:00 - Mon 8"),
      weekly("Fri 16:00 - Mon 08:00", "Mars/Olympus"),
      { timezone: "UTC", reason: "" },
    ];
    const active = activeFreezes(bad, at("2025-06-04T12:00:00Z"));
    expect(active).toHaveLength(bad.length);
    for (const a of active) {
      expect(a.untilMs).toBe(Infinity);
      expect(a.reason).toMatch(/cannot be interpreted/);
    }
    expect(freezeWindowProblem(bad[1])).toMatch(/cron "0 25 \* \* \*" is not valid: Invalid value for hour: 25/);
    expect(freezeWindowProblem(cron("0 0 1 * * *", "1h"))).toMatch(/needs 5 fields/);
    expect(freezeWindowProblem(bad[5])).toMatch(/unknown time zone "Mars\/Olympus"/);
    expect(freezeWindowProblem(weekly("Fri 16:00 - Mon 08:00"))).toBeUndefined();
  });

  it("does not hang on hostile cron input", () => {
    expect(activeFreezes([cron("0 0 31 2 *", "1h")], at("2025-06-04T12:00:00Z"))).toEqual([]);
    expect(nextTransitionMs([cron("0 0 31 2 *", "1h")], at("2025-06-04T12:00:00Z"))).toBeNull();
    expect(freezeWindowProblem(cron("*/0 * * * *", "1h"))).toMatch(/step/);
    expect(freezeWindowProblem(cron("5-1 * * * *", "1h"))).toMatch(/larger than/);
  });
});

import { createCustomBuiltins } from "../../../src/policy/builtins/index.js";
import { jsonOf } from "./helpers.js";

// Expected values come from `opa eval --strict-builtin-errors` (opa v1.22.3), one call per case.
const b = createCustomBuiltins();

describe("time.parse_ns", () => {
  test.each([
    ["2006-01-02", "2024-03-05", "1709596800000000000"],
    ["RFC3339", "2024-03-05T01:02:03Z", "1709600523000000000"],
    ["RFC1123", "Tue, 05 Mar 2024 01:02:03 UTC", "1709600523000000000"],
    ["RFC1123Z", "Tue, 05 Mar 2024 01:02:03 +0530", "1709580723000000000"],
    ["RFC822", "05 Mar 24 01:02 GMT", "1709600520000000000"],
    ["2006-01-02T15:04:05Z07:00", "2024-03-05T01:02:03.5+01:00", "1709596923500000000"],
    ["2006-01-02T15:04:05Z07:00", "2024-03-05T01:02:03,25-07:30", "1709627523250000000"],
    ["Jan 2, 2006 at 3:04pm (MST)", "Feb 3, 2013 at 7:54pm (PST)", "1359921240000000000"],
    ["Jan 2, 2006 at 3:04pm (MST)", "Feb 3, 2013 at 12:54am (PST)", "1359852840000000000"],
    ["2006-01-02", "2024-02-29", "1709164800000000000"],
    ["02/01/06", "31/12/99", "946598400000000000"],
    ["02/01/06", "31/12/68", "3124137600000000000"],
    ["Mon, 02 Jan 2006", "Tue, 05 Mar 2024", "1709596800000000000"],
    ["Monday, 02-Jan-06", "Tuesday, 05-Mar-24", "1709596800000000000"],
    ["2006-01-02 MST", "2024-03-05 UTC", "1709596800000000000"],
    ["2006-01-02 MST", "2024-03-05 CET", "1709596800000000000"],
    ["2006-01-02 MST", "2024-03-05 GMT+3", "1709596800000000000"],
    ["2006-01-02 MST", "2024-03-05 AEST", "1709596800000000000"],
    ["2006-002", "2024-065", "1709596800000000000"],
    ["2006-01-02 002", "2024-03-05 065", "1709596800000000000"],
    ["January 2 2006", "march 5 2024", "1709596800000000000"],
    ["2006-01-02 15:04:05.000", "2024-03-05 01:02:03.123", "1709600523123000000"],
    ["2006-01-02 15:04:05.999", "2024-03-05 01:02:03.12", "1709600523120000000"],
    ["2006-01-02 15:04:05.999", "2024-03-05 01:02:03", "1709600523000000000"],
    ["2006-01-02 15:04:05", "2024-03-05 01:02:03.5", "1709600523500000000"],
    ["2006-01-02 15:04:05 -0700", "2024-03-05 01:02:03 +0100", "1709596923000000000"],
    ["2006-01-02 15:04:05 Z0700", "2024-03-05 01:02:03 Z", "1709600523000000000"],
    ["2006-01-02 15:04:05 -07", "2024-03-05 01:02:03 -05", "1709618523000000000"],
    ["2006-01-02  15:04", "2024-03-05    01:02", "1709600520000000000"],
    ["_2 Jan 2006", " 5 Mar 2024", "1709596800000000000"],
    ["2006_01", "2024_03", "1709251200000000000"],
    ["1/2/2006 3:04:05 PM", "3/5/2024 1:02:03 PM", "1709643723000000000"],
    ["3:04PM Jan 2 2006", "12:30AM Mar 5 2024", "1709598600000000000"],
  ])("time.parse_ns(%j, %j) = %s", (layout, value, want) => {
    expect(jsonOf(b["time.parse_ns"](layout, value))).toBe(want);
  });

  test.each([
    ["2006-01-02", "2024-3-05", 'time.parse_ns: parsing time "2024-3-05" as "2006-01-02": cannot parse "3-05" as "01"'],
    ["15:04", "10:30", "time.parse_ns: time outside of valid range"],
    [
      "Jan 2, 2006 at 3:04PM",
      "Feb 3, 2013 at 7:54XM",
      'time.parse_ns: parsing time "Feb 3, 2013 at 7:54XM" as "Jan 2, 2006 at 3:04PM": cannot parse "XM" as "PM"',
    ],
    ["2006-01-02", "2024-02-30", 'time.parse_ns: parsing time "2024-02-30": day out of range'],
    ["2006-01-02", "2023-02-29", 'time.parse_ns: parsing time "2023-02-29": day out of range'],
    ["2006-01-02", "2024-13-01", 'time.parse_ns: parsing time "2024-13-01": month out of range'],
    ["2006-01-02", "2024-00-01", 'time.parse_ns: parsing time "2024-00-01": month out of range'],
    ["2006-01-02", "2024-01-01x", 'time.parse_ns: parsing time "2024-01-01x": extra text: "x"'],
    [
      "2006-01-02",
      "24-01-01",
      'time.parse_ns: parsing time "24-01-01" as "2006-01-02": cannot parse "24-01-01" as "2006"',
    ],
    [
      "Mon, 02 Jan 2006",
      "Xyz, 05 Mar 2024",
      'time.parse_ns: parsing time "Xyz, 05 Mar 2024" as "Mon, 02 Jan 2006": cannot parse "Xyz, 05 Mar 2024" as "Mon"',
    ],
    [
      "2006-01-02 MST",
      "2024-03-05 AB",
      'time.parse_ns: parsing time "2024-03-05 AB" as "2006-01-02 MST": cannot parse "AB" as "MST"',
    ],
    ["2006-002", "2023-366", 'time.parse_ns: parsing time "2023-366": day-of-year out of range'],
    [
      "2006-01-02 002",
      "2024-03-06 065",
      'time.parse_ns: parsing time "2024-03-06 065": day-of-year does not match day',
    ],
    [
      "January 2 2006",
      "Mar 5 2024",
      'time.parse_ns: parsing time "Mar 5 2024" as "January 2 2006": cannot parse "Mar 5 2024" as "January"',
    ],
    [
      "2006-01-02 15:04:05.000",
      "2024-03-05 01:02:03.12",
      'time.parse_ns: parsing time "2024-03-05 01:02:03.12" as "2006-01-02 15:04:05.000": cannot parse ".12" as ".000"',
    ],
    [
      "2006-01-02 15:04:05",
      "2024-03-05 24:02:03",
      'time.parse_ns: parsing time "2024-03-05 24:02:03": hour out of range',
    ],
    [
      "2006-01-02 15:04:05",
      "2024-03-05 1:2:3",
      'time.parse_ns: parsing time "2024-03-05 1:2:3" as "2006-01-02 15:04:05": cannot parse "2:3" as "04"',
    ],
    [
      "2006-01-02 15:04:05",
      "2024-03-05 01:60:03",
      'time.parse_ns: parsing time "2024-03-05 01:60:03": minute out of range',
    ],
    [
      "2006-01-02 15:04:05 -0700",
      "2024-03-05 01:02:03 Z",
      'time.parse_ns: parsing time "2024-03-05 01:02:03 Z" as "2006-01-02 15:04:05 -0700": cannot parse "Z" as "-0700"',
    ],
    [
      "2006-01-02 15:04:05 -07:00",
      "2024-03-05 01:02:03 +25:00",
      'time.parse_ns: parsing time "2024-03-05 01:02:03 +25:00": time zone offset hour out of range',
    ],
    [
      "2006-01-02 15:04",
      "2024-03-0501:02",
      'time.parse_ns: parsing time "2024-03-0501:02" as "2006-01-02 15:04": cannot parse "01:02" as " "',
    ],
    [
      "_2 Jan 2006",
      "_5 Mar 2024",
      'time.parse_ns: parsing time "_5 Mar 2024" as "_2 Jan 2006": cannot parse "_5 Mar 2024" as "_2"',
    ],
    ["2006-01-02", "", 'time.parse_ns: parsing time "" as "2006-01-02": cannot parse "" as "2006"'],
    ["", "", "time.parse_ns: time outside of valid range"],
    ["x", "x", "time.parse_ns: time outside of valid range"],
    ["x", "y", 'time.parse_ns: parsing time "y" as "x": cannot parse "y" as "x"'],
  ])("time.parse_ns(%j, %j) fails", (layout, value, message) => {
    expect(() => b["time.parse_ns"](layout, value)).toThrow(message);
  });

  test("rejects non-strings", () => {
    expect(() => b["time.parse_ns"](1, "x")).toThrow("time.parse_ns: invalid argument(s)");
  });
});

import { createCustomBuiltins } from "../../../src/policy/builtins/index.js";
import { jsonOf } from "./helpers.js";

// Expected values come from `opa eval --strict-builtin-errors` (opa v1.22.3).
const b = createCustomBuiltins({ now: () => 1767225600000000000n });
const call = (name: string, ...args: unknown[]) => jsonOf(b[name](...args));

describe("time.parse_rfc3339_ns", () => {
  test.each([
    ["2024-03-10T02:30:00Z", "1710037800000000000"],
    ["2024-03-10T02:30:00.123456789+05:30", "1710018000123456789"],
    ["2024-01-01T00:00:00.1234567891Z", "1704067200123456789"],
    ["2024-01-01T00:00:00,5Z", "1704067200500000000"],
    ["2024-01-01T00:00:00+24:00", "1703980800000000000"],
    ["2024-01-01T00:00:00+01:60", "1704060000000000000"],
    ["2024-02-29T00:00:00Z", "1709164800000000000"],
    ["1960-01-01T00:00:00.5Z", "-315619199500000000"],
    ["2262-04-11T23:47:16.854775807Z", "9223372036854775807"],
    ["1677-09-21T00:12:44Z", "-9223372036000000000"],
  ])("%s → %s", (s, ns) => {
    expect(call("time.parse_rfc3339_ns", s)).toBe(ns);
  });

  test("returns exact JSON text beyond 2^53", () => {
    expect(b["time.parse_rfc3339_ns"]("2262-04-11T23:47:16.854775807Z")).toBeInstanceOf(ArrayBuffer);
  });

  test.each([
    [
      "2024-03-10 02:30:00Z",
      'parsing time "2024-03-10 02:30:00Z" as "2006-01-02T15:04:05Z07:00": cannot parse " 02:30:00Z" as "T"',
    ],
    ["x", 'parsing time "x" as "2006-01-02T15:04:05Z07:00": cannot parse "x" as "2006"'],
    [
      "2024-1-01T00:00:00Z",
      'parsing time "2024-1-01T00:00:00Z" as "2006-01-02T15:04:05Z07:00": cannot parse "1-01T00:00:00Z" as "01"',
    ],
    [
      "2024-01-01T00:00:00",
      'parsing time "2024-01-01T00:00:00" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "Z07:00"',
    ],
    [
      "2024-01-01T00:00:00.Z",
      'parsing time "2024-01-01T00:00:00.Z" as "2006-01-02T15:04:05Z07:00": cannot parse ".Z" as "Z07:00"',
    ],
    [
      "2024-01-01T00:00:00+0100",
      'parsing time "2024-01-01T00:00:00+0100" as "2006-01-02T15:04:05Z07:00": cannot parse "+0100" as "Z07:00"',
    ],
    [
      "2024-03-10T02:30:00z",
      'parsing time "2024-03-10T02:30:00z" as "2006-01-02T15:04:05Z07:00": cannot parse "z" as "Z07:00"',
    ],
    ["2024-02-30T00:00:00Z", 'parsing time "2024-02-30T00:00:00Z": day out of range'],
    ["2023-02-29T00:00:00Z", 'parsing time "2023-02-29T00:00:00Z": day out of range'],
    ["2024-13-01T00:00:00Z", 'parsing time "2024-13-01T00:00:00Z": month out of range'],
    ["2024-01-01T24:00:00Z", 'parsing time "2024-01-01T24:00:00Z": hour out of range'],
    ["2024-01-01T00:61:00Z", 'parsing time "2024-01-01T00:61:00Z": minute out of range'],
    ["2024-01-01T00:00:60Z", 'parsing time "2024-01-01T00:00:60Z": second out of range'],
    ["2024-01-01T00:00:00+25:00", 'parsing time "2024-01-01T00:00:00+25:00": time zone offset hour out of range'],
    ["2024-01-01T00:00:00Zjunk", 'parsing time "2024-01-01T00:00:00Zjunk": extra text: "junk"'],
    ["1677-09-21T00:12:43Z", "time outside of valid range"],
    ["2262-04-11T23:47:16.854775808Z", "time outside of valid range"],
    ["0001-01-01T00:00:00Z", "time outside of valid range"],
  ])("rejects %s", (s, msg) => {
    expect(() => b["time.parse_rfc3339_ns"](s)).toThrow(`time.parse_rfc3339_ns: ${msg}`);
  });

  test("rejects non-strings", () => {
    expect(() => b["time.parse_rfc3339_ns"](1)).toThrow("time.parse_rfc3339_ns: invalid argument(s)");
  });
});

describe("time.parse_duration_ns", () => {
  test.each([
    ["1h30m", "5400000000000"],
    ["-1.5h", "-5400000000000"],
    ["300ms", "300000000"],
    ["2us", "2000"],
    ["2\u00b5s", "2000"],
    ["2\u03bcs", "2000"],
    ["1.000000001s", "1000000001"],
    ["0", "0"],
    ["-0", "0"],
    ["+5s", "5000000000"],
    [".5s", "500000000"],
    ["5.s", "5000000000"],
    ["1.5h2m3.25s", "5523250000000"],
    ["0.0000000001s", "0"],
    ["1.123456789123h", "4044444440842"],
    ["1d", "86400000000000"],
    ["1.5d", "129600000000000"],
    ["1w", "604800000000000"],
    ["1y", "31536000000000000"],
    ["106751d", "9223286400000000000"],
    ["2562047h47m16.854775807s", "9223372036854775807"],
    ["-2562047h47m16.854775808s", "-9223372036854775808"],
  ])("%s → %s", (s, ns) => {
    expect(call("time.parse_duration_ns", s)).toBe(ns);
  });

  test.each([
    ["", 'time: invalid duration ""'],
    ["1", 'time: missing unit in duration "1"'],
    ["1ns1", 'time: missing unit in duration "1ns1"'],
    ["1D", 'time: unknown unit "D" in duration "1D"'],
    ["1h 2m", 'time: unknown unit "h " in duration "1h 2m"'],
    ["2562047h47m16.854775808s", 'time: invalid duration "2562047h47m16.854775808s"'],
    ["9999999999999999999ns", 'time: invalid duration "9999999999999999999ns"'],
    ["3000000h", 'time: invalid duration "3000000h"'],
    ["106752d", 'time: invalid duration "106752d"'],
  ])("rejects %j", (s, msg) => {
    expect(() => b["time.parse_duration_ns"](s)).toThrow(`time.parse_duration_ns: ${msg}`);
  });
});

describe("time.date / time.clock / time.weekday", () => {
  test.each([
    ["time.date", 1709164800000000000, "[2024,2,29]"],
    ["time.date", [1709164800000000000, "America/New_York"], "[2024,2,28]"],
    ["time.date", [1709164800000000000, ""], "[2024,2,29]"],
    ["time.date", -1, "[1969,12,31]"],
    ["time.date", 1.5e18, "[2017,7,14]"],
    // JSON numbers beyond 2^53, as a policy would pass them: the SDK rounds them the same way.
    // eslint-disable-next-line no-loss-of-precision
    ["time.date", 9223372036854775807, "[2262,4,11]"],
    ["time.date", -9223372036854775808, "[1677,9,21]"],
    // 2024-03-10 is the US spring-forward day: 07:00Z is 03:00 EDT, 06:00Z is 01:00 EST.
    ["time.clock", [1710054000000000000, "America/New_York"], "[3,0,0]"],
    ["time.clock", [1710050400000000000, "America/New_York"], "[1,0,0]"],
    ["time.clock", [1710054000000000000, "Asia/Calcutta"], "[12,30,0]"],
    ["time.clock", [1710054000000000000, "EST"], "[2,0,0]"],
    ["time.clock", [1710054000000000000, "Etc/GMT+5"], "[2,0,0]"],
    ["time.clock", [1710054000000000000, "UTC"], "[7,0,0]"],
    // eslint-disable-next-line no-loss-of-precision
    ["time.clock", 1709164800123456789, "[0,0,0]"],
    ["time.clock", -1, "[23,59,59]"],
    ["time.weekday", 1709164800000000000, '"Thursday"'],
    ["time.weekday", -1, '"Wednesday"'],
    ["time.weekday", [1710054000000000000, "Asia/Kolkata"], '"Sunday"'],
  ])("%s(%j) = %s", (name, arg, want) => {
    expect(call(name, arg)).toBe(want);
  });

  test("autumn DST change: the same wall hour happens twice in New York", () => {
    // 2024-11-03 05:30Z and 06:30Z are both 01:30 local (EDT, then EST).
    const first = Date.UTC(2024, 10, 3, 5, 30) * 1e6;
    const second = Date.UTC(2024, 10, 3, 6, 30) * 1e6;
    expect(b["time.clock"]([first, "America/New_York"])).toEqual([1, 30, 0]);
    expect(b["time.clock"]([second, "America/New_York"])).toEqual([1, 30, 0]);
  });

  test.each([
    ["time.date", [1709164800000000000, "Nope/Zone"], "time.date: unknown time zone Nope/Zone"],
    ["time.clock", [1710054000000000000, "asia/kolkata"], "time.clock: unknown time zone asia/kolkata"],
    ["time.date", "x", "time.date: invalid argument(s)"],
    ["time.date", [1], "time.date: invalid argument(s)"],
    ["time.clock", [1, "UTC", 3], "time.clock: invalid argument(s)"],
    ["time.date", 1.9, "time.date: timestamp too big"],
    ["time.date", 1e19, "time.date: timestamp too big"],
  ])("%s(%j) throws", (name, arg, msg) => {
    expect(() => b[name](arg)).toThrow(msg);
  });
});

describe("time.add_date", () => {
  test.each([
    // Jan 31 + 1 month = Mar 2 in a leap year, Mar 3 otherwise.
    [[1706659200000000000, 0, 1, 0], "1709337600000000000"],
    [[1706659200000000000, 1, 1, 0], "1740960000000000000"],
    // Feb 29 + 1 year = Mar 1; - 4 years = Feb 29 again.
    [[1709164800000000000, 1, 0, 0], "1740787200000000000"],
    [[1709164800000000000, -4, 0, 0], "1582934400000000000"],
    [[1709164800000000000, 0, -14, -400], "1637712000000000000"],
    // Operands arrive as doubles; this one is exact (a multiple of 256 ns).
    [[1709164800123456768, 0, 0, 1], "1709251200123456768"],
    [[-1, 0, 0, 1], "86399999999999"],
  ])("%j → %s", (args, want) => {
    expect(call("time.add_date", ...args)).toBe(want);
  });

  test.each([
    [[1709164800000000000, 300, 0, 0], "time.add_date: time outside of valid range"],
    [[1709164800000000000, -2000, 0, 0], "time.add_date: time outside of valid range"],
    [[1709164800000000000, 1.5, 0, 0], "time.add_date: operand 2 must be integer number but got floating-point number"],
    [[1.5, 1, 0, 0], "time.add_date: timestamp too big"],
  ])("%j throws", (args, msg) => {
    expect(() => b["time.add_date"](...args)).toThrow(msg);
  });
});

describe("time.now_ns", () => {
  test("is read once per builtin set, lazily, and exact", () => {
    let reads = 0;
    const set = createCustomBuiltins({
      now: () => {
        reads++;
        return 1767225600000000000n + BigInt(reads);
      },
    });
    expect(reads).toBe(0);
    expect(jsonOf(set["time.now_ns"]())).toBe("1767225600000000001");
    expect(jsonOf(set["time.now_ns"]())).toBe("1767225600000000001");
    expect(reads).toBe(1);
  });

  test("defaults to the real clock", () => {
    const before = BigInt(Date.now()) * 1_000_000n;
    const ns = BigInt(jsonOf(createCustomBuiltins()["time.now_ns"]()));
    expect(ns >= before).toBe(true);
    expect(ns - before < 3_600_000_000_000n).toBe(true);
  });
});

describe("time.diff", () => {
  test.each([
    [
      [1600000000000000000, 1709164800000000000],
      [3, 5, 15, 11, 33, 20],
    ],
    [
      [1709164800000000000, 1600000000000000000],
      [3, 5, 15, 11, 33, 20],
    ],
    [
      [[1709164800000000000, "America/New_York"], 1600000000000000000],
      [3, 5, 15, 10, 33, 20],
    ],
    [
      [1709164800000000000, 1709164800000000000],
      [0, 0, 0, 0, 0, 0],
    ],
    [
      [1706659200000000000, 1709251200000000000],
      [0, 1, 1, 0, 0, 0],
    ],
  ])("time.diff%j", (args, want) => {
    expect(b["time.diff"](...args)).toEqual(want);
  });

  test.each([
    [[1.5, 1], "time.diff: timestamp too big"],
    [["x", 1], "time.diff: invalid argument(s)"],
  ])("time.diff%j throws", (args, msg) => {
    expect(() => b["time.diff"](...args)).toThrow(msg);
  });
});

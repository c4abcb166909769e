import { unitsParse, unitsParseBytes } from "../../../src/policy/builtins/units.js";
import { jsonOf } from "./helpers.js";

// Expected values come from `opa eval --strict-builtin-errors` (opa v1.22.3).
describe("units.parse", () => {
  test.each([
    ["10K", "10000"],
    ["10k", "10000"],
    ["1.5Mi", "1572864"],
    ["100m", "0.1"],
    ["0.001m", "0.000001"],
    ["1e3", "1000"],
    ["1E3", "1000"],
    ["5e+3", "5000"],
    ["5e-3", "0.005"],
    ["10Ki", "10240"],
    ["10ki", "10240"],
    ["10KI", "10240"],
    ["1mi", "1048576"],
    ["5", "5"],
    ["0.5", "0.5"],
    [".5", "0.5"],
    ["5.", "5"],
    ["+5", "5"],
    ["-5M", "-5000000"],
    ['"5"', "5"],
    ["1g", "1000000000"],
    ["1T", "1000000000000"],
    ["1P", "1000000000000000"],
    ["1E", "1000000000000000000"],
    ["1e", "1000000000000000000"],
    ["2Ei", "2305843009213693952"],
    ["1.5e2Ki", "153600"],
    ["100000000000000000000000Ei", "115292150460684697600000000000000000000000"],
  ])("%s → %s", (s, want) => {
    expect(jsonOf(unitsParse(s))).toBe(want);
  });

  test.each([
    ["10KB", "unit Kb not recognized"],
    ["1Kix", "unit Kix not recognized"],
    ["1u", "unit u not recognized"],
    ["1_000", "unit _000 not recognized"],
    ["0x10", "unit x10 not recognized"],
    [" 5", "spaces not allowed in resource strings"],
    ["5 K", "spaces not allowed in resource strings"],
    ["", "no amount provided"],
    ["x", "no amount provided"],
    ["1e+", "could not parse amount to a number"],
    ["--5", "could not parse amount to a number"],
    ["5-", "could not parse amount to a number"],
    ["1.2.3", "could not parse amount to a number"],
    ["e5", "could not parse amount to a number"],
  ])("rejects %j", (s, msg) => {
    expect(() => unitsParse(s)).toThrow(`units.parse: units.parse: ${msg}`);
  });

  test("bounds hostile exponents instead of building a giant number", () => {
    expect(() => unitsParse("1e999999999")).toThrow("units.parse: units.parse: could not parse amount to a number");
  });

  test("rejects non-strings", () => {
    expect(() => unitsParse(5)).toThrow("units.parse: invalid argument(s)");
  });
});

describe("units.parse_bytes", () => {
  test.each([
    ["10KB", "10000"],
    ["1KiB", "1024"],
    ["1.5GiB", "1610612736"],
    ["10kb", "10000"],
    ["10k", "10000"],
    ["10", "10"],
    ["1.5", "1"],
    ["1.9", "1"],
    ["1.5K", "1500"],
    ["0.1", "0"],
    ["-1K", "-1000"],
    ["1e3", "1000"],
    ["10m", "10000000"],
    ["10MIB", "10485760"],
    ["10mi", "10485760"],
    ['"10M"', "10000000"],
    ["1EiB", "1152921504606846976"],
    ["16EiB", "18446744073709551616"],
  ])("%s → %s", (s, want) => {
    expect(jsonOf(unitsParseBytes(s))).toBe(want);
  });

  test.each([
    ["10B", "byte unit b not recognized"],
    ["1XB", "byte unit xb not recognized"],
    ["10 KB", "spaces not allowed in resource strings"],
    ["", "no byte amount provided"],
    ["x", "no byte amount provided"],
    ["1.1.1", "could not parse byte amount to a number"],
  ])("rejects %j", (s, msg) => {
    expect(() => unitsParseBytes(s)).toThrow(`units.parse_bytes: units.parse_bytes: ${msg}`);
  });
});

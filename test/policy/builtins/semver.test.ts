import { createCustomBuiltins } from "../../../src/policy/builtins/index.js";

// Expected values come from `opa eval --strict-builtin-errors` (opa v1.22.3).
const b = createCustomBuiltins();

describe("semver.is_valid", () => {
  test.each([
    ["1.2.3", true],
    ["v1.2.3", true],
    ["1.2.3-alpha.0a", true],
    ["1.2.3+build.01", true],
    ["1.2", false],
    ["01.2.3", false],
    ["1.2.3-alpha.01", false],
    ["1.2.3-", false],
    ["1.2.3+", false],
    ["1.2.3-a..b", false],
    [" 1.2.3", false],
    ["1.2.3-ü", false],
    ["99999999999999999999.0.0", false],
    [1, false],
  ])("%j → %s", (v, want) => {
    expect(b["semver.is_valid"](v)).toBe(want);
  });
});

describe("semver.compare", () => {
  test.each([
    ["1.2.3", "1.2.4", -1],
    ["1.0.0-alpha", "1.0.0", -1],
    ["1.0.0", "1.0.0-alpha", 1],
    ["1.0.0-alpha.1", "1.0.0-alpha.beta", -1],
    ["1.0.0-beta.11", "1.0.0-beta.2", 1],
    ["1.0.0-rc.1", "1.0.0-beta.11", 1],
    ["1.0.0+a", "1.0.0+b", 0],
    ["1.0.0-alpha", "1.0.0-alpha.1", -1],
    ["v1.0.0", "1.0.0", 0],
    ["10.0.0", "9.0.0", 1],
    ["1.0.0-a-b", "1.0.0-a", 1],
    ["1.0.0-B", "1.0.0-a", -1],
    ["1.0.0-9", "1.0.0-10", -1],
    ["1.0.0-99999999999999999999", "1.0.0-1", 1],
  ])("%s vs %s → %d", (a, c, want) => {
    expect(b["semver.compare"](a, c)).toBe(want);
  });

  test.each([
    [["1.0", "1.0.0"], 'semver.compare: operand 1: string "1.0" is not a valid SemVer'],
    [["1.0.0", "x"], 'semver.compare: operand 2: string "x" is not a valid SemVer'],
    [
      ["99999999999999999999.0.0", "1.0.0"],
      'semver.compare: operand 1: string "99999999999999999999.0.0" is not a valid SemVer',
    ],
    [[1, "1.0.0"], "semver.compare: invalid argument(s)"],
  ])("%j throws", (args, msg) => {
    expect(() => b["semver.compare"](...args)).toThrow(msg);
  });
});

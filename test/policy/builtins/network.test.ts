import { createCustomBuiltins } from "../../../src/policy/builtins/index.js";

// Expected values come from `opa eval --strict-builtin-errors` (opa v1.22.3).
const b = createCustomBuiltins();

describe("net.cidr_is_valid", () => {
  test.each([
    ["10.0.0.0/8", true],
    ["10.0.0.1/8", true],
    ["10.0.0.0/08", true],
    ["10.0.0.0/000008", true],
    ["::1/128", true],
    ["::/0", true],
    ["2001:db8::/32", true],
    ["::ffff:10.0.0.0/104", true],
    ["10.0.0.0", false],
    ["10.0.0.0/", false],
    ["10.0.0.0/33", false],
    ["10.0.0.0/+8", false],
    ["010.0.0.0/8", false],
    ["1.2.3/8", false],
  ])("net.cidr_is_valid(%j) = %s", (cidr, want) => {
    expect(b["net.cidr_is_valid"](cidr)).toBe(want);
  });

  test("rejects a non-string", () => {
    expect(() => b["net.cidr_is_valid"](1)).toThrow("net.cidr_is_valid: invalid argument(s)");
  });
});

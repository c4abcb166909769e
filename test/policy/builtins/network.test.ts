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

describe("net.cidr_contains_matches", () => {
  test.each([
    ["10.0.0.0/8", "10.1.2.3", [["10.0.0.0/8", "10.1.2.3"]]],
    [
      ["10.0.0.0/8", "192.168.0.0/16"],
      ["10.1.2.3", "192.168.1.1/24", "8.8.8.8"],
      [
        [0, 0],
        [1, 1],
      ],
    ],
    [
      { x: "10.0.0.0/8", y: ["172.16.0.0/12", "z"] },
      { p: "10.0.0.1", q: ["172.16.1.0/24", 1] },
      [
        ["x", "p"],
        ["y", "q"],
      ],
    ],
    [[["10.0.0.0/8"]], "10.0.0.1", [[0, "10.0.0.1"]]],
    ["10.0.0.0/8", [], []],
    ["::/0", "10.0.0.1", []],
    ["10.0.0.0/8", "10.0.0.0/7", []],
    ["0.0.0.0/0", "::ffff:10.0.0.1", [["0.0.0.0/0", "::ffff:10.0.0.1"]]],
    ["2001:db8::/32", "2001:db8:0:1::5", [["2001:db8::/32", "2001:db8:0:1::5"]]],
    ["2001:db8::/32", "2001:db9::5", []],
    [
      ["1::/112", "::ffff:0:0/96", "1:2:3:4:5:6::/96"],
      ["1::10.0.0.1", "::ffff:10.0.0.1", "1:2:3:4:5:6:7.8.9.10", "::"],
      [
        [1, 1],
        [2, 2],
      ],
    ],
  ])("net.cidr_contains_matches(%j, %j) = %j", (cidrs, addrs, want) => {
    expect(b["net.cidr_contains_matches"](cidrs, addrs)).toEqual(want);
  });

  test.each([
    ["10.0.0.0/8", "bad", "not a valid textual representation of an IP address or CIDR: bad"],
    ["10.0.0.0/8", "10.0.0.01", "not a valid textual representation of an IP address or CIDR: 10.0.0.01"],
    ["10.0.0.0/8", "10.0.0.1/40", "not a valid textual representation of an IP address or CIDR: 10.0.0.1/40"],
    ["bad", "10.0.0.1", "invalid CIDR address: bad"],
    ["10.0.0.0/8", 1, "invalid argument(s)"],
    ["10.0.0.0/8", ["10.0.0.1", 1], "invalid argument(s)"],
    [["10.0.0.0/8", 1], "10.0.0.1", "invalid argument(s)"],
    ["10.0.0.0/8", [[]], "operand 2: element must be string or non-empty array"],
  ])("net.cidr_contains_matches(%j, %j) fails", (cidrs, addrs, message) => {
    expect(() => b["net.cidr_contains_matches"](cidrs, addrs)).toThrow(`net.cidr_contains_matches: ${message}`);
  });
});

describe("net.cidr_expand", () => {
  test.each([
    [
      "10.0.0.0/28",
      ["10.0.0.0", "10.0.0.1", "10.0.0.10", "10.0.0.11", "10.0.0.12", "10.0.0.13", "10.0.0.14", "10.0.0.15"].concat([
        "10.0.0.2",
        "10.0.0.3",
        "10.0.0.4",
        "10.0.0.5",
        "10.0.0.6",
        "10.0.0.7",
        "10.0.0.8",
        "10.0.0.9",
      ]),
    ],
    ["10.0.0.1/31", ["10.0.0.0", "10.0.0.1"]],
    ["10.0.0.0/32", ["10.0.0.0"]],
    ["::/127", ["::", "::1"]],
    ["2001:db8:0:0:1::/126", ["2001:db8:0:0:1::", "2001:db8::1:0:0:1", "2001:db8::1:0:0:2", "2001:db8::1:0:0:3"]],
    ["::ffff:10.0.0.0/127", ["10.0.0.0", "10.0.0.1"]],
    ["fe80::1:0:0:0/127", ["fe80::1:0:0:0", "fe80::1:0:0:1"]],
  ])("net.cidr_expand(%j)", (cidr, want) => {
    expect(b["net.cidr_expand"](cidr)).toEqual(want);
  });

  test.each([
    ["bad", "net.cidr_expand: invalid CIDR address: bad"],
    ["10.0.0.1", "net.cidr_expand: invalid CIDR address: 10.0.0.1"],
    [1, "net.cidr_expand: invalid argument(s)"],
    // Not in OPA, which would try to build the whole range.
    ["10.0.0.0/8", "net.cidr_expand: 10.0.0.0/8 has more than 65536 addresses"],
  ])("net.cidr_expand(%j) fails", (cidr, message) => {
    expect(() => b["net.cidr_expand"](cidr)).toThrow(message);
  });
});

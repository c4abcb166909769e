import { createCustomBuiltins } from "../../../src/policy/builtins/index.js";

// Expected values come from `opa eval --strict-builtin-errors` (opa v1.22.3).
const b = createCustomBuiltins();

describe("strings.count", () => {
  test.each([
    ["cheese", "e", 3],
    ["aaaa", "aa", 2],
    ["héllo", "", 6],
    ["", "", 1],
    ["abc", "x", 0],
  ])("count(%j, %j) = %d", (s, t, want) => {
    expect(b["strings.count"](s, t)).toBe(want);
  });

  test("rejects non-strings", () => {
    expect(() => b["strings.count"]("abc", 1)).toThrow("strings.count: invalid argument(s)");
  });
});

describe("strings.any_prefix_match / any_suffix_match", () => {
  test.each([
    ["strings.any_prefix_match", "abc", ["x", "ab"], true],
    ["strings.any_prefix_match", ["x", "abc"], "ab", true],
    ["strings.any_prefix_match", ["abc"], ["b", "a"], true],
    ["strings.any_prefix_match", "abc", [], false],
    ["strings.any_suffix_match", "abc", "bc", true],
    ["strings.any_suffix_match", ["abc"], ["x"], false],
  ])("%s(%j, %j) = %s", (name, s, t, want) => {
    expect(b[name](s, t)).toBe(want);
  });

  test("rejects non-string elements", () => {
    expect(() => b["strings.any_prefix_match"]("abc", [1])).toThrow("strings.any_prefix_match: invalid argument(s)");
  });
});

describe("indexof_n and numbers.range_step", () => {
  test.each([
    [
      ["abcabc", "bc"],
      [1, 4],
    ],
    [
      ["héhé", "é"],
      [1, 3],
    ],
    [
      ["aaa", "aa"],
      [0, 1],
    ],
    [["abc", "x"], []],
  ])("indexof_n%j", (args, want) => {
    expect(b.indexof_n(...args)).toEqual(want);
  });

  test("indexof_n rejects an empty needle", () => {
    expect(() => b.indexof_n("abc", "")).toThrow("indexof_n: empty search character");
  });

  test.each([
    [
      [0, 10, 3],
      [0, 3, 6, 9],
    ],
    [
      [10, 0, 3],
      [10, 7, 4, 1],
    ],
    [[2, 2, 1], [2]],
  ])("numbers.range_step%j", (args, want) => {
    expect(b["numbers.range_step"](...args)).toEqual(want);
  });

  test("numbers.range_step rejects a zero step and huge ranges", () => {
    expect(() => b["numbers.range_step"](0, 10, 0)).toThrow(
      "numbers.range_step: numbers.range_step: step must be a positive integer",
    );
    expect(() => b["numbers.range_step"](0, 1e12, 1)).toThrow(/exceeds the limit/);
  });
});

describe("urlquery", () => {
  test.each([
    ["urlquery.encode", ["a b&c=d/é!*()~-_."], "a+b%26c%3Dd%2F%C3%A9%21%2A%28%29~-_."],
    ["urlquery.decode", ["a+b%26%C3%A9"], "a b&é"],
    ["urlquery.decode", ["%e9"], "\ufffd"],
    ["urlquery.encode_object", [{ b: "x y", a: ["1", "2"], c: ["y", "z"] }], "a=1&a=2&b=x+y&c=y&c=z"],
  ])("%s%j", (name, args, want) => {
    expect(b[name](...args)).toBe(want);
  });

  test.each([
    ["urlquery.decode", ["%zz"], 'urlquery.decode: invalid URL escape "%zz"'],
    ["urlquery.decode", ["a%"], 'urlquery.decode: invalid URL escape "%"'],
    ["urlquery.encode_object", [{ a: 1 }], "urlquery.encode_object: invalid argument(s)"],
  ])("%s%j throws", (name, args, msg) => {
    expect(() => b[name](...args)).toThrow(msg);
  });
});

describe("urlquery.decode_object", () => {
  test.each([
    ["a=1&b=2&a=3", { a: ["1", "3"], b: ["2"] }],
    ["a&b=&=c", { "": ["c"], a: [""], b: [""] }],
    ["", {}],
    ["x+y=a+b%20c", { "x y": ["a b c"] }],
  ])("urlquery.decode_object(%j)", (query, want) => {
    expect(b["urlquery.decode_object"](query)).toEqual(want);
  });

  test.each([
    ["a=%zz", 'urlquery.decode_object: invalid URL escape "%zz"'],
    ["a=1;b=2", "urlquery.decode_object: invalid semicolon separator in query"],
  ])("urlquery.decode_object(%j) fails", (query, message) => {
    expect(() => b["urlquery.decode_object"](query)).toThrow(message);
  });
});

describe("glob.quote_meta", () => {
  test.each([
    ["*.github.com", "\\*.github.com"],
    ["a[b]{c}?\\d!-,", "a\\[b\\]\\{c\\}\\?\\\\d!-,"],
    ["é", "é"],
  ])("glob.quote_meta(%j) = %j", (s, want) => {
    expect(b["glob.quote_meta"](s)).toBe(want);
  });
});

describe("strings.split_n", () => {
  test.each([
    ["a,b,c", ",", 2, ["a", "b"]],
    ["a,b,c", ",", 1, ["a"]],
    ["a,b,c", ",", 10, ["a", "b", "c"]],
    ["a,b,c", ",", 0, []],
    ["a,b,c", ",", -1, ["c"]],
    ["a,b,c,d", ",", -2, ["c", "d"]],
    ["a,b,c,d", ",", -10, ["a", "b", "c", "d"]],
    ["a,,b", ",", 3, ["a", "", "b"]],
    ["", ",", 2, [""]],
    ["a,b,c", "", 2, ["a", ","]],
    ["héllo", "", -1, ["o"]],
  ])("strings.split_n(%j, %j, %d) = %j", (s, d, n, want) => {
    expect(b["strings.split_n"](s, d, n)).toEqual(want);
  });

  test.each([
    ["a,b", ",", 1.5, "strings.split_n: operand 3 must be integer number but got floating-point number"],
    [1, ",", 1, "strings.split_n: invalid argument(s)"],
    ["a,b", 1, 3, "strings.split_n: invalid argument(s)"],
  ])("strings.split_n(%j, %j, %j) fails", (s, d, n, message) => {
    expect(() => b["strings.split_n"](s, d, n)).toThrow(message);
  });
});

import { createCustomBuiltins } from "../../../src/policy/builtins/index.js";

// Expected values come from `opa eval --strict-builtin-errors` (opa v1.22.3).
const b = createCustomBuiltins();

describe("regex.replace", () => {
  test.each([
    ["abc-123", "([a-z]+)-([0-9]+)", "${2}x", "123x"],
    // Go reads "$2_" and "$2x" as group names "2_" / "2x", which do not exist.
    ["abc-123", "([a-z]+)-([0-9]+)", "$2_$1", "abc"],
    ["abc-123", "([a-z]+)-([0-9]+)", "$2x", ""],
    ["abc-123", "(?P<w>[a-z]+)", "<${w}>", "<abc>-123"],
    ["abc", "(?P<n>b)", "$n$n", "abbc"],
    ["xAy", "(?i)a", "$0$0", "xAAy"],
    ["ABC abc", "(?i)abc", "x", "x x"],
    ["a.b", ".", "$$", "$$$"],
    ["a b", "\\s", "$", "a$b"],
    ["ab", "(a)(b)", "$1$", "a$"],
    ["abc", "(b)", "$01", "ac"],
    ["abc", "(b)", "${1", "a${1c"],
    ["abc", "b", "$9", "ac"],
    // Go skips an empty match right after a match; JS's replace would not.
    ["aaa", "a*", "-", "-"],
    ["abc", "", "-", "-a-b-c-"],
    ["héllo", "é", "e", "hello"],
    ["éa", "\\x{e9}", "_", "_a"],
    ["a1b2", "\\d", "#", "a#b#"],
    ["aXb", "\\p{Lu}", "_", "a_b"],
    ["aXb", "\\pL", "_", "___"],
    ["a b\u000bc", "\\s", "_", "a_b\u000bc"],
    ["x\ny", "^y", "Z", "x\ny"],
    ["x\ny", "(?m)^y", "Z", "x\nZ"],
    ["a\nb\n", "b$", "X", "a\nb\n"],
    ["a\nb", ".", "_", "_\n_"],
    ["a\nb", "(?s).", "_", "___"],
    ["abc", "\\Qa.\\E", "_", "abc"],
    ["a.c", "\\Qa.\\E", "_", "_c"],
    ["aaa", "a+?", "_", "___"],
    ["ab", "[[:alpha:]]", "_", "__"],
    ["a_b", "\\w+", "<$0>", "<a_b>"],
    ["a{b}", "{", "_", "a_b}"],
    ["a-b", "[\\-]", "_", "a_b"],
    ["a]b", "[]]", "_", "a_b"],
    ["a#b", "\\#", "_", "a_b"],
    ["ABCdef", "[A-Z&&[^B]]", "X", "ABCdef"],
    ["nginx:1.25-alpine", "^([^:]+):(.*)$", "$1 tag=$2", "nginx tag=1.25-alpine"],
    ["  trim  me ", "^\\s+|\\s+$", "", "trim  me"],
    ["CamelCaseString", "([a-z])([A-Z])", "${1}_$2", "Camel_Case_String"],
    ["\u{1F600}x\u{1F600}", ".", "-", "---"],
    ["\u{1F600}x\u{1F600}", "", "-", "-\u{1F600}-x-\u{1F600}-"],
    ["abc", "x*", "-", "-a-b-c-"],
    ["aaa bbb", "\\b", "|", "|aaa| |bbb|"],
    ["\u00fcber", "\\w", "W", "\u00fcWWW"],
    ["\u00c0", "(?i)\u00e0", "a", "a"],
    // Go syntax that a translation to JS RegExp could not express.
    ["ab", "(?i:A)b", "x", "x"],
    ["aaa", "(?U)a+", "x", "xxx"],
    ["a1", "[[:^alpha:]]", "_", "a_"],
    ["a b", "[\\S]", "_", "_ _"],
    ["aXbx", "(?i)x", "-", "a-b-"],
  ])("replace(%j, %j, %j) = %j", (s, pattern, value, want) => {
    expect(b["regex.replace"](s, pattern, value)).toBe(want);
  });

  test.each([
    ["(", "regex.replace: error parsing regexp: missing closing ): `(`"],
    ["a)", "regex.replace: error parsing regexp: unexpected ): `a)`"],
    ["a**", "regex.replace: error parsing regexp: invalid nested repetition operator: `**`"],
    ["[z-a]", "regex.replace: error parsing regexp: invalid character class range: `z-a`"],
    ["a(?=b)", "regex.replace: error parsing regexp: invalid or unsupported Perl syntax: `(?=`"],
    ["(ab)\\1", "regex.replace: error parsing regexp: invalid escape sequence: `\\1`"],
    ["a{1001}", "regex.replace: error parsing regexp: invalid repeat count: `{1001}`"],
  ])("rejects %j", (pattern, msg) => {
    expect(() => b["regex.replace"]("ab", pattern, "x")).toThrow(msg);
  });

  test("rejects non-string operands", () => {
    expect(() => b["regex.replace"]("ab", 1, "x")).toThrow("regex.replace: invalid argument(s)");
  });

  test("matches in linear time: a pattern that backtracks exponentially in JS answers at once", () => {
    // On a backtracking engine this call would not return in the lifetime of the suite.
    const s = "a".repeat(40) + "b";
    expect(b["regex.replace"](s, "^(a+)+$", "x")).toBe(s);
    expect(b["regex.find_n"]("(a|aa)+$", s, -1)).toEqual([]);
    expect(b["regex.split"]("(a*)*c", s)).toEqual([s]);
  });
});

describe("regex.find_n", () => {
  test.each([
    ["a[0-9]", "a1 a2 a3", 2, ["a1", "a2"]],
    ["a*", "baaab", -1, ["", "aaa", ""]],
    ["", "ab", -1, ["", "", ""]],
    ["[0-9]+", "a1 b22 c333", 0, []],
  ])("find_n(%j, %j, %d)", (pattern, s, n, want) => {
    expect(b["regex.find_n"](pattern, s, n)).toEqual(want);
  });
});

describe("regex.split", () => {
  test.each([
    ["\\d", "a1b2c", ["a", "b", "c"]],
    // Go leaves groups out; the SDK's JavaScript split spliced them in.
    ["(\\d)", "a1b2c", ["a", "b", "c"]],
    ["", "abc", ["a", "b", "c"]],
    ["x", "", [""]],
    ["", "", []],
    ["c", "abc", ["ab", ""]],
    ["a*", "aaa", ["", ""]],
    ["a*", "baaac", ["b", "c"]],
    [",\\s*", "x, y,z", ["x", "y", "z"]],
    ["^", "abc", ["abc"]],
  ])("split(%j, %j) = %j", (pattern, s, want) => {
    expect(b["regex.split"](pattern, s)).toEqual(want);
  });

  test("rejects bad patterns and operands in OPA's words", () => {
    expect(() => b["regex.split"]("(", "a")).toThrow("regex.split: error parsing regexp: missing closing ): `(`");
    expect(() => b["regex.split"]("a", 1)).toThrow("regex.split: invalid argument(s)");
  });
});

describe("regex.template_match", () => {
  test.each([
    ["urn:foo:{.*}", "urn:foo:bar:baz", "{", "}", true],
    ["urn:foo.{[a-z]+}:x", "urn:fooXbar:x", "{", "}", false],
    ["a<b{2}>c", "abbc", "<", ">", true],
    ["a<x<y>>c", "axyc", "<", ">", false],
    ["a{b}c", "abcd", "{", "}", false],
    ["a{b}c", "ab", "{", "}", false],
    ["{a|b}", "a", "{", "}", true],
    ["x{a|b}y", "xby", "{", "}", true],
    ["a$b{c}", "a$bc", "{", "}", true],
  ])("regex.template_match(%j, %j, %j, %j) = %s", (tpl, value, start, end, want) => {
    expect(b["regex.template_match"](tpl, value, start, end)).toBe(want);
  });

  test.each([
    ["urn:foo:{[a-z]+", "{", "}", 'unbalanced braces in "urn:foo:{[a-z]+"'],
    ["urn:foo:[a-z]+}", "{", "}", 'unbalanced braces in "urn:foo:[a-z]+}"'],
    ["a<(>c", "<", ">", "error parsing regexp: missing closing ): `^($`"],
    ["x", "", "}", "start delimiter has to be exactly one character long but is 0 long"],
    ["urn:{{.*}}", "{{", "}}", "start delimiter has to be exactly one character long but is 2 long"],
    ["x", "{", "}}", "end delimiter has to be exactly one character long but is 1 long"],
  ])("regex.template_match(%j, …, %j, %j) fails", (tpl, start, end, message) => {
    expect(() => b["regex.template_match"](tpl, "x", start, end)).toThrow(`regex.template_match: ${message}`);
  });

  test("rejects non-strings", () => {
    expect(() => b["regex.template_match"](1, "x", "{", "}")).toThrow("regex.template_match: invalid argument(s)");
  });
});

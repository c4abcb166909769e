import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { goSprintf, installSprintfOverride } from "../../../src/policy/builtins/sprintf.js";

// Expected values come from `opa eval 'sprintf(...)'` (opa v1.22.3).
describe("goSprintf", () => {
  test.each([
    ["%v %v %d %s", [["a", 1], { k: "v" }, 3, 2], '["a", 1] {"k": "v"} 3 %!s(int64=2)'],
    ["%d", [1.5], "%!d(float64=1.5)"],
    ["%s", [[1, "a"]], '[1, "a"]'],
    ["%q %x %t %%", ['a"b', 255, true], '"a\\"b" ff %!t(string=true) %'],
    ["%5d|%-5s|%.2f|%05.1f", [42, "ab", 3.14159, 2.5], "   42|ab   |3.14|002.5"],
    ["%v", [null], "null"],
    ["%s", [null], "null"],
    ["%d", ["x"], "%!d(string=x)"],
    ["%v %v", [1], "1 %!v(MISSING)"],
    ["%v", [1, 2], "1%!(EXTRA int64=2)"],
    ["%x", ["hi"], "6869"],
    ["%X", [255], "FF"],
    ["%e", [1234.5], "1.234500e+03"],
    ["%v", [0.1], "0.1"],
    ["%g", [0.000001], "1e-06"],
    ["%f", [1], "%!f(int64=1)"],
    ["%v", [{ b: 1, a: [true, null] }], '{"a": [true, null], "b": 1}'],
    ["%q", [1], "'\\x01'"],
    ["%T", [1], "int64"],
    ["%o %b %c %U", [8, 5, 65, 65], "10 101 A U+0041"],
    ["%+d % d", [5, 5], "+5  5"],
    ["%s", [{ a: "x" }], '{"a": "x"}'],
    ["%v", ["a\nb"], "a\nb"],
    ["%v", [["a\nb"]], '["a\\nb"]'],
    ["%*d", [5, 3], "    3"],
    ["%", [], "%!(NOVERB)"],
    ["%z", [1], "%!z(int64=1)"],
    ["%!", [1], "%!!(int64=1)"],
    ["%.3s", ["abcdef"], "abc"],
    ["%6.2f", [-3.14159], " -3.14"],
    ["%t", ["x"], "%!t(string=x)"],
    ["%s", [1.5], "%!s(float64=1.5)"],
    ["%v", [-0.5], "-0.5"],
    ["%v", [3e-7], "3e-07"],
    ["%v", [123456789012], "123456789012"],
    ["%[2]v %[1]v", [1, 2], "2 1"],
    ["%[1]d %[1]x %d", [255, 1], "255 ff 1"],
    ["%v", [1234567.5], "1.2345675e+06"],
    ["%v", [123456.5], "123456.5"],
    ["%v", [-1234567.5], "-1.2345675e+06"],
    ["%v", [123456789.125], "1.23456789125e+08"],
    ["%.3g|%g|%G", [1234.5678, 0.00001234, 1e-7], "1.23e+03|1.234e-05|1E-07"],
    ["%g", [1000000.5], "1.0000005e+06"],
    ["%08.3f|%-8d|%+.2e", [-3.14159, 42, 12345.678], "-003.142|42      |+1.23e+04"],
    ["%q", ["héllo\n\u0001"], '"héllo\\n\\x01"'],
    ["%+q", ["héllo"], '"h\\u00e9llo"'],
    ["%x|% x|%#x|%X", ["hé", "ab", 255, "hi"], "68c3a9|61 62|0xff|6869"],
    ["%v", [{ b: [1, { c: null }], a: 'x"y' }], '{"a": "x\\"y", "b": [1, {"c": null}]}'],
    ["%d items", [[1, 2]], "%!d(string=[1, 2]) items"],
    ["%05d|%.5d|%x|%o|%#o|%b", [-42, 42, -255, 8, 8, 5], "-0042|00042|-ff|10|010|101"],
    ["%c|%q|%U|%#U", [233, 233, 233, 233], "é|'é'|U+00E9|U+00E9 'é'"],
    ["%6.2s|%-6s|%06s", ["abc", "ab", "ab"], "    ab|ab    |0000ab"],
    ["%v|%v", [true, false], "true|false"],
    ["%e", [0], "%!e(int64=0)"],
    ["%g", [100000], "%!g(int64=100000)"],
    // Exact ties round half to even, as Go does (JS toFixed would give "3|0.3").
    ["%.0f|%.1f", [2.5, 0.25], "2|0.2"],
    ["%s", [{ a: "é" }], '{"a": "é"}'],
    [
      "%x|%x|%x|%X|%x",
      [1.5, 0.1, -2.5, 1.5, 1e300],
      "0x1.8p+00|0x1.999999999999ap-04|-0x1.4p+01|0X1.8P+00|0x1.7e43c8800759cp+996",
    ],
    ["%x", [5e-324], "0x1p-1074"],
    ["%.2x", [0.1], "0x1.9ap-04"],
    ["%8.3f|%-8.2f|%+v", [1.5, 2.25, 1.5], "   1.500|2.25    |1.5"],
    ["%v", [1e21], "1e+21"],
    ["%s", [true], "true"],
    ["%.3v|%5.1v|", [3.14159, 2.25], "3.14|    2|"],
    ["%.1f|%.2f|%.0e|%.17g", [0.05, 1.005, 15.5, 0.1], "0.1|1.00|2e+01|0.10000000000000001"],
    ["%v|%v|%v", [0.00001, 0.0001, 100000.5], "1e-05|0.0001|100000.5"],
    ["%#q|%#q|%q", ["abc", "a`b", "\u00e9\u2028"], '`abc`|"a`b"|"\u00e9\\u2028"'],
    ["%08d|%+08d|%-08d|%x|%.0d|%5.3d", [-5, 5, 5, -1, 0, 7], "-0000005|+0000005|5       |-1||  007"],
    [
      "%[3]v|%[0]v|%[x]v|%-5%|%.*f|%*s|",
      [1, 2],
      "%!v(BADINDEX)|%!v(BADINDEX)|%!v(BADINDEX)|%|%!f(int64=2)|%!(BADWIDTH)%!s(MISSING)|",
    ],
    ["%.*f|%*s|", [2, 3.14159, -4, "a"], "3.14|a   |"],
    ["%v", [["\u0000\u00e9\u200b"]], '["\\x00\u00e9\\u200b"]'],
  ])("sprintf(%j, %j) = %j", (format, args, want) => {
    expect(goSprintf(format, args)).toBe(want);
  });
});

describe("installSprintfOverride", () => {
  // The SDK's CommonJS builtins table, the same object opa.js dispatches through.
  const require = createRequire(import.meta.url);
  const table = require(join(dirname(require.resolve("@open-policy-agent/opa-wasm")), "builtins", "index.js"));

  test("replaces the SDK's sprintf, idempotently", () => {
    expect(table.sprintf("%v", [["a"]])).not.toBe('["a"]'); // sprintf-js's behaviour before
    installSprintfOverride();
    const first = table.sprintf;
    installSprintfOverride();
    expect(table.sprintf).toBe(first);
    expect(table.sprintf("%v", [["a"]])).toBe('["a"]');
    expect(() => table.sprintf(1, [])).toThrow("sprintf: invalid argument(s)");
  });
});

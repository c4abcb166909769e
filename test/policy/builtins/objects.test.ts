import { createCustomBuiltins } from "../../../src/policy/builtins/index.js";

// Expected values come from `opa eval --strict-builtin-errors` (opa v1.22.3).
const b = createCustomBuiltins();

describe("object.subset", () => {
  test.each([
    [{ a: 1, b: { c: [1, 2, 3] } }, { b: { c: [2, 3] } }, true],
    [{ a: 1 }, { a: 1.0 }, true],
    [{ a: { b: 1 } }, { a: {} }, true],
    [{ a: 1 }, { b: 1 }, false],
    [{ a: [1, 2, 3] }, { a: [1, 3] }, false],
    [{ a: [{ x: 1, y: 2 }] }, { a: [{ x: 1 }] }, false],
    [{}, {}, true],
    [[1, 2, 3], [2, 3], true],
    [[1, 2, 3], [1, 3], false],
    [[1, 2, 3], [], true],
    [[1, 2, 1, 2, 3], [1, 2, 3], true],
    [[{ a: 1, b: 2 }], [{ a: 1 }], false],
    [[[1, 2], 3], [[1]], false],
    [[], [], true],
  ])("object.subset(%j, %j) = %s", (sup, sub, want) => {
    expect(b["object.subset"](sup, sub)).toBe(want);
  });

  test("rejects an object against an array, and non-collections", () => {
    expect(() => b["object.subset"]({ a: 1 }, [1])).toThrow(
      "object.subset: both arguments object.subset must be of the same type or array and set",
    );
    expect(() => b["object.subset"]([1], { a: 1 })).toThrow("must be of the same type or array and set");
    expect(() => b["object.subset"]("a", [1])).toThrow("object.subset: invalid argument(s)");
    expect(() => b["object.subset"](1, 1)).toThrow("object.subset: invalid argument(s)");
  });
});

describe("trace", () => {
  test("is true for a string and changes nothing", () => {
    expect(b.trace("x")).toBe(true);
  });

  test("rejects a non-string note", () => {
    expect(() => b.trace(1)).toThrow("trace: invalid argument(s)");
  });
});

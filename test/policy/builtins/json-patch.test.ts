import { createCustomBuiltins } from "../../../src/policy/builtins/index.js";

// Expected values come from `opa eval --strict-builtin-errors` (opa v1.22.3).
const b = createCustomBuiltins();
const patch = (doc: unknown, ops: unknown) => b["json.patch"](doc, ops);

describe("json.patch", () => {
  test.each([
    [{ a: 1 }, [{ op: "add", path: "/b", value: 2 }], { a: 1, b: 2 }],
    [{ a: [1, 2] }, [{ op: "add", path: "/a/-", value: 3 }], { a: [1, 2, 3] }],
    [{ a: [1, 2] }, [{ op: "add", path: "/a/1", value: 9 }], { a: [1, 9, 2] }],
    [{ a: [1, 2] }, [{ op: "add", path: ["a", 1], value: 9 }], { a: [1, 9, 2] }],
    [{ a: [1, 2] }, [{ op: "remove", path: "/a/0" }], { a: [2] }],
    [{ a: 1 }, [{ op: "replace", path: "/a", value: 5 }], { a: 5 }],
    [{ a: 1 }, [{ op: "move", from: "/a", path: "/b" }], { b: 1 }],
    [{ a: 1 }, [{ op: "copy", from: "/a", path: "/b" }], { a: 1, b: 1 }],
    [{ a: 1 }, [{ op: "test", path: "/a", value: 1 }], { a: 1 }],
    [{ a: 1 }, [{ op: "test", path: "", value: { a: 1 } }], { a: 1 }],
    [
      { "a~b": 1, "c/d": 2 },
      [
        { op: "remove", path: "/a~0b" },
        { op: "remove", path: "/c~1d" },
      ],
      {},
    ],
    [{ a: 1 }, [{ op: "add", path: "", value: [9] }], [9]],
    [{ a: 1 }, [{ op: "add", path: "b", value: 2 }], { a: 1, b: 2 }],
    [{ a: 1 }, [{ op: "add", path: ["b"], value: 2 }], { a: 1, b: 2 }],
    [{ a: { x: 1 } }, [{ op: "add", path: ["a", "y"], value: 2 }], { a: { x: 1, y: 2 } }],
    [{ a: [{ b: 1 }] }, [{ op: "add", path: "/a/0/c", value: 1 }], { a: [{ b: 1, c: 1 }] }],
    [{ a: 1 }, [{ op: "add", path: "/", value: 2 }], { "": 2, a: 1 }],
    [{ a: 1 }, [], { a: 1 }],
    [1, [{ op: "replace", path: "", value: 2 }], 2],
  ])("json.patch(%j, %j) = %j", (doc, ops, want) => {
    expect(patch(doc, ops)).toEqual(want);
  });

  test("leaves its argument unchanged", () => {
    const doc = { a: [1, 2], b: { c: 1 } };
    patch(doc, [
      { op: "remove", path: "/a/0" },
      { op: "add", path: "/b/d", value: 2 },
    ]);
    expect(doc).toEqual({ a: [1, 2], b: { c: 1 } });
  });

  test.each([
    [{ a: 1 }, [{ op: "remove", path: "/x" }], 'cannot delete child key "x" that does not exist'],
    [{ a: 1 }, [{ op: "replace", path: "/b", value: 5 }], 'cannot delete child key "b" that does not exist'],
    [
      { a: 1 },
      [{ op: "test", path: "/a", value: 2 }],
      "value from EditTree != patch value.\n\nExpected: 2\n\nFound: 1",
    ],
    [{ a: 1 }, [{ op: "bogus", path: "/a" }], "unrecognized op: 'bogus'"],
    [{ a: 1 }, [{ path: "/a" }], "missing required attribute 'op'"],
    [{ a: 1 }, [{ op: "add", path: "/b" }], "missing required attribute 'value'"],
    [{ a: 1 }, [{ op: "move", path: "/b" }], "missing required attribute 'from'"],
    [{ a: 1 }, [{ op: "add", path: "/x/y", value: 1 }], 'path "x" does not exist in object term {"a": 1}'],
    [{ a: 1 }, [{ op: "move", from: "/x", path: "/b" }], 'path "x" does not exist in object term {"a": 1}'],
    [{ a: 1 }, [{ op: "test", path: "/x", value: 1 }], 'path "x" does not exist in object term {"a": 1}'],
    [{ a: 1 }, [{ op: "add", path: ["b", true], value: 1 }], 'path "b" does not exist in object term {"a": 1}'],
    [
      { a: 1 },
      [{ op: "add", path: ["a", "b"], value: 1 }],
      "expected composite type, found value: 1 (type: ast.Number)",
    ],
    [
      { a: "s" },
      [{ op: "add", path: "/a/b", value: 1 }],
      'expected composite type, found value: "s" (type: ast.String)',
    ],
    [{ a: [1] }, [{ op: "add", path: "/a/5", value: 1 }], "index for array insertion out of bounds"],
    [{ a: [1, 2] }, [{ op: "add", path: "/a/-1", value: 9 }], "index for array insertion out of bounds"],
    [{ a: [1, 2] }, [{ op: "replace", path: "/a/2", value: 9 }], "index for array delete out of bounds"],
    [{ a: [1, 2] }, [{ op: "remove", path: "/a/2" }], "index for array delete out of bounds"],
    [{ a: [1, 2] }, [{ op: "remove", path: "/a/-" }], "index for array delete out of bounds"],
    [{ a: [1, 2] }, [{ op: "remove", path: "/a/x" }], "invalid string for indexing"],
    [{ a: [1, 2] }, [{ op: "add", path: "/a/x/y", value: 1 }], "invalid string for indexing"],
    [{ a: [1, 2] }, [{ op: "add", path: "/a/5/x", value: 1 }], "path 5 does not exist in array term [1, 2]"],
    [{ a: [1, 2] }, [{ op: "add", path: "/a/01", value: 3 }], "leading zeros are not allowed in JSON paths"],
    [
      { a: 1 },
      [{ op: "add", path: 1, value: 1 }],
      "operand 2 must be one of {set, array} containing string paths or array of path segments but got number",
    ],
    [{ a: 1 }, [{ op: 1, path: "/a", value: 1 }], "invalid argument(s)"],
    [{ a: 1 }, [1], "invalid argument(s)"],
    [{ a: 1 }, { op: "add" }, "invalid argument(s)"],
  ])("json.patch(%j, %j) fails: %s", (doc, ops, message) => {
    expect(() => patch(doc, ops)).toThrow(`json.patch: ${message}`);
  });

  test("removing the whole document is an error (opa v1.22.3 crashes on it)", () => {
    expect(() => patch({ a: 1 }, [{ op: "remove", path: "" }])).toThrow("json.patch: cannot remove the document root");
  });
});

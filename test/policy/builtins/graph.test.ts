import { createCustomBuiltins } from "../../../src/policy/builtins/index.js";

// Expected values come from `opa eval --strict-builtin-errors` (opa v1.22.3).
const b = createCustomBuiltins();

describe("graph.reachable_paths", () => {
  test.each([
    [{ a: ["b"], b: ["c"], c: [] }, ["a"], [["a", "b", "c"]]],
    [
      { a: ["b", "c"], b: ["d"], c: ["d"], d: [] },
      ["a"],
      [
        ["a", "b", "d"],
        ["a", "c", "d"],
      ],
    ],
    [{ a: ["b"], b: ["a"] }, ["a"], [["a", "b"]]],
    [{ a: ["b"], b: ["c"], c: ["b"] }, ["a"], [["a", "b", "c"]]],
    [
      { b: ["a"], a: ["c", "b"], c: [] },
      ["a", "b"],
      [
        ["a", "b"],
        ["a", "c"],
        ["b", "a"],
        ["b", "a", "c"],
      ],
    ],
    [{ a: ["x"] }, ["a"], [["a"]]],
    [{ a: [1] }, ["a"], [["a"]]],
    [{ a: [] }, ["a"], [["a"]]],
    [{ a: [] }, ["z"], []],
    [{ a: ["b"], b: [] }, [], []],
  ])("graph.reachable_paths(%j, %j) = %j", (graph, initial, want) => {
    expect(b["graph.reachable_paths"](graph, initial)).toEqual(want);
  });

  test.each([
    [{ a: ["b"], b: null }, ["a", "z"]],
    [{ a: "b" }, ["a"]],
    [[], ["a"]],
    [{ a: ["b"], b: [] }, "a"],
  ])("graph.reachable_paths(%j, %j) fails", (graph, initial) => {
    expect(() => b["graph.reachable_paths"](graph, initial)).toThrow("graph.reachable_paths: invalid argument(s)");
  });
});

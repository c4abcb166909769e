import { findExcessiveNesting, PARSER_DEPTH_GUARD } from "../../src/manifests/guard.js";

describe("findExcessiveNesting", () => {
  it("accepts ordinary manifests", () => {
    const yaml =
      "apiVersion: v1\nkind: ConfigMap\ndata:\n  a: '[[['\n  b: \"{{{\"\n  c: |\n    " +
      "[".repeat(500) +
      "\n  d: x # " +
      "{".repeat(500) +
      "\n";
    expect(findExcessiveNesting(yaml)).toBe(-1);
  });

  it("flags deep flow nesting at its line", () => {
    const yaml = "a: 1\nb: " + "[".repeat(PARSER_DEPTH_GUARD + 1) + "\n";
    expect(findExcessiveNesting(yaml)).toBe(5);
  });

  it("flags compact block sequences and deep indentation", () => {
    expect(findExcessiveNesting("- ".repeat(PARSER_DEPTH_GUARD) + "x")).toBe(0);
    let s = "";
    for (let i = 0; i < PARSER_DEPTH_GUARD; i++) s += " ".repeat(i) + "k:\n";
    expect(findExcessiveNesting(s)).toBeGreaterThan(0);
  });

  it("resets at document markers so an unterminated quote cannot hide the next document", () => {
    const yaml = "a: 'open\n---\nb: " + "[".repeat(PARSER_DEPTH_GUARD + 1) + "\n";
    expect(findExcessiveNesting(yaml)).toBe(13);
  });
});

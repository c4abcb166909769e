import { compileCustom } from "../../src/schema/custom.js";
import { SchemaLoadError } from "../../src/schema/errors.js";

// A repository's (or a pull request's proposed) JSON Schema `pattern` runs with RE2 semantics: linear time.
// With a backtracking engine, `^(a+)+$` against 40 a's and a "!" takes about 2^40 steps: this test would not end.
const evil = "a".repeat(40) + "!";

describe("custom schema patterns (issue 11 item 1, schemas)", () => {
  test("a catastrophic `pattern` and `patternProperties` validate in linear time, with the usual results", () => {
    const schema = compileCustom({
      source: "schemas/evil.json",
      kind: "ConfigMap",
      schema: {
        type: "object",
        properties: { data: { type: "object", properties: { name: { type: "string", pattern: "^(a+)+$" } } } },
        patternProperties: { "^(x+)+y$": { type: "string" } },
      },
    });
    expect(schema.validate({ data: { name: evil } })).toBe(false);
    expect(schema.validate.errors?.[0]).toMatchObject({ keyword: "pattern", instancePath: "/data/name" });
    expect(schema.validate({ data: { name: "aaaa" } })).toBe(true);
    expect(schema.validate({ ["x".repeat(40) + "y"]: 1 })).toBe(false);
    expect(schema.validate({ ["x".repeat(40) + "!"]: 1 })).toBe(true);
  });

  test("JavaScript syntax is accepted; a pattern RE2 cannot run (lookahead) is a located load error", () => {
    const ok = compileCustom({
      source: "s.json",
      kind: "K",
      schema: { type: "string", pattern: "^[a-z]\\/\\d{2,}\\u00e9$" },
    });
    expect(ok.validate("a/12é")).toBe(true);
    expect(() =>
      compileCustom({ source: "schemas/look.json", kind: "K", schema: { type: "string", pattern: "^(?=a)" } }),
    ).toThrow(SchemaLoadError);
  });
});

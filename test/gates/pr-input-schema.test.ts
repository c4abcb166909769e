import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import tsjsg from "ts-json-schema-generator";

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = { [key: string]: unknown };

const schema = readJson("../../schemas/pr-input.schema.json") as Schema;
const example = readJson("../fixtures/pr-input.example.json") as { [key: string]: Json };

function readJson(rel: string): unknown {
  return JSON.parse(readFileSync(new URL(rel, import.meta.url), "utf8"));
}

function validator() {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  return ajv.compile(schema);
}

const validate = validator();

function errorsOf(input: unknown): string[] {
  validate(input);
  return (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}`);
}

/** A deep copy of the example with one change applied. */
function mutated(change: (input: any) => void): unknown {
  const copy = structuredClone(example);
  change(copy);
  return copy;
}

/** Every object schema below `s`, keyed by the JSON path of instances it describes ("/reviews/*"). */
function objectSchemas(s: Schema, path = "", out = new Map<string, Schema>()): Map<string, Schema> {
  if (s.type === "object" || (Array.isArray(s.type) && s.type.includes("object"))) out.set(path, s);
  for (const [key, sub] of Object.entries((s.properties ?? {}) as Record<string, Schema>))
    objectSchemas(sub, `${path}/${key}`, out);
  if (s.items) objectSchemas(s.items as Schema, `${path}/*`, out);
  for (const alt of (s.anyOf ?? []) as Schema[]) objectSchemas(alt, path, out);
  return out;
}

/** Paths ("/reviews/*\/teams") of every field of a JSON value, array indices written as "*". */
function fieldPaths(value: Json, path = "", out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) fieldPaths(v, `${path}/*`, out);
  else if (value !== null && typeof value === "object")
    for (const [k, v] of Object.entries(value)) {
      out.add(`${path}/${k}`);
      fieldPaths(v, `${path}/${k}`, out);
    }
  return out;
}

/** Paths of every property the schema declares, same notation. */
function schemaPaths(s: Schema, path = "", out = new Set<string>()): Set<string> {
  for (const [key, sub] of Object.entries((s.properties ?? {}) as Record<string, Schema>)) {
    out.add(`${path}/${key}`);
    schemaPaths(sub, `${path}/${key}`, out);
  }
  if (s.items) schemaPaths(s.items as Schema, `${path}/*`, out);
  // alternatives (a verified_by entry: a name or a mapping) describe the same instance path
  for (const alt of (s.anyOf ?? []) as Schema[]) schemaPaths(alt, path, out);
  return out;
}

describe("schemas/pr-input.schema.json", () => {
  test("accepts the complete example input", () => {
    expect(errorsOf(example)).toEqual([]);
  });

  test.each([
    ["an unknown top-level field", (i: any) => (i.extra = 1), "/ must NOT have additional properties"],
    ["a missing environment", (i: any) => delete i.environment, "/ must have required property 'environment'"],
    [
      "a wrong environment mode",
      (i: any) => (i.environment.mode = "block"),
      "/environment/mode must be equal to one of the allowed values",
    ],
    ["a string PR number", (i: any) => (i.pull_request.number = "42"), "/pull_request/number must be integer"],
    [
      "an unknown review state",
      (i: any) => (i.reviews[0].state = "LGTM"),
      "/reviews/0/state must be equal to one of the allowed values",
    ],
    ["a review without teams", (i: any) => delete i.reviews[1].teams, "/reviews/1 must have required property 'teams'"],
    [
      "a non-hex commit SHA",
      (i: any) => (i.commits[0].sha = "not-a-sha"),
      '/commits/0/sha must match pattern "^[0-9a-f]{7,64}$"',
    ],
    ["a verified flag as string", (i: any) => (i.commits[1].verified = "false"), "/commits/1/verified must be boolean"],
    [
      "an unknown verification state",
      (i: any) => (i.promotion.verification[0].state = "green"),
      "/promotion/verification/0/state must be equal to one of the allowed values",
    ],
    ["negative now_ns", (i: any) => (i.now_ns = -1), "/now_ns must be >= 0"],
    [
      "a malformed soak",
      (i: any) => (i.gates.soak = "an hour"),
      '/gates/soak must match pattern "^(?=\\d)(?:\\d+d)?(?:\\d+h)?(?:\\d+m)?(?:\\d+s)?$"',
    ],
    [
      "a freeze URL that is not a URL",
      (i: any) => (i.freeze.active[1].url = "issue 123"),
      '/freeze/active/1/url must match format "uri"',
    ],
  ])("rejects %s", (_name, change, error) => {
    expect(errorsOf(mutated(change))).toContain(error);
  });

  test("accepts a minimal input without the lazily gathered facts", () => {
    const minimal = mutated((i) => {
      for (const k of ["reviews", "commits", "promotion", "freeze"]) delete i[k];
      i.gates = {};
    });
    expect(errorsOf(minimal)).toEqual([]);
  });

  test("every field of the example is declared in the schema", () => {
    const declared = schemaPaths(schema);
    const undeclared = [...fieldPaths(example)].filter((p) => !declared.has(p));
    expect(undeclared).toEqual([]);
  });

  test("the example exercises every field the schema declares", () => {
    const used = fieldPaths(example);
    expect([...schemaPaths(schema)].filter((p) => !used.has(p))).toEqual([]);
  });

  test("every property in the schema has a description", () => {
    const undocumented: string[] = [];
    // Items of a list of strings are described by the list.
    const visit = (s: Schema, path: string) => {
      if (path && !path.endsWith("*") && typeof s.description !== "string") undocumented.push(path);
      if (path.endsWith("*") && s.type === "object" && typeof s.description !== "string") undocumented.push(path);
      for (const [key, sub] of Object.entries((s.properties ?? {}) as Record<string, Schema>))
        visit(sub, `${path}/${key}`);
      if (s.items) visit(s.items as Schema, `${path}/*`);
    };
    visit(schema, "");
    expect(typeof schema.description).toBe("string");
    expect(undocumented).toEqual([]);
  });

  test("every object in the schema except gates rejects unknown fields", () => {
    const open = [...objectSchemas(schema)].filter(([, s]) => s.additionalProperties !== false).map(([p]) => p);
    expect(open).toEqual(["/gates"]);
  });

  test("declares the same fields as the PrInput TypeScript type", () => {
    // The type is the contract; generate its schema and compare field paths.
    const generated = tsjsg
      .createGenerator({
        path: new URL("../../src/gate/pr-input.ts", import.meta.url).pathname,
        type: "PrInput",
        skipTypeCheck: true,
        topRef: false,
        expose: "none",
      })
      .createSchema("PrInput") as Schema;
    const fromType = schemaPaths(generated);
    // `gates` is a free-form record in the type; the schema documents its known keys.
    const fromSchema = new Set([...schemaPaths(schema)].filter((p) => !p.startsWith("/gates/")));
    expect([...fromSchema].sort()).toEqual([...fromType].sort());
    // And the example has the type's shape (the generated schema is draft-07).
    const typeValidator = new Ajv({ strict: false, allErrors: true }).compile(generated);
    typeValidator(example);
    expect(typeValidator.errors ?? []).toEqual([]);
  });
});

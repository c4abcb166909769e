import { Ajv, type Options } from "ajv";
import type { RegExpEngine } from "ajv/dist/types/index.js";
import { Ajv2019 } from "ajv/dist/2019.js";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { RE2JS } from "re2js";

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv,
) => Ajv;

export type AnyAjv = Ajv;

/**
 * `pattern` and `patternProperties` with RE2 semantics (linear time): schemas come from repositories and pull
 * requests, and a backtracking `^(a+)+$` would hang the process on one crafted manifest value. JavaScript syntax is
 * translated; what RE2 cannot do (lookaround, backreferences) fails the schema's compilation, located.
 */
const re2: RegExpEngine = Object.assign((pattern: string) => RE2JS.compile(RE2JS.translateRegExp(pattern)), {
  code: "re2js",
});

/** allErrors: report every problem at once; strict: false: tolerate unknown keywords (x-kubernetes-*). */
const OPTIONS: Options = {
  allErrors: true,
  strict: false,
  verbose: true,
  validateFormats: true,
  code: { regExp: re2 },
};

export type Draft = "draft-07" | "2019-09" | "2020-12";

/** The draft a schema asks for with `$schema`, or an explanation of why it cannot be used. */
export function draftOf(schema: object): Draft | { unsupported: string } {
  const id = (schema as { $schema?: unknown }).$schema;
  if (id === undefined) return "draft-07";
  if (typeof id !== "string") return { unsupported: "$schema must be a string" };
  if (/json-schema\.org\/draft-0[67]\/schema#?$/.test(id)) return "draft-07";
  if (/json-schema\.org\/draft\/2019-09\/schema#?$/.test(id)) return "2019-09";
  if (/json-schema\.org\/draft\/2020-12\/schema#?$/.test(id)) return "2020-12";
  return { unsupported: `unsupported $schema ${JSON.stringify(id)} (use draft-07, 2019-09 or 2020-12)` };
}

export function createAjv(draft: Draft): Ajv {
  const ajv =
    draft === "2020-12" ? new Ajv2020(OPTIONS) : draft === "2019-09" ? new Ajv2019(OPTIONS) : new Ajv(OPTIONS);
  addFormats(ajv);
  return ajv;
}

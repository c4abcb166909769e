import { createRequire } from "node:module";
import type { Ajv, Options } from "ajv";
import type { RegExpEngine } from "ajv/dist/types/index.js";

// Ajv, its formats and RE2 are loaded on the first schema compiled, not at start-up: a run without schemas (or a
// CLI start for one small file) does not pay for them.
const require = createRequire(import.meta.url);

export type AnyAjv = Ajv;

/**
 * `pattern` and `patternProperties` with RE2 semantics (linear time): schemas come from repositories and pull
 * requests, and a backtracking `^(a+)+$` would hang the process on one crafted manifest value. JavaScript syntax is
 * translated; what RE2 cannot do (lookaround, backreferences) fails the schema's compilation, located.
 */
function re2Engine(): RegExpEngine {
  const { RE2JS } = require("re2js") as typeof import("re2js");
  return Object.assign((pattern: string) => RE2JS.compile(RE2JS.translateRegExp(pattern)), { code: "re2js" });
}

/** allErrors: report every problem at once; strict: false: tolerate unknown keywords (x-kubernetes-*). */
let options: Options | undefined;

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
  options ??= { allErrors: true, strict: false, verbose: true, validateFormats: true, code: { regExp: re2Engine() } };
  const ajv =
    draft === "2020-12"
      ? new (require("ajv/dist/2020.js") as typeof import("ajv/dist/2020.js")).Ajv2020(options)
      : draft === "2019-09"
        ? new (require("ajv/dist/2019.js") as typeof import("ajv/dist/2019.js")).Ajv2019(options)
        : new (require("ajv") as typeof import("ajv")).Ajv(options);
  addFormats(ajv);
  return ajv;
}

/** ajv-formats is CommonJS: its export is the function, or a module object whose `default` is. */
function addFormats(ajv: Ajv): void {
  const mod = require("ajv-formats") as { default?: (a: Ajv) => Ajv } & ((a: Ajv) => Ajv);
  (mod.default ?? mod)(ajv);
}

import { readFileSync } from "node:fs";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";

/** The config JSON Schema, read once from schemas/ (shipped in the npm package next to dist/). */
export const configSchema: Record<string, unknown> = JSON.parse(
  readFileSync(new URL("../../schemas/stagegate-config.schema.json", import.meta.url), "utf8"),
);

let compiled: ValidateFunction | undefined;

/** The compiled validator (compiled on first use, then shared). It fills in schema defaults. */
function validator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv2020({ allErrors: true, verbose: true, useDefaults: true, strict: true, strictTypes: false });
    // Our annotation for human-readable pattern errors (see messages.ts).
    ajv.addKeyword({ keyword: "x-hint", schemaType: "string" });
    compiled = ajv.compile(configSchema);
  }
  return compiled;
}

/** Validates (and default-fills, in place) raw config data; returns the schema violations. */
export function validateAgainstSchema(data: unknown): ErrorObject[] {
  const validate = validator();
  return validate(data) ? [] : [...(validate.errors ?? [])];
}

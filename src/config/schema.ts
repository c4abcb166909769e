import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { Ajv2020, ErrorObject, ValidateFunction } from "ajv/dist/2020.js";

const require = createRequire(import.meta.url);
/** The config JSON Schema as shipped (also part of the CLI config cache key, src/cli/config-cache.ts). */
export const schemaText = readFileSync(new URL("../../schemas/stagegate-config.schema.json", import.meta.url), "utf8");

/** The config JSON Schema, read once from schemas/ (shipped in the npm package next to dist/). */
export const configSchema: Record<string, unknown> = JSON.parse(schemaText);

/** The precompiled validator `npm run build` writes next to this module (scripts/precompile-config-schema.mjs). */
export const PRECOMPILED_FILE = "schema-validator.cjs";

/** Identifies the schema and the Ajv that compiles it: a precompiled validator is used only when this matches. */
export function configSchemaHash(): string {
  const ajvVersion = (require("ajv/package.json") as { version: string }).version;
  return createHash("sha256").update(`ajv ${ajvVersion}\n`).update(schemaText).digest("hex");
}

/** The Ajv instance the config schema is compiled with (also by the build, as standalone code). */
export function configAjv(options: { codeSource?: boolean } = {}): Ajv2020 {
  // Loaded only when the precompiled validator is missing or stale: compiling costs ~0.2 s of every CLI start.
  const { Ajv2020 } = require("ajv/dist/2020.js") as typeof import("ajv/dist/2020.js");
  const ajv = new Ajv2020({
    allErrors: true,
    verbose: true,
    useDefaults: true,
    strict: true,
    strictTypes: false,
    code: { source: options.codeSource ?? false },
  });
  // Our annotation for human-readable pattern errors (see messages.ts).
  ajv.addKeyword({ keyword: "x-hint", schemaType: "string" });
  return ajv;
}

let compiled: ValidateFunction | undefined;

/** The validator: precompiled by the build when it matches the schema, else compiled on first use; then shared. */
function validator(): ValidateFunction {
  compiled ??= precompiled() ?? configAjv().compile(configSchema);
  return compiled;
}

function precompiled(): ValidateFunction | undefined {
  const file = fileURLToPath(new URL(PRECOMPILED_FILE, import.meta.url));
  if (!existsSync(file)) return undefined;
  const m = require(file) as { default: ValidateFunction; schemaHash?: string };
  return m.schemaHash === configSchemaHash() ? m.default : undefined;
}

/** Validates (and default-fills, in place) raw config data; returns the schema violations. */
export function validateAgainstSchema(data: unknown): ErrorObject[] {
  const validate = validator();
  return validate(data) ? [] : [...(validate.errors ?? [])];
}

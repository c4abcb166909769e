// The build ships the config validator as Ajv standalone code (scripts/precompile-config-schema.mjs); it must
// accept, reject, report and default-fill exactly as the validator Ajv compiles at run time.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import standalone from "ajv/dist/standalone/index.js";
import type { ValidateFunction } from "ajv";
import { parse } from "yaml";
import { configAjv, configSchema } from "../../src/config/schema.js";

const require = createRequire(import.meta.url);

function precompiled(): ValidateFunction {
  const ajv = configAjv({ codeSource: true });
  const code = standalone.default(ajv, ajv.compile(configSchema));
  const mod: { exports: { default?: ValidateFunction } } = { exports: {} };
  new Function("module", "exports", "require", code)(mod, mod.exports, require);
  return mod.exports.default!;
}

const example = readFileSync(new URL("../../examples/gitops/.github/stagegate.yml", import.meta.url), "utf8");
const cases: Record<string, unknown> = {
  example: parse(example),
  minimal: { version: 1, environments: { prod: { branches: ["main"] } } },
  "wrong types": { version: "1", environments: { prod: { branches: "main", mode: "enforced" } }, extra: true },
  "not an object": ["version: 1"],
  "bad nesting": { version: 1, policies: { namespaces: [1, {}] }, limits: { max_files: -1 }, environments: {} },
};

describe("precompiled config validator", () => {
  const standaloneValidate = precompiled();
  const runtimeValidate = configAjv().compile(configSchema);
  for (const [name, data] of Object.entries(cases)) {
    it(`matches the run-time validator: ${name}`, () => {
      const a = structuredClone(data);
      const b = structuredClone(data);
      const okA = runtimeValidate(a);
      const errorsA = runtimeValidate.errors;
      expect(standaloneValidate(b)).toBe(okA);
      expect(standaloneValidate.errors ?? null).toEqual(errorsA ?? null);
      expect(b).toEqual(a); // defaults filled in the same way
    });
  }
});

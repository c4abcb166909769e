// Run by `npm run build`: writes the config schema's validator as standalone code next to dist/config/schema.js,
// so the CLI and the app neither load nor run Ajv's compiler at start-up (src/config/schema.ts checks the hash).
import { writeFileSync } from "node:fs";
import standalone from "ajv/dist/standalone/index.js";
import { configAjv, configSchema, configSchemaHash, PRECOMPILED_FILE } from "../dist/config/schema.js";

const ajv = configAjv({ codeSource: true });
const code = standalone.default(ajv, ajv.compile(configSchema));
const out = new URL(`../dist/config/${PRECOMPILED_FILE}`, import.meta.url);
writeFileSync(out, `${code}\nmodule.exports.schemaHash = ${JSON.stringify(configSchemaHash())};\n`);

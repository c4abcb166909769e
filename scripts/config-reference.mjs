#!/usr/bin/env node
// Regenerates the reference section of docs/configuration.md from
// schemas/stagegate-config.schema.json. The generator lives in
// src/config/reference.ts (tested there); this wrapper transpiles it with the
// repository's own TypeScript so it runs without a build.
//   node scripts/config-reference.mjs          rewrite the doc
//   node scripts/config-reference.mjs --check  exit 1 when the doc is stale
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = fileURLToPath(new URL("..", import.meta.url));
const source = readFileSync(`${root}src/config/reference.ts`, "utf8");
const js = ts.transpileModule(source, {
  compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
}).outputText;
const { updateConfigReference } = await import(`data:text/javascript;base64,${Buffer.from(js).toString("base64")}`);

const schema = JSON.parse(readFileSync(`${root}schemas/stagegate-config.schema.json`, "utf8"));
const docPath = `${root}docs/configuration.md`;
const current = existsSync(docPath) ? readFileSync(docPath, "utf8") : "# Configuration\n";
const next = updateConfigReference(current, schema);

if (process.argv.includes("--check")) {
  if (next !== current) {
    console.error("docs/configuration.md is out of date: run `node scripts/config-reference.mjs`");
    process.exit(1);
  }
} else if (next !== current) {
  writeFileSync(docPath, next);
  console.log("updated docs/configuration.md");
}

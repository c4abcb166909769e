/**
 * The product the demo runs. Under ts-jest (the end-to-end tests) that is the
 * sources in src/; compiled (`npm run demo`, `npm run bench`) it is dist/, as
 * built by `npm run build`: the product finds its schemas and policies relative
 * to dist/, so the copy of src/ that demo/tsconfig.json also emits is not used.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type * as Server from "../src/server.js";

export type { RunningServer } from "../src/server.js";

export async function loadServer(): Promise<typeof Server> {
  if (import.meta.url.endsWith(".ts")) return import("../src/server.js");
  // compiled to .build/demo/product.js
  const built = new URL("../../dist/server.js", import.meta.url);
  if (!existsSync(fileURLToPath(built))) throw new Error(`${fileURLToPath(built)} is missing: run \`npm run build\``);
  return (await import(built.href)) as typeof Server;
}

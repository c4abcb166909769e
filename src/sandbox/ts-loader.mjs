// Module hooks for worker threads started from TypeScript sources (under ts-jest, which transforms only the
// test's own thread): `./x.js` resolves to `./x.ts` when only the latter exists, and .ts is transpiled on load.
// Never used from dist/, where the workers are compiled JavaScript.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

let typescript;

export async function resolve(specifier, context, next) {
  if (context.parentURL?.endsWith(".ts") && specifier.startsWith(".") && specifier.endsWith(".js")) {
    const url = new URL(`${specifier.slice(0, -3)}.ts`, context.parentURL);
    if (existsSync(fileURLToPath(url))) return { url: url.href, shortCircuit: true };
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (!url.endsWith(".ts")) return next(url, context);
  typescript ??= (await import("typescript")).default;
  const source = await readFile(fileURLToPath(url), "utf8");
  const { outputText } = typescript.transpileModule(source, {
    fileName: fileURLToPath(url),
    compilerOptions: {
      module: typescript.ModuleKind.ESNext,
      target: typescript.ScriptTarget.ES2022,
      sourceMap: false,
    },
  });
  return { format: "module", source: outputText, shortCircuit: true };
}

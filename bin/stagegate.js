#!/usr/bin/env node
// The `stagegate` command: runs the compiled CLI (npm ci builds dist/ in `prepare`).
import { statSync } from "node:fs";
import module from "node:module";
import { fileURLToPath } from "node:url";

// Node 22.1+: V8 keeps the compiled code of our modules across runs, which shortens every start; Node 20 lacks it.
module.enableCompileCache?.();

/**
 * The CLI bundled into one CommonJS file (`npm run build`, scripts/bundle-cli.mjs) starts faster than the ~110
 * modules of dist/cli. The modules run when there is no bundle, or when they were compiled after it (`tsc` alone):
 * a stale bundle never runs.
 */
async function load() {
  const bundle = new URL("../dist/bundle/main.js", import.meta.url);
  const modules = new URL("../dist/cli/main.js", import.meta.url);
  const built = statSync(bundle, { throwIfNoEntry: false });
  const compiled = statSync(modules, { throwIfNoEntry: false });
  if (built && (!compiled || compiled.mtimeMs <= built.mtimeMs))
    return module.createRequire(bundle)(fileURLToPath(bundle));
  return import(modules.href);
}

const { main } = await load();

const code = await main(process.argv.slice(2), {
  out: (s) => process.stdout.write(s.endsWith("\n") ? s : `${s}\n`),
  err: (s) => process.stderr.write(s.endsWith("\n") ? s : `${s}\n`),
  cwd: process.cwd(),
});
process.exitCode = code;

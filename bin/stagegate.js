#!/usr/bin/env node
// The `stagegate` command: runs the compiled CLI (npm ci builds dist/ in `prepare`).
import module from "node:module";

// Node 22.1+: V8 keeps the compiled code of our modules across runs, which shortens every start; Node 20 lacks it.
module.enableCompileCache?.();
const { main } = await import("../dist/cli/main.js");

const code = await main(process.argv.slice(2), {
  out: (s) => process.stdout.write(s.endsWith("\n") ? s : `${s}\n`),
  err: (s) => process.stderr.write(s.endsWith("\n") ? s : `${s}\n`),
  cwd: process.cwd(),
});
process.exitCode = code;

#!/usr/bin/env node
// The `stagegate` command: runs the compiled CLI (npm ci builds dist/ in `prepare`).
import { main } from "../dist/cli/main.js";

const code = await main(process.argv.slice(2), {
  out: (s) => process.stdout.write(s.endsWith("\n") ? s : `${s}\n`),
  err: (s) => process.stderr.write(s.endsWith("\n") ? s : `${s}\n`),
  cwd: process.cwd(),
});
process.exitCode = code;

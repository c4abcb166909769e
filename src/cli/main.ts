// Start-up matters (one small file, or `stagegate` in a loop): this module imports only what every run needs, and
// each command loads its own modules when it runs. Error classes come from their light defining modules.
import { PolicyError } from "../policy/problems.js";
import { ToolchainError } from "../policy/toolchain.js";
import { SchemaLoadError } from "../schema/errors.js";
import { HELP, parseCli, UsageError } from "./args.js";
import { VERSION } from "./version.js";

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  cwd: string;
}

/** Runs the CLI; returns the exit status (0 clean, 1 findings, 2 errors). */
export async function main(argv: string[], io: Io): Promise<number> {
  try {
    const args = parseCli(argv);
    if (args.version) {
      io.out(VERSION);
      return 0;
    }
    if (args.help || args.command === "help") {
      io.out(HELP);
      return 0;
    }
    if (args.command === "") {
      io.err(HELP); // a usage error: the help goes to stderr
      return 2;
    }
    switch (args.command) {
      case "check":
        if (args.render) return await (await import("./check-render.js")).checkRenderCommand(args, io.cwd, io.out);
        return await (await import("./check.js")).checkCommand(args, io.cwd, io.out);
      case "diff":
        return await (await import("./diff.js")).diffCommand(args, io.cwd, io.out);
      case "build":
        return await (await import("./policy-commands.js")).buildCommand(args, io.cwd, io.out, io.err);
      case "doctor":
        return await (await import("./doctor.js")).doctorCommand(args, io.cwd, io.out);
      case "test":
        return await (await import("./policy-commands.js")).testCommand(args, io.cwd, io.out, io.err);
      default:
        throw new UsageError(`unknown command "${args.command}"\n\n${HELP}`);
    }
  } catch (e) {
    return await reportError(e, io.err);
  }
}

async function reportError(e: unknown, err: (s: string) => void): Promise<number> {
  if (e instanceof UsageError || e instanceof ToolchainError || e instanceof SchemaLoadError) {
    err(`error: ${e.message}`);
    return 2;
  }
  if (e instanceof PolicyError) {
    (await import("./policy-commands.js")).printProblems(e, err);
    return 2;
  }
  // A ConfigError or InputError comes from its module, which is therefore loaded already: importing it costs nothing.
  const { ConfigError } = await import("../config/load.js");
  const { InputError } = await import("../gate/sources.js");
  if (e instanceof ConfigError) {
    for (const p of e.problems) err(`${p.file}:${p.line}:${p.column}: ${p.message}`);
    if (e.problems.length === 0) err(`error: ${e.message}`);
  } else if (e instanceof InputError) {
    err(`${e.file}:${e.line}: ${e.message}`);
  } else {
    err(`error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  }
  return 2;
}

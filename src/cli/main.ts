import { ConfigError } from "../config/load.js";
import { InputError } from "../gate/sources.js";
import { PolicyError } from "../policy/inspect.js";
import { ToolchainError } from "../policy/toolchain.js";
import { SchemaLoadError } from "../schema/validator.js";
import { HELP, parseCli, UsageError } from "./args.js";
import { checkCommand } from "./check.js";
import { buildCommand, printProblems, testCommand } from "./policy-commands.js";
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
        // Loaded only when asked for: plain checks do not pay for the renderer at start-up.
        if (args.render) return await (await import("./check-render.js")).checkRenderCommand(args, io.cwd, io.out);
        return await checkCommand(args, io.cwd, io.out);
      case "diff":
        return await (await import("./diff.js")).diffCommand(args, io.cwd, io.out);
      case "build":
        return await buildCommand(args, io.cwd, io.out, io.err);
      case "doctor":
        // Loaded only when asked for: the audit is no part of a check's start-up.
        return await (await import("./doctor.js")).doctorCommand(args, io.cwd, io.out);
      case "test":
        return await testCommand(args, io.cwd, io.out, io.err);
      default:
        throw new UsageError(`unknown command "${args.command}"\n\n${HELP}`);
    }
  } catch (e) {
    return reportError(e, io.err);
  }
}

function reportError(e: unknown, err: (s: string) => void): number {
  if (e instanceof ConfigError) {
    for (const p of e.problems) err(`${p.file}:${p.line}:${p.column}: ${p.message}`);
    if (e.problems.length === 0) err(`error: ${e.message}`);
  } else if (e instanceof PolicyError) {
    printProblems(e, err);
  } else if (e instanceof InputError) {
    err(`${e.file}:${e.line}: ${e.message}`);
  } else if (e instanceof UsageError || e instanceof ToolchainError || e instanceof SchemaLoadError) {
    err(`error: ${e.message}`);
  } else {
    err(`error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  }
  return 2;
}

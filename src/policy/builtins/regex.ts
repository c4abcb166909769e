/**
 * The `regex.*` builtins that the wasm target imports from its host, with Go's
 * regexp semantics (see go-regexp.ts). `regex.match`, `regex.is_valid` and
 * `regex.find_all_string_submatch_n` run inside the wasm module itself;
 * `regex.template_match` and `regex.globs_match` are not provided, so a policy
 * using them is rejected at build time.
 */
import { intArg, invalidArgs } from "./errors.js";
import { compileGoRegexp, expandTemplate, goMatches, goSplit } from "./go-regexp.js";
import type { BuiltinImpl } from "./types.js";

export function regexReplace(s: unknown, pattern: unknown, value: unknown): string {
  const name = "regex.replace";
  if (typeof s !== "string" || typeof pattern !== "string" || typeof value !== "string") throw invalidArgs(name);
  const re = compileGoRegexp(name, pattern);
  let out = "";
  let last = 0;
  for (const m of goMatches(re, s)) {
    out += s.slice(last, m.start) + expandTemplate(value, m);
    last = m.end;
  }
  return out + s.slice(last);
}

function regexFindN(pattern: unknown, s: unknown, n: unknown): string[] {
  const name = "regex.find_n";
  if (typeof pattern !== "string" || typeof s !== "string") throw invalidArgs(name);
  const max = intArg(name, n, 3);
  const re = compileGoRegexp(name, pattern);
  const out: string[] = [];
  if (max === 0) return out;
  for (const m of goMatches(re, s)) {
    out.push(m.groups[0]!);
    if (max > 0 && out.length >= max) break;
  }
  return out;
}

/**
 * Replaces the SDK's own `regex.split`, which splits with a JavaScript RegExp:
 * backtracking, JS syntax, and capture groups spliced into the result.
 */
export function regexSplit(pattern: unknown, s: unknown): string[] {
  const name = "regex.split";
  if (typeof pattern !== "string" || typeof s !== "string") throw invalidArgs(name);
  return goSplit(compileGoRegexp(name, pattern), s);
}

export function regexBuiltins(): Record<string, BuiltinImpl> {
  return { "regex.replace": regexReplace, "regex.find_n": regexFindN, "regex.split": regexSplit };
}

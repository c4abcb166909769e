/**
 * The `regex.*` builtins that the wasm target imports from its host, with Go's
 * regexp semantics (see go-regexp.ts). `regex.match`, `regex.is_valid` and
 * `regex.find_all_string_submatch_n` run inside the wasm module itself;
 * `regex.globs_match` is not provided, so a policy using it is rejected at build time.
 */
import { BuiltinError, intArg, invalidArgs } from "./errors.js";
import { goQuote } from "./go-values.js";
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

/** Go's regexp.QuoteMeta. */
const quoteMeta = (s: string) => s.replace(/[\\.+*?()|[\]{}^$]/g, "\\$&");

/**
 * regex.template_match: the text between (nesting) delimiters is a pattern, the rest
 * literal; the whole must match the value. Each pattern is first compiled alone, as OPA does.
 */
function templateMatch(template: unknown, value: unknown, start: unknown, end: unknown): boolean {
  const name = "regex.template_match";
  if ([template, value, start, end].some((a) => typeof a !== "string")) throw invalidArgs(name);
  const [tpl, s, open, close] = [template, value, start, end] as string[];
  const startLen = Buffer.byteLength(open);
  const tooLong = (which: string) =>
    new BuiltinError(name, `${which} delimiter has to be exactly one character long but is ${startLen} long`);
  if (startLen !== 1) throw tooLong("start");
  // OPA v1.22.3 reports the start delimiter's length here too.
  if (Buffer.byteLength(close) !== 1) throw tooLong("end");
  const unbalanced = () => new BuiltinError(name, `unbalanced braces in ${goQuote(tpl)}`);
  let level = 0;
  let from = 0;
  let last = 0;
  let pattern = "^";
  for (let i = 0; i < tpl.length; i++) {
    if (tpl[i] === open && ++level === 1) from = i;
    else if (tpl[i] === close) {
      if (--level < 0) throw unbalanced();
      if (level === 0) {
        const inner = tpl.slice(from + 1, i);
        compileGoRegexp(name, `^${inner}$`);
        pattern += `${quoteMeta(tpl.slice(last, from))}(${inner})`;
        last = i + 1;
      }
    }
  }
  if (level !== 0) throw unbalanced();
  pattern += `${quoteMeta(tpl.slice(last))}$`;
  return compileGoRegexp(name, pattern).matcher(s).find();
}

export function regexBuiltins(): Record<string, BuiltinImpl> {
  return {
    "regex.replace": regexReplace,
    "regex.find_n": regexFindN,
    "regex.split": regexSplit,
    "regex.template_match": templateMatch,
  };
}

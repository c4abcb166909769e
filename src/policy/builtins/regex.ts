import type { BuiltinImpl } from "./types.js";
/**
 * regex.replace and regex.find_n with Go RE2 semantics on top of JS RegExp.
 * Patterns are translated RE2 → JS ("u" mode): (?P<name>…), leading (?ims)
 * flags, \Q…\E, POSIX classes, \A/\z, ASCII-only \s, "." not matching "\n".
 * What Go rejects (lookaround, back-references) is rejected with Go's message,
 * so a policy that works here also compiles under `opa eval`; what JS cannot
 * express (flags in the middle of a pattern, (?U)) is rejected with a clear
 * message instead of silently matching differently.
 */
import { BuiltinError, intArg, invalidArgs } from "./errors.js";

const POSIX_CLASSES: Record<string, string> = {
  alnum: "0-9A-Za-z",
  alpha: "A-Za-z",
  ascii: "\\x00-\\x7f",
  blank: "\\t ",
  cntrl: "\\x00-\\x1f\\x7f",
  digit: "0-9",
  graph: "!-~",
  lower: "a-z",
  print: " -~",
  punct: "!-\\/:-@\\[-`{-~",
  space: "\\t\\n\\v\\f\\r ",
  upper: "A-Z",
  word: "0-9A-Za-z_",
  xdigit: "0-9A-Fa-f",
};

const GO_SPACE = "\\t\\n\\f\\r ";
const JS_SYNTAX = new Set("^$\\.*+?()[]{}|/".split(""));
const SIMPLE_ESCAPES = new Set("dDwWbBnrtfv".split(""));

class PatternError extends Error {}

const perl = (what: string) => new PatternError(`invalid or unsupported Perl syntax: \`${what}\``);

/** A literal character, escaped for a JS "u" pattern (inside or outside a class). */
function literal(ch: string): string {
  if (/[0-9A-Za-z_ ]/.test(ch) || ch.codePointAt(0)! > 0x7f) return ch;
  if (JS_SYNTAX.has(ch) || ch === "-") return `\\${ch}`;
  return `\\u{${ch.codePointAt(0)!.toString(16)}}`;
}

/** Translates one escape starting at pattern[i] === "\\"; returns [js, nextIndex]. */
function escape(p: string, i: number, inClass: boolean): [string, number] {
  const c = p[i + 1];
  if (c === undefined) throw new PatternError("trailing backslash at end of expression: ``");
  if (SIMPLE_ESCAPES.has(c)) {
    if (inClass && (c === "b" || c === "B")) throw new PatternError(`invalid escape sequence: \`\\${c}\``);
    return [`\\${c}`, i + 2];
  }
  if (c === "a") return ["\\x07", i + 2];
  if (c === "s") return [inClass ? GO_SPACE : `[${GO_SPACE}]`, i + 2];
  if (c === "S") {
    if (inClass) throw new PatternError("\\S inside a character class is not supported by Stagegate's regex engine");
    return [`[^${GO_SPACE}]`, i + 2];
  }
  if (c === "A" && !inClass) return ["(?<![\\s\\S])", i + 2];
  if (c === "z" && !inClass) return ["(?![\\s\\S])", i + 2];
  if (c === "p" || c === "P") {
    if (p[i + 2] === "{") {
      const end = p.indexOf("}", i + 3);
      if (end < 0) throw new PatternError(`invalid character class range: \`${p.slice(i)}\``);
      return [`\\${c}{${p.slice(i + 3, end)}}`, end + 1];
    }
    if (p[i + 2] === undefined) throw new PatternError(`invalid character class range: \`\\${c}\``);
    return [`\\${c}{${p[i + 2]}}`, i + 3];
  }
  if (c === "x") {
    if (p[i + 2] === "{") {
      const end = p.indexOf("}", i + 3);
      const hex = end < 0 ? "" : p.slice(i + 3, end);
      if (!/^[0-9A-Fa-f]{1,6}$/.test(hex))
        throw new PatternError(`invalid escape sequence: \`${p.slice(i, end + 1 || undefined)}\``);
      return [`\\u{${hex}}`, end + 1];
    }
    const hex = p.slice(i + 2, i + 4);
    if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw new PatternError(`invalid escape sequence: \`${p.slice(i, i + 4)}\``);
    return [`\\x${hex}`, i + 4];
  }
  if (/[0-9A-Za-z]/.test(c)) throw new PatternError(`invalid escape sequence: \`\\${c}\``);
  return [literal(c), i + 2];
}

interface Translated {
  source: string;
  flags: string;
}

/** Translates a Go RE2 pattern to a JS RegExp source and flags. */
export function translatePattern(pattern: string): Translated {
  let p = pattern;
  let flags = "";
  // Leading flag groups such as (?i) or (?is) become JS flags.
  for (let m = /^\(\?([a-zA-Z]+)\)/.exec(p); m; m = /^\(\?([a-zA-Z]+)\)/.exec(p)) {
    for (const f of m[1]) {
      if (f === "i" || f === "m" || f === "s") flags += flags.includes(f) ? "" : f;
      else if (f === "U") throw new PatternError("the (?U) flag is not supported by Stagegate's regex engine");
      else throw new PatternError(`invalid or unsupported Perl syntax: \`(?${f}\``);
    }
    p = p.slice(m[0].length);
  }
  const dotAll = flags.includes("s");
  let out = "";
  let i = 0;
  while (i < p.length) {
    const c = p[i];
    if (c === "\\") {
      if (p[i + 1] === "Q") {
        const end = p.indexOf("\\E", i + 2);
        const text = end < 0 ? p.slice(i + 2) : p.slice(i + 2, end);
        out += [...text].map(literal).join("");
        i = end < 0 ? p.length : end + 2;
        continue;
      }
      const [js, next] = escape(p, i, false);
      out += js;
      i = next;
    } else if (c === "[") {
      const [js, next] = translateClass(p, i);
      out += js;
      i = next;
    } else if (c === "(") {
      if (p[i + 1] !== "?") {
        out += "(";
        i++;
        continue;
      }
      const rest = p.slice(i);
      const named = /^\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
      if (named) {
        out += `(?<${named[1]}>`;
        i += named[0].length;
      } else if (rest.startsWith("(?:")) {
        out += "(?:";
        i += 3;
      } else if (/^\(\?(=|!|<=|<!)/.test(rest)) {
        throw perl(/^\(\?(=|!|<=|<!)/.exec(rest)![0]);
      } else if (/^\(\?[a-zA-Z-]+[:)]/.test(rest)) {
        throw new PatternError(
          `flag groups inside a pattern (${/^\(\?[a-zA-Z-]+[:)]/.exec(rest)![0]}) are not supported by Stagegate's regex engine; put flags at the start, e.g. (?i)`,
        );
      } else {
        throw perl(rest.slice(0, 3));
      }
    } else if (c === ".") {
      out += dotAll ? "." : "[^\\n]";
      i++;
    } else if (c === "{") {
      const rep = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(i));
      if (rep) {
        if (Number(rep[1]) > 1000 || (rep[3] && Number(rep[3]) > 1000)) {
          throw new PatternError(`invalid repeat count: \`${rep[0]}\``);
        }
        out += rep[0];
        i += rep[0].length;
      } else {
        out += "\\{";
        i++;
      }
    } else if (c === "}" || c === "]") {
      // Literal in RE2 when unmatched; JS "u" mode wants them escaped.
      out += `\\${c}`;
      i++;
    } else {
      out += c;
      i += c.length;
    }
  }
  return { source: out, flags };
}

/** Translates a bracket expression starting at p[start] === "["; returns [js, nextIndex]. */
function translateClass(p: string, start: number): [string, number] {
  let i = start + 1;
  let out = "[";
  if (p[i] === "^") {
    out += "^";
    i++;
  }
  let first = true;
  while (i < p.length) {
    const c = p[i];
    if (c === "]" && !first) return [`${out}]`, i + 1];
    first = false;
    if (c === "[" && p[i + 1] === ":") {
      const m = /^\[:(\^?)([a-z]+):\]/.exec(p.slice(i));
      if (m && POSIX_CLASSES[m[2]] !== undefined) {
        if (m[1])
          throw new PatternError(`negated POSIX classes (${m[0]}) are not supported by Stagegate's regex engine`);
        out += POSIX_CLASSES[m[2]];
        i += m[0].length;
        continue;
      }
      if (m) throw new PatternError(`invalid character class range: \`${m[0]}\``);
    }
    if (c === "\\") {
      const [js, next] = escape(p, i, true);
      out += js;
      i = next;
      continue;
    }
    const ch = String.fromCodePoint(p.codePointAt(i)!);
    out += ch === "-" ? "-" : literal(ch);
    i += ch.length;
  }
  throw new PatternError(`missing closing ]: \`${p.slice(start)}\``);
}

const cache = new Map<string, RegExp>();

/** A global, unicode JS RegExp for a Go pattern; errors in Go's wording. */
export function compileGoRegex(builtin: string, pattern: string): RegExp {
  const hit = cache.get(pattern);
  if (hit) return hit;
  let re: RegExp;
  try {
    const t = translatePattern(pattern);
    re = new RegExp(t.source, `gu${t.flags}`);
  } catch (e) {
    if (e instanceof PatternError) throw new BuiltinError(builtin, `error parsing regexp: ${e.message}`);
    // V8 says "Invalid regular expression: /<source>/<flags>: <reason>"; keep the reason, name the pattern.
    const reason =
      e instanceof Error ? e.message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, "") : String(e);
    throw new BuiltinError(builtin, `error parsing regexp: ${reason}: \`${pattern}\``);
  }
  if (cache.size > 1000) cache.clear();
  cache.set(pattern, re);
  return re;
}

/**
 * Successive non-overlapping matches the way Go's *All functions find them:
 * an empty match right after the previous match is skipped.
 */
export function* goMatches(re: RegExp, s: string): Generator<RegExpExecArray> {
  let pos = 0;
  let prevEnd = -1;
  while (pos <= s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m) return;
    const end = m.index + m[0].length;
    if (!(m[0].length === 0 && m.index === prevEnd)) yield m;
    prevEnd = end;
    // Always advance by at least one code point.
    const width = pos < s.length ? String.fromCodePoint(s.codePointAt(pos)!).length : 1;
    pos = pos + width > end ? pos + width : end;
  }
}

/** Go's Regexp.Expand: $1, ${1}, $name, ${name}, $$; a malformed reference is a literal "$". */
export function expandTemplate(template: string, m: RegExpExecArray): string {
  let out = "";
  let t = template;
  while (t !== "") {
    const i = t.indexOf("$");
    if (i < 0) {
      out += t;
      break;
    }
    out += t.slice(0, i);
    t = t.slice(i);
    if (t[1] === "$") {
      out += "$";
      t = t.slice(2);
      continue;
    }
    const ref = /^\$(?:\{([\p{L}\p{Nd}_]+)\}|([\p{L}\p{Nd}_]+))/u.exec(t);
    if (!ref) {
      out += "$";
      t = t.slice(1);
      continue;
    }
    t = t.slice(ref[0].length);
    const name = ref[1] ?? ref[2];
    let value: string | undefined;
    if (/^(0|[1-9]\d{0,7})$/.test(name)) value = m[Number(name)];
    else value = m.groups?.[name];
    out += value ?? "";
  }
  return out;
}

export function regexReplace(s: unknown, pattern: unknown, value: unknown): string {
  const name = "regex.replace";
  if (typeof s !== "string" || typeof pattern !== "string" || typeof value !== "string") throw invalidArgs(name);
  const re = compileGoRegex(name, pattern);
  let out = "";
  let last = 0;
  for (const m of goMatches(re, s)) {
    out += s.slice(last, m.index) + expandTemplate(value, m);
    last = m.index + m[0].length;
  }
  return out + s.slice(last);
}

function regexFindN(pattern: unknown, s: unknown, n: unknown): string[] {
  const name = "regex.find_n";
  if (typeof pattern !== "string" || typeof s !== "string") throw invalidArgs(name);
  const max = intArg(name, n, 3);
  const re = compileGoRegex(name, pattern);
  const out: string[] = [];
  if (max === 0) return out;
  for (const m of goMatches(re, s)) {
    out.push(m[0]);
    if (max > 0 && out.length >= max) break;
  }
  return out;
}

export function regexBuiltins(): Record<string, BuiltinImpl> {
  return { "regex.replace": regexReplace, "regex.find_n": regexFindN };
}

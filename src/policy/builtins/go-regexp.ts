/**
 * Go's regexp package, as OPA's `regex.*` builtins use it, on re2js: the same
 * RE2 syntax, parser messages and leftmost-first semantics, and matching in
 * time linear in the input, so no pattern from a policy can backtrack for ever.
 * What re2js does not provide in Go's form is here: the iteration of Go's
 * `*All` functions, `Regexp.Expand` templates and `Regexp.Split`.
 */
import { RE2JS, RE2JSException } from "re2js";
import { BuiltinError } from "./errors.js";

const cache = new Map<string, RE2JS>();
const CACHE_LIMIT = 1000;

/** A compiled Go pattern; errors in Go's wording (`<builtin>: error parsing regexp: …`). */
export function compileGoRegexp(builtin: string, pattern: string): RE2JS {
  const hit = cache.get(pattern);
  if (hit) return hit;
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern);
  } catch (e) {
    if (e instanceof RE2JSException) throw new BuiltinError(builtin, e.message);
    throw e;
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(pattern, re);
  return re;
}

/** One match: UTF-16 offsets into the input, and every group's text (undefined when it took no part). */
export interface GoMatch {
  start: number;
  end: number;
  groups: Array<string | undefined>;
  names: Record<string, number>;
}

/**
 * Successive non-overlapping matches the way Go's `*All` functions find them:
 * an empty match right after the previous match is skipped.
 */
export function* goMatches(re: RE2JS, s: string): Generator<GoMatch> {
  const m = re.matcher(s);
  const names = re.namedGroups();
  let pos = 0;
  let prevEnd = -1;
  while (pos <= s.length && m.find(pos)) {
    const start = m.start();
    const end = m.end();
    let accept = true;
    if (end === pos) {
      // An empty match: skip it if it abuts the previous one, and move on by one code point.
      accept = start !== prevEnd;
      pos += pos < s.length ? String.fromCodePoint(s.codePointAt(pos)!).length : 1;
    } else {
      pos = end;
    }
    prevEnd = end;
    if (!accept) continue;
    const groups: Array<string | undefined> = [];
    for (let i = 0; i <= m.groupCount(); i++) groups.push(m.group(i) ?? undefined);
    yield { start, end, groups, names };
  }
}

/** Go's `Regexp.Expand`: $1, ${1}, $name, ${name}, $$; a malformed reference is a literal "$". */
export function expandTemplate(template: string, m: GoMatch): string {
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
    // A number (no leading zero, below 1e8) is a group index, anything else a group name.
    const index = /^(0|[1-9]\d{0,7})$/.test(name) ? Number(name) : m.names[name];
    out += (index !== undefined ? m.groups[index] : undefined) ?? "";
  }
  return out;
}

/** Go's `Regexp.Split(s, -1)`: the text between matches; groups are not included, unlike JS's split. */
export function goSplit(re: RE2JS, s: string): string[] {
  if (re.pattern() !== "" && s === "") return [""];
  const out: string[] = [];
  let begin = 0;
  let end = 0;
  for (const m of goMatches(re, s)) {
    end = m.start;
    if (m.end !== 0) out.push(s.slice(begin, end));
    begin = m.end;
  }
  if (end !== s.length) out.push(s.slice(begin));
  return out;
}

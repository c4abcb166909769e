/**
 * The part of GitHub Actions' expression language that action.yml and the example workflow use, evaluated as
 * the runner does: `||` and `&&` give an operand (not a boolean), `==` compares strings case-insensitively,
 * a missing property is null, `${{ }}` in a string renders null as ''. Anything else throws, so a construct
 * the tests cannot evaluate faithfully is noticed rather than guessed.
 */
export type Value = string | number | boolean | null | { [key: string]: unknown } | unknown[];
export type Contexts = Record<string, unknown>;

const TOKEN = /\s*(?:(\|\||&&|==|!=|!|\(|\))|'((?:[^']|'')*)'|(-?\d+(?:\.\d+)?)\b|([A-Za-z_][\w-]*(?:\.[\w*-]+)*))/y;

type Token = { op: string } | { str: string } | { num: number } | { name: string };

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < src.length) {
    if (/^\s*$/.test(src.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(src);
    if (!m) throw new Error(`expression: cannot read ${JSON.stringify(src.slice(at))} in ${JSON.stringify(src)}`);
    if (m[1]) tokens.push({ op: m[1] });
    else if (m[2] !== undefined) tokens.push({ str: m[2].replace(/''/g, "'") });
    else if (m[3]) tokens.push({ num: Number(m[3]) });
    else tokens.push({ name: m[4] });
  }
  return tokens;
}

export function truthy(v: unknown): boolean {
  return !(v === null || v === undefined || v === false || v === 0 || v === "" || Number.isNaN(v));
}

function equal(a: unknown, b: unknown): boolean {
  if (typeof a === "string" && typeof b === "string") return a.toLowerCase() === b.toLowerCase();
  if (typeof a === typeof b) return a === b;
  const num = (v: unknown) => (v === null ? 0 : v === true ? 1 : v === false ? 0 : v === "" ? 0 : Number(v));
  return num(a) === num(b);
}

/** Evaluates one expression (without `${{ }}`). `functions` answers status checks such as success(). */
export function evaluate(src: string, contexts: Contexts, functions: Record<string, () => unknown> = {}): unknown {
  const tokens = tokenize(src);
  let i = 0;
  const peek = () => tokens[i];
  const isOp = (op: string) => {
    const t = peek();
    return t !== undefined && "op" in t && t.op === op;
  };
  const or = (): unknown => {
    let left = and();
    while (isOp("||")) {
      i++;
      const right = and();
      left = truthy(left) ? left : right;
    }
    return left;
  };
  const and = (): unknown => {
    let left = eq();
    while (isOp("&&")) {
      i++;
      const right = eq();
      left = truthy(left) ? right : left;
    }
    return left;
  };
  const eq = (): unknown => {
    const left = unary();
    if (isOp("==") || isOp("!=")) {
      const negate = isOp("!=");
      i++;
      const same = equal(left, unary());
      return negate ? !same : same;
    }
    return left;
  };
  const unary = (): unknown => {
    if (isOp("!")) {
      i++;
      return !truthy(unary());
    }
    return primary();
  };
  const primary = (): unknown => {
    const t = tokens[i++];
    if (!t) throw new Error(`expression: unexpected end of ${JSON.stringify(src)}`);
    if ("op" in t) {
      if (t.op !== "(") throw new Error(`expression: unexpected ${t.op} in ${JSON.stringify(src)}`);
      const v = or();
      if (!isOp(")")) throw new Error(`expression: missing ) in ${JSON.stringify(src)}`);
      i++;
      return v;
    }
    if ("str" in t) return t.str;
    if ("num" in t) return t.num;
    if (t.name === "true" || t.name === "false") return t.name === "true";
    if (t.name === "null") return null;
    if (isOp("(")) {
      const fn = functions[t.name];
      if (!fn || !(tokens[i + 1] && "op" in tokens[i + 1]! && (tokens[i + 1] as { op: string }).op === ")"))
        throw new Error(`expression: unsupported call ${t.name}(…) in ${JSON.stringify(src)}`);
      i += 2;
      return fn();
    }
    const [head, ...rest] = t.name.split(".");
    if (!(head in contexts)) throw new Error(`expression: unknown context ${head} in ${JSON.stringify(src)}`);
    let v: unknown = contexts[head];
    for (const key of rest)
      v = v !== null && typeof v === "object" ? ((v as Record<string, unknown>)[key] ?? null) : null;
    return v ?? null;
  };
  const value = or();
  if (i !== tokens.length) throw new Error(`expression: unexpected input after ${JSON.stringify(src)}`);
  return value;
}

/** Every `${{ … }}` of a string replaced by its value, as the runner renders it (null as ''). */
export function interpolate(text: string, contexts: Contexts, functions?: Record<string, () => unknown>): string {
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_m, expr: string) => {
    const v = evaluate(expr, contexts, functions);
    if (v === null || v === undefined) return "";
    return typeof v === "object" ? JSON.stringify(v) : String(v);
  });
}

/** The expressions a string holds (`${{ … }}` contents), for checks of what they refer to. */
export function expressionsIn(text: string): string[] {
  return [...text.matchAll(/\$\{\{([\s\S]*?)\}\}/g)].map((m) => m[1].trim());
}

/** Context paths (`inputs.x`, `steps.id.outputs.y`) an expression reads. */
export function referencesIn(expr: string): string[] {
  return tokenize(expr)
    .filter((t): t is { name: string } => "name" in t && !["true", "false", "null"].includes(t.name))
    .map((t) => t.name);
}

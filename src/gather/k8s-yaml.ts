import { isAlias, isMap, isScalar, isSeq, parseAllDocuments, Scalar, type Document, type Node } from "yaml";

/**
 * YAML decoded as Kubernetes decodes it: kubectl, the API machinery and
 * Argo CD turn YAML into JSON with sigs.k8s.io/yaml, which reads it with
 * go-yaml v2 (YAML 1.1 style scalars) and turns map keys into strings. So an
 * unquoted `yes` is the boolean true and `0755` the octal 493, unlike YAML 1.2.
 *
 * Only plain (unquoted) scalars without a tag are resolved:
 * - booleans: y Y yes Yes YES true True TRUE on On ON, and n N no No NO false False FALSE off Off OFF;
 * - null: empty, ~, null, Null, NULL;
 * - integers as Go's strconv.ParseInt with base 0 after dropping every `_`:
 *   decimal, 0x hex, 0o and leading-0 octal, 0b binary, any size (bigint);
 * - floats: [-+]?(.d+|d+(.d*)?)([eE][-+]?d+)?, .inf, -.inf, .nan (and case variants);
 * - anything else, timestamps included, is a string.
 * `!!str` keeps the text; `!!int`, `!!bool`, `!!float`, `!!null` resolve it as
 * their type; other tags leave it a string. Merge keys (`<<`) merge as go-yaml
 * v2 does: in place, later keys win. Non-string keys become their text form.
 */

export type K8sValue = null | boolean | number | bigint | string | K8sValue[] | { [key: string]: K8sValue };

/** Thrown for YAML that sigs.k8s.io/yaml rejects or that cannot be compared (binary data, null keys). */
export class UndecodableYaml extends Error {}

/** Alias expansions allowed per document; bounds hostile "billion laughs" input. */
const MAX_ALIASES = 100;

const TAG = "tag:yaml.org,2002:";

const BOOLS = new Map<string, boolean>();
for (const s of ["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"]) BOOLS.set(s, true);
for (const s of ["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"]) BOOLS.set(s, false);
const NULLS = new Set(["", "~", "null", "Null", "NULL"]);
const SPECIAL_FLOATS = new Map<string, number>();
for (const s of [".nan", ".NaN", ".NAN"]) SPECIAL_FLOATS.set(s, NaN);
for (const s of [".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"]) SPECIAL_FLOATS.set(s, Infinity);
for (const s of ["-.inf", "-.Inf", "-.INF"]) SPECIAL_FLOATS.set(s, -Infinity);

// Go's base-0 integer syntax (underscores already removed)
const GO_INT = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/;
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** The documents of a YAML stream as Kubernetes reads them; empty (null) documents are left out. */
export function decodeK8sYaml(text: string): K8sValue[] {
  const docs = parseAllDocuments(text, { schema: "failsafe", uniqueKeys: true });
  if (!Array.isArray(docs)) return []; // an empty stream
  const out: K8sValue[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) throw new UndecodableYaml(doc.errors[0].message);
    const value = decodeNode(doc.contents, { doc, aliases: 0 });
    if (value !== null) out.push(value);
  }
  return out;
}

interface Walk {
  doc: Document.Parsed;
  aliases: number;
}

function decodeNode(node: unknown, w: Walk): K8sValue {
  if (node === null || node === undefined) return null;
  if (isAlias(node)) {
    if (++w.aliases > MAX_ALIASES) throw new UndecodableYaml("too many aliases");
    const target = node.resolve(w.doc);
    if (!target) throw new UndecodableYaml(`unknown alias ${node.source}`);
    return decodeNode(target, w);
  }
  if (isScalar(node)) return scalar(node);
  if (isSeq(node)) return node.items.map((item) => decodeNode(item, w));
  if (isMap(node)) {
    // a null prototype so that a `__proto__` key stays a plain key
    const out = Object.create(null) as Record<string, K8sValue>;
    for (const pair of node.items) {
      if (isMergeKey(pair.key)) merge(out, pair.value, w);
      else out[keyText(decodeNode(pair.key, w))] = decodeNode(pair.value, w);
    }
    return out;
  }
  throw new UndecodableYaml("unexpected YAML node");
}

function isMergeKey(key: unknown): boolean {
  return isScalar(key) && key.type === Scalar.PLAIN && !key.tag && key.value === "<<";
}

/** go-yaml v2: a mapping, or a sequence of mappings of which earlier ones take precedence, set in place. */
function merge(out: Record<string, K8sValue>, value: unknown, w: Walk): void {
  const target = isAlias(value) ? value.resolve(w.doc) : value;
  if (isSeq(target)) {
    for (const item of [...target.items].reverse()) mergeMap(out, item as Node, w);
  } else mergeMap(out, value as Node, w);
}

function mergeMap(out: Record<string, K8sValue>, node: Node, w: Walk): void {
  const value = decodeNode(node, w);
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw new UndecodableYaml("map merge requires a map or a sequence of maps");
  for (const [k, v] of Object.entries(value)) out[k] = v;
}

function scalar(node: Scalar): K8sValue {
  const text = String(node.value ?? "");
  const tag = node.tag;
  if (!tag) return node.type === Scalar.PLAIN ? resolvePlain(text) : text;
  if (tag === "!" || tag === `${TAG}str`) return text;
  if (tag === `${TAG}binary`) throw new UndecodableYaml("!!binary is not supported");
  const kind = tag.startsWith(TAG) ? tag.slice(TAG.length) : null;
  if (kind === null || !["bool", "int", "float", "null", "timestamp"].includes(kind)) return text; // unknown tags
  const value = resolvePlain(text);
  const got = value === null ? "null" : typeof value === "bigint" ? "int" : typeof value;
  if (kind === "float" && (got === "int" || got === "number")) return typeof value === "bigint" ? Number(value) : value;
  if (
    (kind === "int" && got === "int") ||
    (kind === "bool" && got === "boolean") ||
    (kind === "null" && got === "null")
  )
    return value;
  if (kind === "timestamp") return text;
  throw new UndecodableYaml(`cannot decode ${text} as !!${kind}`);
}

/** go-yaml v2's resolution of a plain scalar. */
export function resolvePlain(text: string): K8sValue {
  const bool = BOOLS.get(text);
  if (bool !== undefined) return bool;
  if (NULLS.has(text)) return null;
  const special = SPECIAL_FLOATS.get(text);
  if (special !== undefined) return special;
  const first = text[0];
  if (first === ".") return /^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(text) ? Number(text) : text;
  if (!/[-+0-9]/.test(first)) return text;
  const plain = text.replace(/_/g, "");
  const int = GO_INT.exec(plain);
  if (int) return goInt(int[1], int[2]);
  if (YAML_FLOAT.test(plain)) return Number(plain);
  return text;
}

function goInt(sign: string, digits: string): bigint {
  // a leading 0 is octal in Go's base 0; BigInt reads 0x, 0o and 0b itself
  const n = /^0[0-7]+$/.test(digits) ? BigInt(`0o${digits.slice(1)}`) : BigInt(digits);
  return sign === "-" ? -n : n;
}

/** sigs.k8s.io/yaml turns keys into JSON's strings: numbers and booleans by their text; null keys fail. */
function keyText(key: K8sValue): string {
  if (typeof key === "string") return key;
  if (typeof key === "bigint" || typeof key === "boolean") return String(key);
  if (typeof key === "number") return goFloatText(key);
  throw new UndecodableYaml("unsupported map key");
}

/** Go's strconv.FormatFloat(f, 'g', -1, 64), with YAML's names for the infinities and NaN. */
function goFloatText(f: number): string {
  if (Number.isNaN(f)) return ".nan";
  if (!Number.isFinite(f)) return f > 0 ? ".inf" : "-.inf";
  if (f === 0) return Object.is(f, -0) ? "-0" : "0";
  const [mantissa, expText] = f.toExponential().split("e");
  const exp = Number(expText);
  const digits = mantissa.replace(/[-.]/g, "");
  if (exp < -4 || exp >= digits.length) {
    const e = Math.abs(exp);
    return `${mantissa}e${exp < 0 ? "-" : "+"}${e < 10 ? "0" : ""}${e}`;
  }
  return String(f);
}

/** Equality of decoded values as JSON sees them: numbers by value (8 and 8.0 are the same), keys unordered. */
export function sameK8sValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isNumeric(a) && isNumeric(b)) return numericEqual(a, b);
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => sameK8sValue(x, bb[i]));
  }
  const ka = Object.keys(a);
  const rb = b as Record<string, unknown>;
  if (ka.length !== Object.keys(rb).length) return false;
  return ka.every((k) => Object.hasOwn(rb, k) && sameK8sValue((a as Record<string, unknown>)[k], rb[k]));
}

const isNumeric = (x: unknown): x is number | bigint => typeof x === "number" || typeof x === "bigint";

function numericEqual(a: number | bigint, b: number | bigint): boolean {
  if (typeof a === "number" && typeof b === "number") return a === b || (Number.isNaN(a) && Number.isNaN(b));
  if (typeof a === "bigint" && typeof b === "bigint") return a === b;
  const f = (typeof a === "number" ? a : b) as number;
  const i = (typeof a === "bigint" ? a : b) as bigint;
  return Number.isInteger(f) && BigInt(f) === i;
}

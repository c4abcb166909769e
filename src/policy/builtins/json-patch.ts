import type { BuiltinImpl } from "./types.js";
/**
 * json.patch: RFC 6902 patches applied as OPA applies them (its EditTree), with
 * OPA's extensions (a path may be an array of segments, a leading "/" is optional)
 * and its error messages.
 */
import { BuiltinError, invalidArgs } from "./errors.js";
import { regoText } from "./go-values.js";
import { regoEqual } from "./objects.js";

const NAME = "json.patch";
type Segment = string | number;
type Container = Record<string, unknown> | unknown[];

const fail = (reason: string) => new BuiltinError(NAME, reason);
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** A JSON pointer ("/a/0", "a/0" or "") or an array of segments. */
function parsePath(path: unknown): Segment[] {
  if (Array.isArray(path)) return path.map((s) => (typeof s === "number" ? s : String(s)));
  if (typeof path !== "string") {
    const type = path === null ? "null" : typeof path === "object" ? "object" : typeof path;
    throw fail(
      `operand 2 must be one of {set, array} containing string paths or array of path segments but got ${type}`,
    );
  }
  if (path === "") return [];
  return path
    .replace(/^\//, "")
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function goType(v: unknown): string {
  if (typeof v === "number") return "ast.Number";
  if (typeof v === "string") return "ast.String";
  if (typeof v === "boolean") return "ast.Boolean";
  return "ast.Null";
}

/** An array index as OPA reads one; `insert` allows the index one past the end. */
function index(seg: Segment, length: number, insert: boolean): number {
  const kind = insert ? "insertion" : "delete";
  if (seg === "-") {
    if (insert) return length;
    throw fail(`index for array ${kind} out of bounds`);
  }
  if (typeof seg === "string") {
    if (/^0\d/.test(seg)) throw fail("leading zeros are not allowed in JSON paths");
    if (!/^-?\d+$/.test(seg)) throw fail("invalid string for indexing");
  }
  const i = Number(seg);
  if (!Number.isInteger(i) || i < 0 || i > length || (!insert && i === length)) {
    throw fail(`index for array ${kind} out of bounds`);
  }
  return i;
}

function child(node: unknown, seg: Segment): unknown {
  if (Array.isArray(node)) {
    if (typeof seg === "string" && !/^\d+$/.test(seg)) throw fail("invalid string for indexing");
    const i = Number(seg);
    if (i >= node.length) throw fail(`path ${i} does not exist in array term ${regoText(node)}`);
    return node[i];
  }
  if (isObject(node)) {
    const key = String(seg);
    if (!(key in node)) throw fail(`path ${JSON.stringify(key)} does not exist in object term ${regoText(node)}`);
    return node[key];
  }
  throw fail(`expected composite type, found value: ${regoText(node)} (type: ${goType(node)})`);
}

function parentOf(doc: unknown, path: Segment[]): Container {
  let node = doc;
  for (const seg of path.slice(0, -1)) node = child(node, seg);
  if (Array.isArray(node) || isObject(node)) return node;
  throw fail(`expected composite type, found value: ${regoText(node)} (type: ${goType(node)})`);
}

function get(doc: unknown, path: Segment[]): unknown {
  return path.reduce<unknown>((node, seg) => child(node, seg), doc);
}

function add(doc: unknown, path: Segment[], value: unknown): unknown {
  if (path.length === 0) return value;
  const parent = parentOf(doc, path);
  const last = path[path.length - 1];
  if (Array.isArray(parent)) parent.splice(index(last, parent.length, true), 0, value);
  else parent[String(last)] = value;
  return doc;
}

function remove(doc: unknown, path: Segment[]): unknown {
  // OPA v1.22.3 crashes on this; an error is the closest safe answer.
  if (path.length === 0) throw fail("cannot remove the document root");
  const parent = parentOf(doc, path);
  const last = path[path.length - 1];
  if (Array.isArray(parent)) parent.splice(index(last, parent.length, false), 1);
  else {
    const key = String(last);
    if (!(key in parent)) throw fail(`cannot delete child key ${JSON.stringify(key)} that does not exist`);
    delete parent[key];
  }
  return doc;
}

function attr(op: Record<string, unknown>, name: string): unknown {
  if (!(name in op)) throw fail(`missing required attribute '${name}'`);
  return op[name];
}

function apply(doc: unknown, op: Record<string, unknown>): unknown {
  const kind = attr(op, "op");
  if (typeof kind !== "string") throw invalidArgs(NAME);
  const path = parsePath(attr(op, "path"));
  switch (kind) {
    case "add":
      return add(doc, path, structuredClone(attr(op, "value")));
    case "remove":
      return remove(doc, path);
    case "replace": {
      const value = structuredClone(attr(op, "value"));
      return path.length === 0 ? value : add(remove(doc, path), path, value);
    }
    case "move": {
      const from = parsePath(attr(op, "from"));
      const value = get(doc, from);
      return add(remove(doc, from), path, value);
    }
    case "copy": {
      const from = parsePath(attr(op, "from"));
      return add(doc, path, structuredClone(get(doc, from)));
    }
    case "test": {
      const want = attr(op, "value");
      const found = get(doc, path);
      if (!regoEqual(found, want)) {
        throw fail(`value from EditTree != patch value.\n\nExpected: ${regoText(want)}\n\nFound: ${regoText(found)}`);
      }
      return doc;
    }
    default:
      throw fail(`unrecognized op: '${kind}'`);
  }
}

function jsonPatch(target: unknown, patches: unknown): unknown {
  if (!Array.isArray(patches)) throw invalidArgs(NAME);
  let doc = structuredClone(target);
  for (const op of patches) {
    if (!isObject(op)) throw invalidArgs(NAME);
    doc = apply(doc, op);
  }
  return doc;
}

export function jsonPatchBuiltins(): Record<string, BuiltinImpl> {
  return { [NAME]: jsonPatch };
}

import type { BuiltinImpl } from "./types.js";
/** Object and collection builtins the wasm target imports: object.subset, trace. */
import { BuiltinError, invalidArgs } from "./errors.js";

type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

/** Rego equality of JSON values: numbers by value (1 == 1.0), objects regardless of key order. */
export function regoEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => regoEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && regoEqual(a[k], b[k]));
  }
  return false;
}

/** OPA compares two arrays as a contiguous run: sub must appear in super in order, without gaps. */
function arraySubset(sup: unknown[], sub: unknown[]): boolean {
  if (sub.length === 0) return true;
  for (let i = 0; i + sub.length <= sup.length; i++) {
    if (sub.every((x, j) => regoEqual(sup[i + j], x))) return true;
  }
  return false;
}

function objectSubset(sup: Obj, sub: Obj): boolean {
  return Object.keys(sub).every((k) => {
    if (!(k in sup)) return false;
    const a = sup[k];
    const b = sub[k];
    if (isObject(a) && isObject(b)) return objectSubset(a, b);
    if (Array.isArray(a) && Array.isArray(b)) return arraySubset(a, b);
    return regoEqual(a, b);
  });
}

/**
 * object.subset(super, sub). Sets reach the host as arrays, so a set is compared
 * as an array here (a contiguous run), where OPA would compare set membership.
 */
function subset(sup: unknown, sub: unknown): boolean {
  const name = "object.subset";
  const collection = (v: unknown) => Array.isArray(v) || isObject(v);
  if (!collection(sup) || !collection(sub)) throw invalidArgs(name);
  if (isObject(sup) && isObject(sub)) return objectSubset(sup, sub);
  if (Array.isArray(sup) && Array.isArray(sub)) return arraySubset(sup, sub);
  throw new BuiltinError(name, "both arguments object.subset must be of the same type or array and set");
}

export function objectBuiltins(): Record<string, BuiltinImpl> {
  return {
    "object.subset": subset,
    // OPA's trace only adds a note to the evaluation's explanation, which Stagegate does not collect.
    trace: (note: unknown) => {
      if (typeof note !== "string") throw invalidArgs("trace");
      return true;
    },
  };
}

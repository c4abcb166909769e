/**
 * Validation of REST requests against GitHub's OpenAPI description: path and
 * query parameters (coerced from strings, as GitHub reads them) and JSON bodies.
 * Validators are compiled lazily per operation and cached.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsNs from "ajv-formats";
import type { Operation } from "./openapi.js";

type FormatsPlugin = (ajv: Ajv) => Ajv;
const addFormats = ((addFormatsNs as unknown as { default?: FormatsPlugin }).default ??
  addFormatsNs) as unknown as FormatsPlugin;

export interface RequestProblem {
  field: string;
  message: string;
  code: string;
}

let bodyAjv: Ajv | undefined;
let paramAjv: Ajv | undefined;
const bodyValidators = new WeakMap<Operation, ValidateFunction>();
const paramValidators = new WeakMap<Operation, ValidateFunction>();

function makeAjv(coerce: boolean): Ajv {
  // GitHub's description uses keywords (nullable, x-*, example) that strict mode rejects
  // GitHub's custom formats (repo.nwo, uri-template…) are unknown to ajv-formats and skipped; silence the warnings
  const logger = { log() {}, warn() {}, error: (...args: unknown[]) => console.error(...args) };
  const ajv = new Ajv({
    strict: false,
    allErrors: true,
    coerceTypes: coerce ? "array" : false,
    validateFormats: true,
    logger,
  });
  addFormats(ajv);
  return ajv;
}

/** ajv errors as GitHub-like sentences: `For 'properties/conclusion', "x" is not a member of enum.` */
function describe(errors: ErrorObject[] | null | undefined, data: unknown): RequestProblem[] {
  return (errors ?? []).map((e) => {
    const where = e.instancePath ? e.instancePath.slice(1).replace(/\//g, ".") : "";
    let field = where;
    let message: string;
    if (e.keyword === "required") {
      const missing = String((e.params as { missingProperty: string }).missingProperty);
      field = where ? `${where}.${missing}` : missing;
      message = `"${missing}" wasn't supplied.`;
    } else if (e.keyword === "additionalProperties") {
      const extra = String((e.params as { additionalProperty: string }).additionalProperty);
      field = where ? `${where}.${extra}` : extra;
      message = `"${extra}" is not a permitted key.`;
    } else {
      const value = valueAt(data, e.instancePath);
      const shown = JSON.stringify(value);
      message = `For '${e.schemaPath.replace(/^#\//, "")}', ${shown && shown.length > 80 ? shown.slice(0, 77) + "..." : shown} ${e.message ?? "is invalid"}.`;
    }
    return { field: field || "(body)", message, code: e.keyword === "required" ? "missing_field" : "invalid" };
  });
}

function valueAt(data: unknown, pointer: string): unknown {
  let cur: unknown = data;
  for (const part of pointer.split("/").slice(1)) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[part.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  return cur;
}

/**
 * OpenAPI 3.0 schema → JSON Schema: `nullable: true` becomes a "null" type
 * (ajv rejects `nullable` without `type`). Copies, because the dereferenced
 * description shares schema objects between operations.
 */
export function toJsonSchema(node: unknown, memo = new Map<object, unknown>()): unknown {
  if (node === null || typeof node !== "object") return node;
  if (memo.has(node)) return memo.get(node);
  if (Array.isArray(node)) {
    const out: unknown[] = [];
    memo.set(node, out);
    for (const item of node) out.push(toJsonSchema(item, memo));
    return out;
  }
  const out: Record<string, unknown> = {};
  memo.set(node, out);
  const src = node as Record<string, unknown>;
  for (const [k, v] of Object.entries(src))
    if (!(k === "nullable" && typeof v === "boolean")) out[k] = toJsonSchema(v, memo);
  if (src.nullable !== true) return out;
  if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  if (typeof out.type === "string") {
    out.type = [out.type, "null"];
    return out;
  }
  if (Array.isArray(out.type)) {
    if (!out.type.includes("null")) out.type = [...out.type, "null"];
    return out;
  }
  return { anyOf: [out, { type: "null" }] };
}

export function validateBody(op: Operation, body: unknown, bodyPresent: boolean): RequestProblem[] {
  if (!op.bodySchema) return [];
  if (!bodyPresent)
    return op.bodyRequired ? [{ field: "(body)", message: "Request body is required.", code: "missing" }] : [];
  let validate = bodyValidators.get(op);
  if (!validate) {
    bodyAjv ??= makeAjv(false);
    validate = bodyAjv.compile(toJsonSchema(op.bodySchema) as object);
    bodyValidators.set(op, validate);
  }
  return validate(body) ? [] : describe(validate.errors, body);
}

/**
 * Path and query parameters. Values arrive as strings; integers and booleans
 * are coerced (like GitHub's parser) before the schema check. Unknown query
 * parameters are ignored, as GitHub ignores them.
 */
export function validateParams(op: Operation, path: Record<string, string>, query: URLSearchParams): RequestProblem[] {
  let validate = paramValidators.get(op);
  if (!validate) {
    const properties: Record<string, unknown> = {};
    const required: string[] = [];
    for (const p of op.params) {
      if (p.in !== "path" && p.in !== "query") continue;
      properties[`${p.in}:${p.name}`] = p.schema;
      if (p.required) required.push(`${p.in}:${p.name}`);
    }
    paramAjv ??= makeAjv(true);
    validate = paramAjv.compile(toJsonSchema({ type: "object", properties, required }) as object);
    paramValidators.set(op, validate);
  }
  const data: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(path)) data[`path:${k}`] = v;
  for (const p of op.params) {
    if (p.in !== "query") continue;
    const all = query.getAll(p.name);
    if (all.length === 0) continue;
    const isArray = (p.schema as { type?: string }).type === "array";
    data[`query:${p.name}`] = isArray ? all.flatMap((v) => v.split(",")) : all[all.length - 1];
  }
  if (validate(data)) return [];
  return describe(validate.errors, data).map((p) => ({ ...p, field: p.field.replace(/^(path|query):/, "") }));
}

/**
 * CustomResourceDefinitions as schemas: each served version's `openAPIV3Schema` becomes a draft-07 JSON Schema
 * with the API server's structural-schema semantics, as kubeconform's CRD conversion does.
 */

/** One served version of a CRD kind. */
export interface CrdVersion {
  apiVersion: string;
  kind: string;
  /** The converted (strict) JSON Schema. */
  schema: Record<string, unknown>;
  /** Marked `deprecated: true` in the CRD; its `deprecationWarning` when there is one. */
  deprecated?: string;
  /** Where the CRD came from (file, or the built-in catalog's name). */
  source: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Keywords an `openAPIV3Schema` may hold that ajv should check; the rest (descriptions, CEL rules, …) go. */
const KEPT = new Set([
  "type",
  "required",
  "enum",
  "items",
  "properties",
  "additionalProperties",
  "allOf",
  "anyOf",
  "oneOf",
  "not",
  "pattern",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "minLength",
  "maxLength",
  "minItems",
  "maxItems",
  "uniqueItems",
  "minProperties",
  "maxProperties",
  "multipleOf",
  "$ref",
]);

/**
 * One node: `x-kubernetes-int-or-string` accepts both, `x-kubernetes-preserve-unknown-fields` keeps unknown
 * fields, an embedded resource may carry apiVersion/kind/metadata; any other object with declared properties
 * rejects others (strict, relaxed later for non-strict mode). Inside anyOf/oneOf/allOf/not (value validations
 * only, in a structural schema) nothing is closed. OpenAPI 3.0's boolean exclusiveMinimum/Maximum become draft-07's
 * numbers. `$ref` (the catalog's shared definitions) passes through.
 */
export function convertCrdSchema(node: unknown, inValidation = false): unknown {
  if (!isObj(node)) return node;
  if (typeof node.$ref === "string") return { $ref: node.$ref };
  const out: Obj = {};
  for (const [key, value] of Object.entries(node)) {
    if (!KEPT.has(key)) continue;
    if (key === "properties" && isObj(value)) {
      out.properties = Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, convertCrdSchema(v, inValidation)]),
      );
    } else if (key === "items" || key === "not" || (key === "additionalProperties" && isObj(value))) {
      out[key] = Array.isArray(value)
        ? value.map((v) => convertCrdSchema(v, inValidation))
        : convertCrdSchema(value, inValidation || key === "not");
    } else if ((key === "allOf" || key === "anyOf" || key === "oneOf") && Array.isArray(value)) {
      out[key] = value.map((v) => convertCrdSchema(v, true));
    } else out[key] = value;
  }
  for (const bound of ["Minimum", "Maximum"] as const) {
    const flag = out[`exclusive${bound}`];
    if (typeof flag === "boolean") {
      delete out[`exclusive${bound}`];
      const limit = out[bound.toLowerCase()];
      if (flag && typeof limit === "number") {
        delete out[bound.toLowerCase()];
        out[`exclusive${bound}`] = limit;
      }
    }
  }
  if (node["x-kubernetes-int-or-string"] === true) {
    delete out.anyOf;
    delete out.oneOf;
    out.type = ["integer", "string"];
  }
  const properties = out.properties as Obj | undefined;
  if (node["x-kubernetes-embedded-resource"] === true && properties) {
    properties.apiVersion ??= { type: "string" };
    properties.kind ??= { type: "string" };
    properties.metadata ??= { type: "object" };
  }
  if (
    properties &&
    !inValidation &&
    out.additionalProperties === undefined &&
    node["x-kubernetes-preserve-unknown-fields"] !== true
  ) {
    out.additionalProperties = false;
  }
  return out;
}

/** A whole object: apiVersion, kind and metadata are always allowed at the top. */
function topLevel(openAPIV3Schema: unknown): Obj {
  const schema = convertCrdSchema(openAPIV3Schema);
  if (!isObj(schema)) return {};
  const properties = schema.properties as Obj | undefined;
  if (properties) {
    properties.apiVersion ??= { type: "string" };
    properties.kind ??= { type: "string" };
    properties.metadata ??= { type: "object" };
  }
  return schema;
}

/**
 * The served versions of a parsed CRD document (apiextensions.k8s.io v1, or v1beta1's `spec.validation`);
 * [] for anything else. A version without a schema accepts any object.
 */
export function crdVersions(doc: unknown, source: string): CrdVersion[] {
  if (!isObj(doc) || doc.kind !== "CustomResourceDefinition") return [];
  if (typeof doc.apiVersion !== "string" || !doc.apiVersion.startsWith("apiextensions.k8s.io/")) return [];
  const spec = isObj(doc.spec) ? doc.spec : {};
  const group = typeof spec.group === "string" ? spec.group : undefined;
  const kind = isObj(spec.names) && typeof spec.names.kind === "string" ? spec.names.kind : undefined;
  if (!group || !kind) return [];
  const shared = isObj(spec.validation) ? spec.validation.openAPIV3Schema : undefined;
  const versions: Obj[] = Array.isArray(spec.versions)
    ? spec.versions.filter(isObj)
    : typeof spec.version === "string"
      ? [{ name: spec.version, served: true }]
      : [];
  const out: CrdVersion[] = [];
  for (const v of versions) {
    if (typeof v.name !== "string" || v.served === false) continue;
    const own = isObj(v.schema) ? v.schema.openAPIV3Schema : undefined;
    const openAPI = own ?? shared;
    const deprecated =
      v.deprecated === true
        ? typeof v.deprecationWarning === "string"
          ? v.deprecationWarning
          : `${group}/${v.name} ${kind} is deprecated`
        : undefined;
    out.push({
      apiVersion: `${group}/${v.name}`,
      kind,
      schema: openAPI === undefined ? {} : topLevel(openAPI),
      deprecated,
      source,
    });
  }
  return out;
}

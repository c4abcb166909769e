#!/usr/bin/env node
/**
 * Regenerates schemas/kubernetes/v<minor>.json — one draft-07 bundle per Kubernetes minor with every kind the API
 * server serves (alpha and beta included), keyed by apiVersion/kind — and schemas/kubernetes/lifecycle.json, the
 * deprecated and removed API versions.
 *
 * Sources (Go module proxy, cached in ~/.cache/stagegate/gomod):
 * - k8s.io/kubernetes@<release>: api/openapi-spec/v3/*.json, the OpenAPI v3 documents the API server publishes;
 * - k8s.io/api, k8s.io/apiextensions-apiserver, k8s.io/kube-aggregator: zz_generated.prerelease-lifecycle.go, the
 *   release in which each beta/alpha type was deprecated and removed (an old k8s.io/api as well, for types that
 *   are gone from the current one, e.g. policy/v1beta1 PodSecurityPolicy).
 *
 * Usage: node scripts/generate-k8s-schemas.mjs [minor ...]   (default: every minor in RELEASES)
 */
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { goModule, root, sortKeys } from "./generate-common.mjs";

/** Kubernetes minor → the patch release whose module is read. */
export const RELEASES = {
  "1.30": "v1.30.14",
  1.34: "v1.34.4",
  1.35: "v1.35.4",
  1.36: "v1.36.3",
  1.37: "v1.37.2",
};
/** Modules holding prerelease-lifecycle annotations; the first that names a type wins (newest first). */
const LIFECYCLE_MODULES = [
  ["k8s.io/api", "v0.37.2", "."],
  ["k8s.io/apiextensions-apiserver", "v0.37.2", "pkg/apis"],
  ["k8s.io/kube-aggregator", "v0.37.2", "pkg/apis"],
  ["k8s.io/api", "v0.24.17", "."],
];

const outDir = join(root, "schemas", "kubernetes");

/** `io.k8s.api.apps.v1.Deployment` → `apps.v1.Deployment`: shorter names, the same in every bundle. */
function shortName(name) {
  return name
    .replace(/^io\.k8s\.api\./, "")
    .replace(/^io\.k8s\.apimachinery\.pkg\.apis\./, "")
    .replace(/^io\.k8s\.apimachinery\.pkg\.(api|util|runtime|version)\./, "$1.")
    .replace(/^io\.k8s\.apiextensions-apiserver\.pkg\.apis\./, "")
    .replace(/^io\.k8s\.kube-aggregator\.pkg\.apis\./, "");
}

const refName = (ref) => shortName(ref.replace(/^#\/components\/schemas\//, ""));

/** Keywords kept from the OpenAPI schemas: what ajv checks. Descriptions, defaults, formats and x-* go. */
const KEPT = new Set(["type", "required", "enum", "items", "additionalProperties", "properties", "$ref"]);

/**
 * One OpenAPI schema node as draft-07, for strict validation: every object with declared properties rejects
 * others (the validator relaxes that in non-strict mode); int-or-string and Quantity accept both forms.
 */
function convert(node) {
  if (node.$ref) return { $ref: `#/definitions/${refName(node.$ref)}` };
  // `allOf: [{$ref}]` is how OpenAPI v3 puts a description or default next to a reference.
  if (Array.isArray(node.allOf) && node.allOf.length === 1 && node.allOf[0].$ref) return convert(node.allOf[0]);
  if (node.format === "int-or-string") return { type: ["integer", "string"] };
  if (Array.isArray(node.oneOf) && node.oneOf.every((b) => Object.keys(b).length === 1 && b.type)) {
    return { type: node.oneOf.map((b) => b.type) };
  }
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (!KEPT.has(key)) continue;
    if (key === "properties") {
      out.properties = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convert(v)]));
    } else if (key === "items" || (key === "additionalProperties" && typeof value === "object")) {
      out[key] = convert(value);
    } else out[key] = value;
  }
  if (out.properties && out.additionalProperties === undefined && !node["x-kubernetes-preserve-unknown-fields"]) {
    out.additionalProperties = false;
  }
  return out;
}

function references(node, found) {
  if (Array.isArray(node)) node.forEach((n) => references(n, found));
  else if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      if (k === "$ref" && typeof v === "string") found.add(v.replace("#/definitions/", ""));
      else references(v, found);
    }
  }
}

function generateBundle(minor, release) {
  const specDir = join(goModule("k8s.io/kubernetes", release), "api", "openapi-spec", "v3");
  const schemas = {};
  for (const file of readdirSync(specDir).filter((f) => /__v\w+_openapi\.json$/.test(f))) {
    const doc = JSON.parse(readFileSync(join(specDir, file), "utf8"));
    for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) schemas[name] = schema;
  }
  const kinds = {};
  for (const [name, schema] of Object.entries(schemas)) {
    // Meta types (DeleteOptions, WatchEvent, Status) carry a kind for every group: not manifests.
    if (name.startsWith("io.k8s.apimachinery.")) continue;
    for (const { group, version, kind } of schema["x-kubernetes-group-version-kind"] ?? []) {
      kinds[`${group ? `${group}/` : ""}${version}/${kind}`] = `#/definitions/${shortName(name)}`;
    }
  }
  const converted = new Map();
  for (const [name, schema] of Object.entries(schemas)) {
    const short = shortName(name);
    if (converted.has(short)) throw new Error(`${minor}: two schemas shorten to ${short}`);
    converted.set(short, convert(schema));
  }
  // Only what the kinds reach.
  const definitions = {};
  const queue = Object.values(kinds).map((r) => r.replace("#/definitions/", ""));
  while (queue.length) {
    const name = queue.pop();
    if (definitions[name]) continue;
    const def = converted.get(name);
    if (!def) throw new Error(`${minor}: unresolved reference ${name}`);
    definitions[name] = def;
    const refs = new Set();
    references(def, refs);
    queue.push(...refs);
  }
  // Free-form values: any JSON (the OpenAPI says only "object" for RawExtension and JSON).
  for (const free of ["runtime.RawExtension", "apiextensions.v1.JSON", "meta.v1.FieldsV1"]) {
    if (definitions[free]) definitions[free] = {};
  }
  const bundle = {
    $schema: "http://json-schema.org/draft-07/schema#",
    $id: `https://stagegate.dev/schemas/kubernetes/v${minor}.json`,
    $comment: `Generated by scripts/generate-k8s-schemas.mjs from k8s.io/kubernetes@${release} api/openapi-spec/v3.`,
    "x-kubernetes-version": minor,
    "x-kinds": sortKeys(kinds),
    definitions: sortKeys(definitions),
  };
  const text = JSON.stringify(bundle) + "\n";
  writeFileSync(join(outDir, `v${minor}.json`), text);
  console.log(
    `v${minor}.json: ${Object.keys(kinds).length} kinds, ${Object.keys(definitions).length} definitions, ` +
      `${(text.length / 1024).toFixed(0)} KiB`,
  );
}

const NUMBERS =
  /func \(in \*(\w+)\) APILifecycle(Deprecated|Removed)\(\) \(major, minor int\) \{\s*return (\d+), (\d+)/g;
const REPLACEMENT = new RegExp(
  String.raw`func \(in \*(\w+)\) APILifecycleReplacement\(\) schema\.GroupVersionKind \{\s*return ` +
    String.raw`schema\.GroupVersionKind\{Group: "([^"]*)", Version: "([^"]*)", Kind: "([^"]*)"\}`,
  "g",
);

/** Every `zz_generated.prerelease-lifecycle.go` under dir, with its group (register.go) and version (dir name). */
function* lifecycleFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const sub = join(dir, entry.name);
    const file = join(sub, "zz_generated.prerelease-lifecycle.go");
    if (existsSync(file)) {
      const register = join(sub, "register.go");
      const group = existsSync(register) ? /const GroupName = "([^"]*)"/.exec(readFileSync(register, "utf8")) : null;
      if (group) yield { file, group: group[1], version: entry.name };
    }
    yield* lifecycleFiles(sub);
  }
}

function generateLifecycle() {
  const table = {};
  for (const [module, version, under] of LIFECYCLE_MODULES) {
    const dir = join(goModule(module, version), under);
    for (const { file, group, version: apiVersion } of lifecycleFiles(dir)) {
      const text = readFileSync(file, "utf8");
      const prefix = `${group ? `${group}/` : ""}${apiVersion}/`;
      const found = {};
      for (const [, kind, what, major, minor] of text.matchAll(NUMBERS)) {
        (found[kind] ??= {})[what.toLowerCase()] = `${major}.${minor}`;
      }
      for (const [, kind, g, v, k] of text.matchAll(REPLACEMENT)) {
        if (found[kind]) found[kind].replacement = `${g ? `${g}/` : ""}${v}/${k}`;
      }
      for (const [kind, entry] of Object.entries(found)) {
        if (kind.endsWith("List") || table[prefix + kind]) continue;
        table[prefix + kind] = entry;
      }
    }
  }
  const text = JSON.stringify({
    $comment:
      "Generated by scripts/generate-k8s-schemas.mjs from the prerelease-lifecycle annotations of " +
      LIFECYCLE_MODULES.map(([m, v]) => `${m}@${v}`).join(", "),
    apis: sortKeys(table),
  });
  writeFileSync(join(outDir, "lifecycle.json"), text + "\n");
  console.log(`lifecycle.json: ${Object.keys(table).length} API kinds with a deprecation or removal release`);
}

mkdirSync(outDir, { recursive: true });
const wanted = process.argv.slice(2);
for (const minor of wanted.length ? wanted : Object.keys(RELEASES)) {
  if (!RELEASES[minor]) throw new Error(`unknown minor ${minor} (known: ${Object.keys(RELEASES).join(", ")})`);
  generateBundle(minor, RELEASES[minor]);
}
generateLifecycle();

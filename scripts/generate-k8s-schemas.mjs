#!/usr/bin/env node
/**
 * Regenerates schemas/kubernetes/v<minor>.json: one JSON Schema bundle (draft-07)
 * for the common built-in Kubernetes kinds, keyed by apiVersion + kind.
 *
 * Source: the `kubernetes-types` package (TypeScript types generated from the
 * upstream OpenAPI spec; its version is the Kubernetes version), turned into
 * JSON Schema by `ts-json-schema-generator`, then post-processed so that what
 * Kubernetes accepts is accepted (see fixups below).
 *
 * Usage: node scripts/generate-k8s-schemas.mjs [--out <file>]
 */
import { createRequire } from "node:module";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createGenerator } from "ts-json-schema-generator";

const require = createRequire(import.meta.url);
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const typesDir = dirname(require.resolve("kubernetes-types/package.json"));
const typesVersion = JSON.parse(readFileSync(join(typesDir, "package.json"), "utf8")).version;
const minor = typesVersion.split(".").slice(0, 2).join(".");

/** [apiVersion, kind, module under kubernetes-types] */
const KINDS = [
  ["v1", "Pod", "core/v1"],
  ["v1", "PodTemplate", "core/v1"],
  ["v1", "ReplicationController", "core/v1"],
  ["v1", "Service", "core/v1"],
  ["v1", "Endpoints", "core/v1"],
  ["v1", "ConfigMap", "core/v1"],
  ["v1", "Secret", "core/v1"],
  ["v1", "ServiceAccount", "core/v1"],
  ["v1", "Namespace", "core/v1"],
  ["v1", "PersistentVolume", "core/v1"],
  ["v1", "PersistentVolumeClaim", "core/v1"],
  ["v1", "LimitRange", "core/v1"],
  ["v1", "ResourceQuota", "core/v1"],
  ["apps/v1", "Deployment", "apps/v1"],
  ["apps/v1", "StatefulSet", "apps/v1"],
  ["apps/v1", "DaemonSet", "apps/v1"],
  ["apps/v1", "ReplicaSet", "apps/v1"],
  ["batch/v1", "Job", "batch/v1"],
  ["batch/v1", "CronJob", "batch/v1"],
  ["networking.k8s.io/v1", "Ingress", "networking/v1"],
  ["networking.k8s.io/v1", "IngressClass", "networking/v1"],
  ["networking.k8s.io/v1", "NetworkPolicy", "networking/v1"],
  ["rbac.authorization.k8s.io/v1", "Role", "rbac/v1"],
  ["rbac.authorization.k8s.io/v1", "RoleBinding", "rbac/v1"],
  ["rbac.authorization.k8s.io/v1", "ClusterRole", "rbac/v1"],
  ["rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "rbac/v1"],
  ["autoscaling/v1", "HorizontalPodAutoscaler", "autoscaling/v1"],
  ["autoscaling/v2", "HorizontalPodAutoscaler", "autoscaling/v2"],
  ["policy/v1", "PodDisruptionBudget", "policy/v1"],
  ["storage.k8s.io/v1", "StorageClass", "storage/v1"],
  ["scheduling.k8s.io/v1", "PriorityClass", "scheduling/v1"],
  ["apiextensions.k8s.io/v1", "CustomResourceDefinition", "apiextensions/v1"],
  ["admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", "admissionregistration/v1"],
  ["admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration", "admissionregistration/v1"],
];

/** Exported names and imports of every module, to qualify definition names (types repeat across versions). */
function moduleInfo(mod) {
  const text = readFileSync(join(typesDir, `${mod}.d.ts`), "utf8");
  const exports = new Set([...text.matchAll(/^export (?:interface|type) (\w+)/gm)].map((m) => m[1]));
  const imports = [...text.matchAll(/^import \{([^}]*)\} from "([^"]+)";/gm)].map((m) => ({
    names: m[1]
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
    from: join(dirname(mod), m[2]).replaceAll("\\", "/"),
  }));
  return { exports, imports };
}

const infoCache = new Map();
const info = (mod) => {
  if (!infoCache.has(mod)) infoCache.set(mod, moduleInfo(mod));
  return infoCache.get(mod);
};

/** The module that declares `name` as seen from `mod`: breadth-first through imports. */
function owner(name, mod) {
  const queue = [mod];
  const seen = new Set();
  while (queue.length) {
    const m = queue.shift();
    if (seen.has(m)) continue;
    seen.add(m);
    const i = info(m);
    if (i.exports.has(name)) return m;
    for (const imp of i.imports) queue.push(imp.from);
  }
  throw new Error(`cannot find the module of ${name} (from ${mod})`);
}

const qualify = (mod, name) => `${mod.replaceAll("/", ".")}.${name}`;

function renameRefs(node, rename) {
  if (Array.isArray(node)) return node.map((n) => renameRefs(n, rename));
  if (node && typeof node === "object") {
    const out = {};
    for (const [k, v] of Object.entries(node)) {
      out[k] = k === "$ref" && typeof v === "string" ? rename(v) : renameRefs(v, rename);
    }
    return out;
  }
  return node;
}

const definitions = {};
const kinds = {};
{
  const byModule = new Map();
  for (const [apiVersion, kind, mod] of KINDS) {
    if (!byModule.has(mod)) byModule.set(mod, []);
    byModule.get(mod).push([apiVersion, kind]);
  }
  for (const [mod, list] of byModule) {
    const generator = createGenerator({
      path: join(typesDir, `${mod}.d.ts`),
      expose: "export",
      jsDoc: "none",
      skipTypeCheck: true,
      topRef: true,
    });
    for (const [apiVersion, kind] of list) {
      const schema = generator.createSchema(kind);
      const rename = (ref) => {
        const name = decodeURIComponent(ref.replace(/^#\/definitions\//, ""));
        return `#/definitions/${qualify(owner(name, mod), name)}`;
      };
      for (const [name, def] of Object.entries(schema.definitions ?? {})) {
        const q = qualify(owner(name, mod), name);
        const renamed = renameRefs(def, rename);
        if (definitions[q] && JSON.stringify(definitions[q]) !== JSON.stringify(renamed)) {
          throw new Error(`conflicting definitions for ${q}`);
        }
        definitions[q] = renamed;
      }
      kinds[`${apiVersion}/${kind}`] = `#/definitions/${qualify(mod, kind)}`;
    }
  }
}

// --- Fixups: accept what the API server accepts. ---

// Quantity is a string in the types, but `cpu: 1` / `memory: 512` are valid YAML for it.
definitions["api.resource.Quantity"] = { type: ["string", "number"] };

// Empty interfaces are free-form on the wire (RawExtension, FieldsV1); JSON is any value.
for (const [name, def] of Object.entries(definitions)) {
  if (def.type === "object" && !def.properties && def.additionalProperties === false) {
    delete def.additionalProperties;
  }
  if (name === "apiextensions.v1.JSON") definitions[name] = {};
}

// TypeScript cannot name the x-kubernetes-* extensions of CRD schemas, so the types
// omit them; add them back as the API defines them (apiextensions/v1 JSONSchemaProps).
{
  const props = definitions["apiextensions.v1.JSONSchemaProps"].properties;
  Object.assign(props, {
    "x-kubernetes-embedded-resource": { type: "boolean" },
    "x-kubernetes-int-or-string": { type: "boolean" },
    "x-kubernetes-list-map-keys": { type: "array", items: { type: "string" } },
    "x-kubernetes-list-type": { type: "string" },
    "x-kubernetes-map-type": { type: "string" },
    "x-kubernetes-preserve-unknown-fields": { type: "boolean" },
    "x-kubernetes-validations": {
      type: "array",
      items: {
        type: "object",
        required: ["rule"],
        properties: {
          rule: { type: "string" },
          message: { type: "string" },
          messageExpression: { type: "string" },
          reason: { type: "string" },
          fieldPath: { type: "string" },
          optionalOldSelf: { type: "boolean" },
        },
        additionalProperties: false,
      },
    },
  });
}

// kubernetes-types drops the fields RuleWithOperations inlines from Rule (Go embedding);
// the API has them and every webhook configuration uses `resources`.
Object.assign(definitions["admissionregistration.v1.RuleWithOperations"].properties, {
  resources: { type: "array", items: { type: "string" } },
  scope: { type: "string" },
});

// The API has no floats outside JSONSchemaProps (API conventions), so TypeScript's
// `number` is an integer there: `replicas: 1.5` is rejected by the API server.
function integers(node) {
  if (Array.isArray(node)) return node.forEach(integers);
  if (!node || typeof node !== "object") return;
  if (node.type === "number") node.type = "integer";
  else if (Array.isArray(node.type)) node.type = node.type.map((t) => (t === "number" ? "integer" : t));
  for (const v of Object.values(node)) integers(v);
}
for (const [name, def] of Object.entries(definitions)) {
  if (name !== "api.resource.Quantity" && !name.startsWith("apiextensions.")) integers(def);
}

const sorted = Object.fromEntries(Object.entries(definitions).sort(([a], [b]) => a.localeCompare(b)));
const bundle = {
  $schema: "http://json-schema.org/draft-07/schema#",
  $id: `https://stagegate.dev/schemas/kubernetes/v${minor}.json`,
  $comment: `Generated by scripts/generate-k8s-schemas.mjs from kubernetes-types@${typesVersion}; do not edit.`,
  "x-kubernetes-version": minor,
  "x-kinds": Object.fromEntries(Object.entries(kinds).sort(([a], [b]) => a.localeCompare(b))),
  definitions: sorted,
};

const outArg = process.argv.indexOf("--out");
const out = outArg > 0 ? resolve(process.argv[outArg + 1]) : join(root, "schemas", "kubernetes", `v${minor}.json`);
mkdirSync(dirname(out), { recursive: true });
const text = JSON.stringify(bundle) + "\n";
writeFileSync(out, text);
console.log(
  `wrote ${out}: ${Object.keys(kinds).length} kinds, ${Object.keys(sorted).length} definitions, ` +
    `${(text.length / 1024).toFixed(0)} KiB`,
);

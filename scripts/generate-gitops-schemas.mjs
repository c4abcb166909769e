#!/usr/bin/env node
/**
 * Regenerates schemas/crds/*.json: the CustomResourceDefinitions of what GitOps repositories hold (Flux and
 * Argo CD), from the CRD YAML files their projects release, read from the projects' Go modules (module proxy,
 * cached in ~/.cache/stagegate/gomod). Each file keeps, per CRD, what validation needs: group, kind and the served
 * versions' openAPIV3Schema without descriptions; stagegate converts them at run time exactly like a repository's
 * own CRDs (src/schema/crd.ts).
 *
 * Usage: node scripts/generate-gitops-schemas.mjs
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { goModule, root, sortKeys } from "./generate-common.mjs";

/** Catalog file → [module, version, directory of CRD YAMLs, files (all .yaml when omitted)]. */
const SOURCES = {
  flux: [
    ["github.com/fluxcd/source-controller", "v1.10.1", "config/crd/bases"],
    ["github.com/fluxcd/kustomize-controller", "v1.10.1", "config/crd/bases"],
    ["github.com/fluxcd/helm-controller", "v1.6.0", "config/crd/bases"],
  ],
  "argo-cd": [
    [
      "github.com/argoproj/argo-cd/v3",
      "v3.6.2",
      "manifests/crds",
      ["application-crd.yaml", "applicationset-crd.yaml", "appproject-crd.yaml"],
    ],
  ],
};

/** Keys that are documentation, not validation; dropped everywhere except as property names. */
const DROPPED = new Set(["description", "example", "externalDocs", "title"]);

function strip(node) {
  if (Array.isArray(node)) return node.map(strip);
  if (node === null || typeof node !== "object") return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (DROPPED.has(key)) continue;
    out[key] =
      key === "properties" && value && typeof value === "object"
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, strip(v)]))
        : strip(value);
  }
  return out;
}

function minimalCrd(doc) {
  const { group, names, versions } = doc.spec;
  return {
    apiVersion: doc.apiVersion,
    kind: doc.kind,
    spec: {
      group,
      names: { kind: names.kind },
      // Versions no longer served are kept by name, so stagegate can say so.
      versions: versions.map((v) =>
        v.served === false
          ? { name: v.name, served: false }
          : {
              name: v.name,
              served: true,
              ...(v.deprecated ? { deprecated: true } : {}),
              ...(v.deprecationWarning ? { deprecationWarning: v.deprecationWarning } : {}),
              schema: { openAPIV3Schema: sortKeys(strip(v.schema?.openAPIV3Schema ?? {})) },
            },
      ),
    },
  };
}

/** Applies fn to each schema position below a schema node (not to `properties` maps themselves). */
function mapChildren(node, fn) {
  if (node === null || typeof node !== "object" || Array.isArray(node)) return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "properties" && value && typeof value === "object") {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fn(v)]));
    } else if (["allOf", "anyOf", "oneOf"].includes(key) && Array.isArray(value)) out[key] = value.map(fn);
    else if (["items", "not", "additionalProperties"].includes(key) && value && typeof value === "object") {
      out[key] = Array.isArray(value) ? value.map(fn) : fn(value);
    } else out[key] = value;
  }
  return out;
}

const MIN_SHARED = 300;

/**
 * Subschemas that occur more than once (Argo CD repeats its source and template types dozens of times) move to
 * `definitions` and are referenced: the same validation, a fraction of the size.
 */
function dedupe(crds) {
  const counts = new Map();
  const count = (schema) => {
    const text = JSON.stringify(schema);
    if (text.length >= MIN_SHARED) counts.set(text, (counts.get(text) ?? 0) + 1);
    mapChildren(schema, (child) => (count(child), child));
  };
  const schemas = crds.flatMap((c) => c.spec.versions.filter((v) => v.schema).map((v) => v.schema));
  for (const s of schemas) count(s.openAPIV3Schema);
  const definitions = {};
  const ids = new Map();
  const replace = (schema) => {
    const text = JSON.stringify(schema);
    if ((counts.get(text) ?? 0) < 2) return mapChildren(schema, replace);
    let id = ids.get(text);
    if (!id) {
      id = `s${ids.size}`;
      ids.set(text, id);
      definitions[id] = mapChildren(schema, replace);
    }
    return { $ref: `#/definitions/${id}` };
  };
  for (const s of schemas) s.openAPIV3Schema = mapChildren(s.openAPIV3Schema, replace);
  return definitions;
}

const outDir = join(root, "schemas", "crds");
mkdirSync(outDir, { recursive: true });
for (const [name, sources] of Object.entries(SOURCES)) {
  const crds = [];
  const from = [];
  for (const [module, version, dir, files] of sources) {
    const base = join(goModule(module, version), dir);
    from.push(`${module}@${version}`);
    for (const file of files ?? readdirSync(base).filter((f) => f.endsWith(".yaml") && f !== "kustomization.yaml")) {
      for (const doc of parseAllDocuments(readFileSync(join(base, file), "utf8"))) {
        const value = doc.toJS({ maxAliasCount: -1 });
        if (value?.kind === "CustomResourceDefinition") crds.push(minimalCrd(value));
      }
    }
  }
  crds.sort((a, b) => `${a.spec.group}/${a.spec.names.kind}`.localeCompare(`${b.spec.group}/${b.spec.names.kind}`));
  const definitions = dedupe(crds);
  const $comment = `Generated by scripts/generate-gitops-schemas.mjs from ${from.join(", ")}`;
  const text = JSON.stringify({ $comment, crds, definitions });
  writeFileSync(join(outDir, `${name}.json`), text + "\n");
  const kinds = crds.map((c) => `${c.spec.names.kind} (${c.spec.versions.map((v) => v.name).join(", ")})`);
  console.log(`${name}.json: ${(text.length / 1024).toFixed(0)} KiB: ${kinds.join("; ")}`);
}

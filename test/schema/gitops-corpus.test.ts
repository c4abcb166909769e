import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { SchemaValidator } from "../../src/schema/validator.js";
import type { ManifestDocument } from "../../src/types.js";
import { parseManifests } from "./helpers.js";

// Real repositories (their licenses in LICENSES/) shared on the development machines; absent elsewhere.
// The repository's sibling shared/corpus (CI lays it beside the clone), else the development machines' copy.
const CORPUS =
  [fileURLToPath(new URL("../../../shared/corpus", import.meta.url)), "/work/shared/corpus"].find((d) =>
    existsSync(d),
  ) ?? "/work/shared/corpus";
const run = existsSync(CORPUS) ? describe : describe.skip;

const GITOPS = /^(source|kustomize|helm)\.toolkit\.fluxcd\.io\/|^argoproj\.io\/v1alpha1$/;
const ARGO_KINDS = new Set(["Application", "ApplicationSet", "AppProject"]);

function* yamlFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* yamlFiles(path);
    else if (/\.ya?ml$/.test(entry.name)) yield path;
  }
}

function gitopsDocuments(): ManifestDocument[] {
  const docs: ManifestDocument[] = [];
  for (const path of yamlFiles(CORPUS)) {
    const text = readFileSync(path, "utf8");
    if (!/toolkit\.fluxcd\.io|argoproj\.io/.test(text)) continue;
    let parsed: ManifestDocument[];
    try {
      parsed = parseManifests(text, relative(CORPUS, path));
    } catch {
      continue; // not YAML (templates): not this test's business
    }
    for (const d of parsed) {
      const { apiVersion, kind } = d.value;
      if (typeof apiVersion !== "string" || !GITOPS.test(apiVersion)) continue;
      if (apiVersion.startsWith("argoproj.io") && !ARGO_KINDS.has(String(kind))) continue;
      docs.push(d);
    }
  }
  return docs;
}

/** Every corpus document that fails, by file, and why the failure is real. */
const EXPECTED_FAILURES: Array<[RegExp, string]> = [
  // `flux build` test inputs: Kustomizations without interval/prune/sourceRef, which Flux's CRD requires.
  [/^fluxcd__flux2\/internal\/build\/testdata\//, "schema/required"],
  // Strategic-merge patches a kustomization lists (not named *patch*): partial HelmReleases.
  [/^fluxcd__flux2-kustomize-helm-example\/apps\/(staging|production)\/podinfo-values\.yaml$/, "schema/required"],
  // ApplicationSet design documents from before `project` and git `revision` were required; a proposal's fields.
  [/^argoproj__argo-cd\/applicationset\/examples\/design-doc\//, "schema/(required|additional-properties)"],
  // source.toolkit.fluxcd.io/v1beta2 is no longer served by Flux's current CRDs.
  [/^fluxcd__flux2-multi-tenancy\/infrastructure\/kyverno\/source\.yaml$/, "schema/removed-api"],
];

run("Flux and Argo CD objects of the corpus", () => {
  const docs = existsSync(CORPUS) ? gitopsDocuments() : [];
  const v = new SchemaValidator({ kubernetes: { enabled: true, strict: true }, unknownKinds: "fail", custom: [] });

  test("cover every GitOps kind the catalog is for", () => {
    const kinds = new Set(docs.map((d) => d.value.kind));
    for (const kind of ["Kustomization", "HelmRelease", "GitRepository", "HelmRepository", "OCIRepository"]) {
      expect(kinds).toContain(kind);
    }
    for (const kind of ["Application", "ApplicationSet", "AppProject"]) expect(kinds).toContain(kind);
    expect(docs.length).toBeGreaterThanOrEqual(390);
  });

  test("validate against the built-in CRD catalog; every failure is a real one", () => {
    let passed = 0;
    const unexplained: string[] = [];
    for (const d of docs) {
      const failures = v.validate(d).filter((f) => f.severity === "failure");
      if (failures.length === 0) passed++;
      for (const f of failures) {
        const why = EXPECTED_FAILURES.find(([file]) => file.test(f.location.file));
        if (!why || !new RegExp(`^${why[1]}$`).test(f.ruleId)) {
          unexplained.push(`${f.location.file}:${f.location.line} ${f.ruleId} ${f.message}`);
        }
      }
    }
    expect(unexplained).toEqual([]);
    // 370 of 392 on the corpus of 2026-12 (Flux 2 controllers v1.10/v1.6, Argo CD v3.6.2 CRDs).
    expect(passed / docs.length).toBeGreaterThan(0.94);
  });
});

run("kustomization files of the corpus", () => {
  test("all 256 validate against the schema derived from kustomize's Go type", () => {
    const v = new SchemaValidator({ kubernetes: { enabled: true, strict: true }, unknownKinds: "fail", custom: [] });
    let files = 0;
    const failures: string[] = [];
    for (const path of yamlFiles(CORPUS)) {
      if (!/\/kustomization\.ya?ml$/.test(path)) continue;
      let docs: ManifestDocument[];
      try {
        docs = parseManifests(readFileSync(path, "utf8"), relative(CORPUS, path));
      } catch {
        continue;
      }
      files++;
      for (const d of docs) {
        for (const f of v.validate(d)) failures.push(`${f.location.file}:${f.location.line} ${f.ruleId} ${f.message}`);
      }
    }
    // Only the Flux Kustomization objects of `flux build`'s test inputs (see above) fail.
    expect(failures.filter((f) => !f.startsWith("fluxcd__flux2/internal/build/testdata/"))).toEqual([]);
    expect(files).toBeGreaterThanOrEqual(250);
  });
});

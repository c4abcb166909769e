import type { ValidateFunction } from "ajv";
import type { Finding, ManifestDocument } from "../types.js";
import { applies, compileCustom, type CustomSchema, type CustomSchemaInput } from "./custom.js";
import { toFindings } from "./findings.js";
import { builtInCrds, CrdRegistry, crdSetFromText } from "./crd-registry.js";
import { DEFAULT_KUBERNETES_VERSION, kubernetesValidator, loadBundle } from "./kubernetes.js";
import { builtInLifecycle, lifecycleFinding, unknownKind } from "./lifecycle.js";
import { isKustomization, kustomizationValidator } from "./kustomize.js";
import { hasPatchDirectives, normalize, withoutSops } from "./normalize.js";
import picomatch from "picomatch";

export { SchemaLoadError } from "./errors.js";
export {
  DEFAULT_KUBERNETES_VERSION,
  KUBERNETES_VERSION,
  KUBERNETES_VERSIONS,
  builtInKinds,
  isKubernetesVersion,
} from "./kubernetes.js";

export interface SchemaValidatorOptions {
  /**
   * The built-in schemas: Kubernetes kinds of `version` (default: the newest bundled) and the CRD catalog
   * (Flux, Argo CD). `strict` rejects unknown fields, in CRD-defined kinds too.
   */
  kubernetes: { enabled: boolean; strict: boolean; version?: string };
  unknownKinds: "skip" | "warn" | "fail";
  /** Repository schemas, already loaded as objects (the config layer reads the files). */
  custom: Array<{ source: string; schema: object; apiVersion?: string; kind?: string; files?: string[] }>;
  /**
   * Files holding kustomize strategic-merge patches: partial objects, so the
   * built-in schemas do not ask for required fields there. Documents using
   * `$patch`-style directives are treated as patches wherever they are.
   * Default: {@link DEFAULT_PATCH_FILES}.
   */
  patchFiles?: string[];
  /** Files holding CustomResourceDefinitions (YAML/JSON text): their kinds are validated by their schemas. */
  crdFiles?: Array<{ source: string; text: string }>;
}

/** Kustomize's naming convention for patch files (`*patch*.yaml`). */
export const DEFAULT_PATCH_FILES = ["**/*patch*.{yaml,yml,json}"];

/** apiVersion and kind when the document is a Kubernetes object; Helm values, kustomize patches are not. */
function objectType(value: Record<string, unknown>): { apiVersion: string; kind: string } | undefined {
  const { apiVersion, kind } = value;
  if (typeof apiVersion === "string" && apiVersion !== "" && typeof kind === "string" && kind !== "") {
    return { apiVersion, kind };
  }
  return undefined;
}

/**
 * Validates manifest documents against the built-in Kubernetes schemas and the
 * repository's own. Built-in validators are compiled on first use of a kind
 * and shared process-wide; repository schemas are compiled once, here.
 */
export class SchemaValidator {
  private readonly options: SchemaValidatorOptions;
  private readonly custom: CustomSchema[];
  private readonly isPatchFile: (file: string) => boolean;
  private readonly crds: CrdRegistry;
  private readonly version: string;

  /** @throws SchemaLoadError naming the file of an invalid repository schema or CRD file, or an unknown version. */
  constructor(options: SchemaValidatorOptions) {
    this.options = options;
    this.version = options.kubernetes.version ?? DEFAULT_KUBERNETES_VERSION;
    if (options.kubernetes.enabled) loadBundle(this.version); // an unknown version fails here, not per document
    this.custom = (options.custom as CustomSchemaInput[]).map(compileCustom);
    const repositoryCrds = (options.crdFiles ?? []).map((f) => crdSetFromText(f.text, f.source));
    this.crds = new CrdRegistry([...repositoryCrds, ...(options.kubernetes.enabled ? builtInCrds() : [])]);
    const patchFiles = options.patchFiles ?? DEFAULT_PATCH_FILES;
    this.isPatchFile = patchFiles.length > 0 ? picomatch(patchFiles, { dot: true }) : () => false;
  }

  /** Findings of one document; never throws. */
  validate(doc: ManifestDocument): Finding[] {
    try {
      return this.check(doc);
    } catch (error) {
      // Hostile input (e.g. nesting deep enough to exhaust the stack) must not take the gate down.
      return [
        {
          ruleId: "schema/error",
          message: `schema validation failed: ${error instanceof Error ? error.message : String(error)}`,
          severity: "failure",
          source: "schema",
          location: { file: doc.file, line: doc.startLine },
          documentIndex: doc.index,
        },
      ];
    }
  }

  private check(doc: ManifestDocument): Finding[] {
    const value = doc.value;
    const type = objectType(value);
    const findings: Finding[] = [];
    const matching = this.custom.filter((s) => applies(s, doc.file, type?.apiVersion, type?.kind));
    for (const schema of matching) {
      findings.push(...run(schema.validate, value, doc, schema.source));
    }
    const { strict, enabled } = this.options.kubernetes;
    if (enabled && !matching.some((s) => s.byKind) && isKustomization(doc.file, type)) {
      return [...findings, ...this.runBuiltIn(kustomizationValidator(strict), doc)];
    }
    if (!type) return findings;

    if (matching.some((s) => s.byKind)) return findings;
    const crd = this.crds.find(type.apiVersion, type.kind);
    if (crd) {
      findings.push(...this.runBuiltIn(this.crds.validator(crd, strict), doc));
      if (crd.version.deprecated) findings.push(lifecycleFinding(doc, "deprecated", crd.version.deprecated));
      return findings;
    }
    const validate = enabled ? kubernetesValidator(type.apiVersion, type.kind, strict, this.version) : undefined;
    if (validate) findings.push(...this.runBuiltIn(validate, doc));
    const lifecycle = this.lifecycle(doc, type.apiVersion, type.kind, validate !== undefined);
    if (lifecycle) findings.push(lifecycle);
    else if (!validate && matching.length === 0 && this.options.unknownKinds !== "skip") {
      findings.push(unknownKind(doc, type.apiVersion, type.kind, this.options.unknownKinds));
    }
    return findings;
  }

  /** A removed API version (a failure whatever `unknownKinds` says: it is known, and gone) or a deprecated one. */
  private lifecycle(doc: ManifestDocument, apiVersion: string, kind: string, served: boolean): Finding | undefined {
    const crd = served ? undefined : this.crds.knownVersions(apiVersion, kind);
    if (crd) {
      const message =
        `${kind} ${apiVersion} is not served by its CustomResourceDefinition (${crd.source}): ` +
        `served versions of ${kind}: ${crd.versions.join(", ")}`;
      return lifecycleFinding(doc, "removed", message);
    }
    return this.options.kubernetes.enabled ? builtInLifecycle(doc, apiVersion, kind, this.version, served) : undefined;
  }

  /**
   * Validates as is first: almost every manifest passes, and then nothing is
   * copied. Only a failing document is normalized (nulls, sops, patch
   * directives) and validated again, so those are never reported.
   */
  private runBuiltIn(validate: ValidateFunction, doc: ManifestDocument): Finding[] {
    if (validate(doc.value)) return [];
    const patch = this.isPatchFile(doc.file) || hasPatchDirectives(doc.value);
    const data = normalize(withoutSops(doc.value), patch);
    if (validate(data)) return [];
    const errors = (validate.errors ?? []).filter((e) => !(patch && e.keyword === "required"));
    return toFindings(errors, doc, data, { severity: "failure" });
  }
}

function run(validate: ValidateFunction, data: unknown, doc: ManifestDocument, schemaName?: string): Finding[] {
  if (validate(data)) return [];
  return toFindings(validate.errors ?? [], doc, data, { severity: "failure", schemaName });
}

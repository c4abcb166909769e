import type { ValidateFunction } from "ajv";
import type { Finding, ManifestDocument } from "../types.js";
import { applies, compileCustom, type CustomSchema, type CustomSchemaInput } from "./custom.js";
import { toFindings } from "./findings.js";
import { kubernetesValidator } from "./kubernetes.js";
import { hasPatchDirectives, normalize, withoutSops } from "./normalize.js";
import picomatch from "picomatch";

export { SchemaLoadError } from "./errors.js";
export { KUBERNETES_VERSION, builtInKinds } from "./kubernetes.js";

export interface SchemaValidatorOptions {
  kubernetes: { enabled: boolean; strict: boolean };
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

  /** @throws SchemaLoadError naming the file of an invalid repository schema. */
  constructor(options: SchemaValidatorOptions) {
    this.options = options;
    this.custom = (options.custom as CustomSchemaInput[]).map(compileCustom);
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
    if (!type) return findings;

    const replacedByCustom = matching.some((s) => s.byKind);
    let validated = matching.length > 0;
    if (!replacedByCustom && this.options.kubernetes.enabled) {
      const validate = kubernetesValidator(type.apiVersion, type.kind, this.options.kubernetes.strict);
      if (validate) {
        validated = true;
        findings.push(...this.runBuiltIn(validate, doc));
      }
    }
    if (!validated && this.options.unknownKinds !== "skip") {
      findings.push(unknownKind(doc, type.apiVersion, type.kind, this.options.unknownKinds));
    }
    return findings;
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

function unknownKind(doc: ManifestDocument, apiVersion: string, kind: string, mode: "warn" | "fail"): Finding {
  return {
    ruleId: "schema/unknown-kind",
    message:
      `no schema for ${kind} (${apiVersion}): add a repository schema mapped to this ` +
      `apiVersion/kind, or set unknown kinds to "skip"`,
    severity: mode === "fail" ? "failure" : "warning",
    source: "schema",
    location: doc.locate(["kind"]),
    documentIndex: doc.index,
  };
}

import type { Finding, ManifestDocument } from "../types.js";
import { apiLifecycle, versionAtLeast } from "./kubernetes.js";

/** `apps/v1/Deployment` → `apps/v1 Deployment`, as a person writes it. */
const spaced = (key: string) => key.replace(/\/([^/]+)$/, " $1");

/** `schema/removed-api` (a failure) or `schema/deprecated-api` (a warning) on the document's apiVersion line. */
export function lifecycleFinding(doc: ManifestDocument, what: "removed" | "deprecated", message: string): Finding {
  return {
    ruleId: `schema/${what}-api`,
    message,
    severity: what === "removed" ? "failure" : "warning",
    source: "schema",
    location: doc.locate(["apiVersion"]),
    documentIndex: doc.index,
  };
}

/**
 * A built-in API version that the target Kubernetes version no longer serves (removed), or still serves but has
 * deprecated, from the upstream prerelease-lifecycle annotations; undefined otherwise.
 */
export function builtInLifecycle(
  doc: ManifestDocument,
  apiVersion: string,
  kind: string,
  version: string,
  served: boolean,
): Finding | undefined {
  const life = apiLifecycle(apiVersion, kind);
  if (!life) return undefined;
  const instead = life.replacement ? `; use ${spaced(life.replacement)}` : "";
  if (!served && life.removed && versionAtLeast(version, life.removed)) {
    const message = `${kind} ${apiVersion} was removed in Kubernetes ${life.removed} (checked against ${version})`;
    return lifecycleFinding(doc, "removed", message + instead);
  }
  if (served && life.deprecated && versionAtLeast(version, life.deprecated)) {
    const until = life.removed ? ` and is removed in ${life.removed}` : "";
    const message = `${kind} ${apiVersion} is deprecated since Kubernetes ${life.deprecated}${until}`;
    return lifecycleFinding(doc, "deprecated", message + instead);
  }
  return undefined;
}

export function unknownKind(doc: ManifestDocument, apiVersion: string, kind: string, mode: "warn" | "fail"): Finding {
  return {
    ruleId: "schema/unknown-kind",
    message:
      `no schema for ${kind} (${apiVersion}): add its CustomResourceDefinition (schemas.crds, --crd) or a ` +
      `repository schema mapped to this apiVersion/kind, or set unknown kinds to "skip" (--ignore-missing-schemas)`,
    severity: mode === "fail" ? "failure" : "warning",
    source: "schema",
    location: doc.locate(["kind"]),
    documentIndex: doc.index,
  };
}

import { countFindings, isBlocking, type Verdict } from "../gate/verdict.js";
import type { ExemptedFinding, Finding } from "../types.js";
import type { ReportContext } from "./context.js";
import { normalizePath, positive } from "./location.js";
import { jsonSafe, wellFormed } from "./sanitize.js";

/**
 * JSON report, format `version` 1. Keys are always present (unknown values are
 * `null`), so consumers can rely on the shape; new keys may be added without
 * a version bump, removals or type changes bump `version`.
 *
 * ```
 * {
 *   "version": 1,
 *   "toolVersion": "0.1.0",
 *   "policyRevision": "3f2c…" | null,
 *   "environments": [{
 *     "environment": "production",
 *     "mode": "enforce" | "warn" | "shadow",
 *     "blocking": true,                      // enforce mode and ≥ 1 failure
 *     "counts": { "failures": 2, "warnings": 1, "exceptions": 1 },
 *     "filesChecked": 3,
 *     "documentsChecked": 14,
 *     "durationMs": 120,
 *     "findings": [{
 *       "ruleId": "pod-security/privileged",
 *       "severity": "failure" | "warning",
 *       "message": "…",
 *       "file": "envs/production/app.yaml",   // `/` separators
 *       "line": 12, "column": 7 | null,        // 1-based
 *       "endLine": 12 | null, "endColumn": 20 | null,
 *       "source": "policy" | "schema" | "parse" | "limit" | "engine",
 *       "namespace": "main" | null, "rule": "deny" | null,
 *       "documentIndex": 0 | null,             // 0-based, within the file
 *       "metadata": { … } | null               // extra fields of the Rego finding
 *     }],
 *     "exemptions": [{ …same fields…, "exemptedBy": "exception rule" }]
 *   }]
 * }
 * ```
 */
export interface JsonReport {
  version: 1;
  toolVersion: string;
  policyRevision: string | null;
  environments: JsonEnvironment[];
}

export interface JsonEnvironment {
  environment: string;
  mode: Verdict["mode"];
  blocking: boolean;
  counts: { failures: number; warnings: number; exceptions: number };
  filesChecked: number;
  documentsChecked: number;
  durationMs: number;
  findings: JsonFinding[];
  exemptions: JsonExemption[];
}

export interface JsonFinding {
  ruleId: string;
  severity: Finding["severity"];
  message: string;
  file: string;
  line: number | null;
  column: number | null;
  endLine: number | null;
  endColumn: number | null;
  source: Finding["source"];
  namespace: string | null;
  rule: string | null;
  documentIndex: number | null;
  metadata: Record<string, unknown> | null;
}

export interface JsonExemption extends JsonFinding {
  exemptedBy: string;
}

export function toJsonReport(verdicts: Verdict[], ctx: ReportContext): JsonReport {
  return {
    version: 1,
    toolVersion: ctx.toolVersion,
    policyRevision: ctx.policyRevision ?? null,
    environments: verdicts.map(toJsonEnvironment),
  };
}

export function formatJson(verdicts: Verdict[], ctx: ReportContext): string {
  return JSON.stringify(toJsonReport(verdicts, ctx), null, 2) + "\n";
}

function toJsonEnvironment(v: Verdict): JsonEnvironment {
  return {
    environment: wellFormed(v.environment),
    mode: v.mode,
    blocking: isBlocking(v),
    counts: countFindings(v),
    filesChecked: v.filesChecked,
    documentsChecked: v.documentsChecked,
    durationMs: v.durationMs,
    findings: v.findings.map(toJsonFinding),
    exemptions: v.exemptions.map((e: ExemptedFinding) => ({
      ...toJsonFinding(e),
      exemptedBy: wellFormed(e.exemptedBy),
    })),
  };
}

function toJsonFinding(f: Finding): JsonFinding {
  const loc = f.location;
  const documentIndex =
    typeof f.documentIndex === "number" && Number.isInteger(f.documentIndex) && f.documentIndex >= 0
      ? f.documentIndex
      : null;
  const metadata = f.metadata === undefined ? null : (jsonSafe(f.metadata) as Record<string, unknown> | null);
  return {
    ruleId: wellFormed(f.ruleId),
    severity: f.severity,
    message: wellFormed(f.message),
    file: wellFormed(normalizePath(loc.file)),
    line: positive(loc.line) ?? null,
    column: positive(loc.column) ?? null,
    endLine: positive(loc.endLine) ?? null,
    endColumn: positive(loc.endColumn) ?? null,
    source: f.source,
    namespace: f.namespace ?? null,
    rule: f.rule ?? null,
    documentIndex,
    metadata,
  };
}

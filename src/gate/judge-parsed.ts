/**
 * Judging documents parsed elsewhere — objects rendered by kustomize, whose `locate` points back at source
 * lines — with an engine's schemas and policies. Every document belongs to the environment (no path
 * selection); each file's problems (rendering failures) are findings of the verdict.
 */
import { monotonicMs } from "./clock.js";
import type { EnvironmentConfig } from "../config/types.js";
import type { ParsedFile } from "../manifests/parse.js";
import type { CompiledPolicy } from "../policy/compile.js";
import { toFindings } from "../policy/results.js";
import { EvaluationError, type PolicyRunner } from "../policy/runner.js";
import type { SchemaValidator } from "../schema/validator.js";
import type { ExemptedFinding, Finding } from "../types.js";
import type { Verdict } from "./verdict.js";

export interface JudgeParts {
  compiled: CompiledPolicy;
  runner: PolicyRunner;
  schemas: SchemaValidator;
  /** The Rego namespaces the environment evaluates (none: schemas only). */
  namespaces: string[];
}

export function judgeParsed(
  env: EnvironmentConfig,
  files: readonly ParsedFile[],
  parts: JudgeParts,
  now?: () => bigint,
): Verdict {
  const started = monotonicMs();
  const findings: Finding[] = files.flatMap((f) => f.problems);
  const exemptions: ExemptedFinding[] = [];
  parts.runner.beginBatch(now);
  let documents = 0;
  for (const file of files) {
    if (file.documents.length === 0) continue;
    documents += file.documents.length;
    for (const doc of file.documents) findings.push(...parts.schemas.validate(doc));
    if (parts.namespaces.length === 0) continue;
    try {
      const raw = parts.runner.evaluateFile(
        file.documents.map((d) => d.value),
        parts.namespaces,
        { environment: env.name, file: file.file },
      );
      file.documents.forEach((doc, i) => {
        const r = toFindings(doc, raw[i], parts.compiled.namespaces);
        findings.push(...r.findings);
        exemptions.push(...r.exemptions);
      });
    } catch (err) {
      if (!(err instanceof EvaluationError)) throw err;
      // Fail closed for this file's objects; the others are still judged.
      findings.push({
        ruleId: "engine/evaluation-error",
        message: `policy evaluation failed for the objects of this file: ${err.message}`,
        severity: "failure",
        source: "engine",
        location: { file: file.file, line: file.documents[0].startLine },
      });
    }
  }
  return {
    environment: env.name,
    mode: env.mode,
    findings: findings.sort(byLocation),
    exemptions: exemptions.sort(byLocation),
    filesChecked: files.filter((f) => f.documents.length > 0).length,
    documentsChecked: documents,
    durationMs: Math.round((monotonicMs() - started) * 10) / 10,
  };
}

function byLocation(a: Finding, b: Finding): number {
  return (
    (a.location.file < b.location.file ? -1 : a.location.file > b.location.file ? 1 : 0) ||
    a.location.line - b.location.line ||
    (a.location.column ?? 0) - (b.location.column ?? 0) ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)
  );
}

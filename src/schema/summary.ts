import type { Finding } from "../types.js";

/** What a summary needs of one environment's verdict. */
export interface SummaryInput {
  environment: string;
  findings: Finding[];
  filesChecked: number;
  documentsChecked: number;
}

/**
 * kubeconform's `-summary` line, per environment: documents checked, and how many the schemas found invalid
 * (a schema failure: wrong fields, removed API versions, errors) or had no schema for (`schema/unknown-kind`
 * reported as a warning or failure; skipped kinds are not counted apart). Policy findings do not count.
 */
export function schemaSummary(verdicts: SummaryInput[]): string {
  return verdicts
    .map((v) => {
      const invalid = new Set<string>();
      const unknown = new Set<string>();
      for (const f of v.findings) {
        if (f.source !== "schema") continue;
        const doc = `${f.location.file}#${f.documentIndex ?? 0}`;
        if (f.ruleId === "schema/unknown-kind") unknown.add(doc);
        else if (f.severity === "failure") invalid.add(doc);
      }
      for (const doc of invalid) unknown.delete(doc);
      const valid = Math.max(0, v.documentsChecked - invalid.size - unknown.size);
      const prefix = verdicts.length > 1 ? `${v.environment}: ` : "";
      return (
        `${prefix}Summary: ${v.documentsChecked} resources found in ${v.filesChecked} files - ` +
        `Valid: ${valid}, Invalid: ${invalid.size}, No schema: ${unknown.size}`
      );
    })
    .join("\n");
}

import type { DocPath, ExemptedFinding, Finding, ManifestDocument, Severity } from "../types.js";
import type { RuleInfo } from "./inspect.js";
import type { RawDocumentResult } from "./runner.js";

/**
 * Turns one document's raw rule values into findings, with conftest's
 * semantics: `deny*`/`violation*` fail, `warn*` warns, and an `exception`
 * naming `foo` exempts `deny_foo` and `violation_foo` (`""` exempts the bare
 * `deny` and `violation`). A finding's `path` is mapped to its source line.
 */
export function toFindings(
  doc: ManifestDocument,
  raw: RawDocumentResult,
  rules: Record<string, RuleInfo[]>,
): { findings: Finding[]; exemptions: ExemptedFinding[] } {
  const findings: Finding[] = [];
  const exemptions: ExemptedFinding[] = [];
  for (const [namespace, values] of Object.entries(raw)) {
    const exempt = exemptedSuffixes(values.exception);
    for (const rule of rules[namespace] ?? []) {
      if (rule.kind === "exception") continue;
      const severity: Severity = rule.kind === "warn" ? "warning" : "failure";
      const suffix = rule.name.slice(rule.kind.length + 1);
      const exemptable = rule.kind !== "warn" && exempt.has(suffix);
      for (const value of flatten(values[rule.name])) {
        const finding = toFinding(doc, namespace, rule.name, severity, value);
        if (!finding) continue;
        if (exemptable) exemptions.push({ ...finding, exemptedBy: `${namespace}.exception` });
        else findings.push(finding);
      }
    }
  }
  return { findings, exemptions };
}

/** Rule values arrive as `[v]` (defined) or `[]`; a set or array rule's `v` is a list. */
function flatten(values: unknown[] | undefined): unknown[] {
  const out: unknown[] = [];
  for (const v of values ?? []) {
    if (Array.isArray(v)) out.push(...v);
    else out.push(v);
  }
  return out;
}

function exemptedSuffixes(values: unknown[] | undefined): Set<string> {
  const out = new Set<string>();
  for (const v of flatten(values)) {
    // conftest: `exception contains rules if { rules := ["foo"] }` — each value is a list of names.
    if (Array.isArray(v)) for (const name of v) out.add(String(name));
    else if (typeof v === "string") out.add(v);
  }
  return out;
}

function toFinding(
  doc: ManifestDocument,
  namespace: string,
  rule: string,
  severity: Severity,
  value: unknown,
): Finding | undefined {
  const ruleRef = `${namespace}.${rule}`;
  let message: string;
  let id = ruleRef;
  let path: DocPath | undefined;
  let metadata: Record<string, unknown> | undefined;
  if (value === false || value === null) return undefined;
  if (typeof value === "string") message = value;
  else if (value === true) message = `${ruleRef} failed`;
  else if (typeof value === "object") {
    const { msg, path: p, id: rid, ...rest } = value as Record<string, unknown>;
    message =
      typeof msg === "string"
        ? msg
        : `${ruleRef} returned a result without a "msg" string: ${truncate(JSON.stringify(value))}`;
    if (typeof rid === "string" && rid) id = rid;
    if (Array.isArray(p) && p.every((x) => typeof x === "string" || typeof x === "number")) path = p;
    if (Object.keys(rest).length) metadata = rest;
  } else message = String(value);
  return {
    ruleId: id,
    message,
    severity,
    source: "policy",
    location: doc.locate(path ?? []),
    documentIndex: doc.index,
    namespace,
    rule,
    ...(metadata ? { metadata } : {}),
  };
}

function truncate(s: string, n = 200): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}

import type { DocPath, ExemptedFinding, Finding, ManifestDocument, Severity } from "../types.js";
import type { RuleInfo } from "./inspect.js";
import type { RawDocumentResult } from "./runner.js";

/**
 * Turns one document's raw rule values into findings, with conftest's
 * semantics: `deny*`/`violation*` fail, `warn*` warns; only a set's (or
 * array's) string and object members are results — a boolean (`deny if …`),
 * number or complete-rule string is not, nor is an empty message. An
 * `exception` naming `foo` (`exception contains ["foo"]`) exempts the whole
 * rule `deny_foo`, `violation_foo` and `warn_foo` (`""`: the bare `deny`,
 * `violation` and `warn`); an exempted rule counts once per time an exception names it, results or not.
 * A finding's `path` is mapped to its source line. The raw result leaves empty rule values out (see entry.ts),
 * so rules are taken from the policy index, never from the raw keys.
 */
export function toFindings(
  doc: ManifestDocument,
  raw: RawDocumentResult,
  rules: Record<string, RuleInfo[]>,
): { findings: Finding[]; exemptions: ExemptedFinding[] } {
  const findings: Finding[] = [];
  const exemptions: ExemptedFinding[] = [];
  for (const namespace of Object.keys(raw)) {
    const values = raw[namespace];
    const exempt = exemptedSuffixes(values.exception);
    for (const rule of rules[namespace] ?? []) {
      if (rule.kind === "exception") continue;
      const severity: Severity = rule.kind === "warn" ? "warning" : "failure";
      const results: Finding[] = [];
      for (const value of members(values[rule.name])) {
        const f = toFinding(doc, namespace, rule.name, severity, value);
        if (f !== undefined) results.push(f);
      }
      const times = exempt === NONE ? 0 : (exempt.get(rule.name.slice(rule.kind.length + 1)) ?? 0);
      if (times > 0) {
        const exempted = results[0] ?? {
          ruleId: `${namespace}.${rule.name}`,
          message: `${namespace}.${rule.name} (no result)`,
          severity,
          source: "policy" as const,
          location: doc.locate([]),
          documentIndex: doc.index,
          namespace,
          rule: rule.name,
        };
        // conftest counts each way `exception[_][_]` names the rule.
        for (let i = 0; i < times; i++) exemptions.push({ ...exempted, exemptedBy: `${namespace}.exception` });
      } else findings.push(...results);
    }
  }
  return { findings, exemptions };
}

const EMPTY: readonly unknown[] = [];
const NONE: ReadonlyMap<string, number> = new Map();

/** Rule values arrive as `[v]`, or not at all when empty; only a set or array `v` holds results (conftest). */
function members(values: unknown[] | undefined): readonly unknown[] {
  if (values === undefined || values.length === 0) return EMPTY;
  if (values.length === 1) return Array.isArray(values[0]) ? (values[0] as unknown[]) : EMPTY;
  const out: unknown[] = [];
  for (const v of values) if (Array.isArray(v)) out.push(...v);
  return out;
}

/** conftest queries `exception[_][_] == "<name>"`: each value of the rule is a list of rule names; name → count. */
function exemptedSuffixes(values: unknown[] | undefined): ReadonlyMap<string, number> {
  const listed = members(values);
  if (listed.length === 0) return NONE;
  const out = new Map<string, number>();
  for (const v of listed) {
    if (Array.isArray(v)) for (const name of v) if (typeof name === "string") out.set(name, (out.get(name) ?? 0) + 1);
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
  if (value === "") return undefined;
  if (typeof value === "string") message = value;
  else if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const { msg, path: p, id: rid, ...rest } = value as Record<string, unknown>;
    if (msg === "") return undefined; // conftest: an empty message is a success
    message =
      typeof msg === "string"
        ? msg
        : `${ruleRef} returned a result without a "msg" string: ${truncate(JSON.stringify(value))}`;
    if (typeof rid === "string" && rid) id = rid;
    if (Array.isArray(p) && p.every((x) => typeof x === "string" || typeof x === "number")) path = p;
    if (Object.keys(rest).length) metadata = rest;
  } else return undefined;
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

import type { Verdict } from "../../src/gate/verdict.js";
import type { ExemptedFinding, Finding } from "../../src/types.js";

/** Shared test data: a verdict with every kind of entry and hostile text. */
export const ODD = "a <b> & \"c\" 'd' | `e` %f: g, h\nsecond line\u0007\u001b[31m 🚀 ]]>";

export function finding(over: Partial<Finding> = {}): Finding {
  return {
    ruleId: "pod-security/privileged",
    message: 'Deployment/web: container "app" runs privileged',
    severity: "failure",
    source: "policy",
    location: { file: "envs/production/app.yaml", line: 12, column: 7, endLine: 12, endColumn: 20 },
    documentIndex: 0,
    namespace: "main",
    rule: "deny",
    ...over,
  };
}

export function exemption(over: Partial<ExemptedFinding> = {}): ExemptedFinding {
  return {
    ...finding({
      ruleId: "resources/limits",
      message: 'container "app" has no memory limit',
      location: { file: "envs/production/db.yaml", line: 3, column: 5 },
    }),
    exemptedBy: "exception[resources/limits]",
    ...over,
  };
}

export function productionVerdict(): Verdict {
  return {
    environment: "production",
    mode: "enforce",
    findings: [
      finding(),
      finding({
        ruleId: "schema/required",
        source: "schema",
        message: ODD,
        location: { file: "envs/production/odd dir/x%y.yaml", line: 4 },
        metadata: { severity: "high", tags: ["a", 1] },
      }),
      finding({
        ruleId: "images/latest",
        severity: "warning",
        message: "image uses :latest",
        location: { file: "envs/production/app.yaml", line: 20, column: 9, endLine: 22, endColumn: 3 },
      }),
    ],
    exemptions: [exemption()],
    filesChecked: 3,
    documentsChecked: 14,
    durationMs: 1234,
  };
}

export function cleanVerdict(over: Partial<Verdict> = {}): Verdict {
  return {
    environment: "staging",
    mode: "enforce",
    findings: [],
    exemptions: [],
    filesChecked: 2,
    documentsChecked: 5,
    durationMs: 10,
    ...over,
  };
}

export const ctx = { toolVersion: "0.1.0", policyRevision: "0123456789abcdef0123456789abcdef01234567" };

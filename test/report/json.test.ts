import { formatJson } from "../../src/report/json.js";
import { cleanVerdict, ctx, ODD, productionVerdict } from "./sample-verdicts.js";

describe("json format", () => {
  const report = JSON.parse(formatJson([productionVerdict(), cleanVerdict({ mode: "shadow" })], ctx));

  it("has the documented top-level shape", () => {
    expect(report.version).toBe(1);
    expect(report.toolVersion).toBe("0.1.0");
    expect(report.policyRevision).toBe(ctx.policyRevision);
    expect(report.environments.map((e: { environment: string }) => e.environment)).toEqual(["production", "staging"]);
  });

  it("summarises each environment", () => {
    const [prod, staging] = report.environments;
    expect(prod).toMatchObject({
      mode: "enforce",
      blocking: true,
      counts: { failures: 2, warnings: 1, exceptions: 1 },
      filesChecked: 3,
      documentsChecked: 14,
    });
    expect(staging).toMatchObject({ mode: "shadow", blocking: false, findings: [], exemptions: [] });
  });

  it("flattens findings with null for unknown values", () => {
    const [first, odd] = report.environments[0].findings;
    expect(first).toEqual({
      ruleId: "pod-security/privileged",
      severity: "failure",
      message: 'Deployment/web: container "app" runs privileged',
      file: "envs/production/app.yaml",
      line: 12,
      column: 7,
      endLine: 12,
      endColumn: 20,
      source: "policy",
      namespace: "main",
      rule: "deny",
      documentIndex: 0,
      metadata: null,
    });
    expect(odd).toMatchObject({
      message: ODD,
      column: null,
      endLine: null,
      endColumn: null,
      metadata: { severity: "high", tags: ["a", 1] },
    });
    expect(Object.keys(odd)).toEqual(Object.keys(first));
  });

  it("lists exemptions with who exempted them", () => {
    expect(report.environments[0].exemptions[0]).toMatchObject({
      ruleId: "resources/limits",
      exemptedBy: "exception[resources/limits]",
      line: 3,
      column: 5,
    });
  });

  it("survives metadata that is not plain JSON and lone surrogates", () => {
    const v = cleanVerdict();
    const cyclic: Record<string, unknown> = { n: 10n };
    cyclic.self = cyclic;
    v.findings.push({
      ruleId: "x",
      message: "bad \uD800 half",
      severity: "warning",
      source: "policy",
      location: { file: "a.yaml", line: 1 },
      metadata: cyclic,
    });
    const f = JSON.parse(formatJson([v], ctx)).environments[0].findings[0];
    expect(f.metadata).toEqual({ n: "10", self: "[Circular]" });
    expect(f.message).toBe("bad \uFFFD half");
  });
});

import { formatText, summaryLine } from "../../src/report/text.js";
import { cleanVerdict, ctx, productionVerdict } from "./sample-verdicts.js";

describe("text format", () => {
  const out = formatText([productionVerdict(), cleanVerdict()], ctx);
  const lines = out.split("\n");

  it("prints one precise line per finding, conftest-style", () => {
    expect(lines[0]).toBe(
      'FAIL - envs/production/app.yaml:12:7 - pod-security/privileged - Deployment/web: container "app" ' +
        "runs privileged",
    );
    expect(out).toContain("WARN - envs/production/app.yaml:20:9 - images/latest - image uses :latest");
    expect(out).toContain(
      'EXCEPTION - envs/production/db.yaml:3:5 - resources/limits - container "app" has no memory limit ' +
        "(exempted by exception[resources/limits])",
    );
  });

  it("prints file:line when the column is unknown", () => {
    expect(out).toContain("FAIL - envs/production/odd dir/x%y.yaml:4 - schema/required - ");
  });

  it("escapes control characters and indents continuation lines", () => {
    expect(out).not.toContain("\u001b");
    expect(out).not.toContain("\u0007");
    expect(out).toContain("\\x1b[31m");
    expect(out).toContain("\n    second line\\x07");
  });

  it("ends each environment with a summary line, environments separated by a blank line", () => {
    expect(out).toContain(
      "production: 14 documents in 3 files, 2 failures, 1 warning, 1 exception\n\nstaging: 5 documents in 2 " +
        "files, 0 failures, 0 warnings, 0 exceptions\n",
    );
  });

  it("notes non-blocking modes and singulars", () => {
    expect(summaryLine(cleanVerdict({ mode: "warn", documentsChecked: 1, filesChecked: 1 }))).toBe(
      "staging: 1 document in 1 file, 0 failures, 0 warnings, 0 exceptions (warn mode, not blocking)",
    );
  });

  it("uses colours only when asked", () => {
    expect(formatText([productionVerdict()], { ...ctx, color: true })).toContain("\u001b[31mFAIL\u001b[0m - ");
  });

  it("does not crash on a location without a usable line or file", () => {
    const v = cleanVerdict();
    v.findings.push({
      ruleId: "engine/error",
      message: "",
      severity: "failure",
      source: "engine",
      location: { file: "", line: 0 },
    });
    expect(formatText([v], ctx)).toContain("FAIL - (unknown file) - engine/error - (no message)");
  });
});

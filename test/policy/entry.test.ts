import { compilePolicies } from "../../src/policy/compile.js";
import { toFindings } from "../../src/policy/results.js";
import { PolicyRunner } from "../../src/policy/runner.js";
import type { ManifestDocument } from "../../src/types.js";

// Every kind of empty value next to values that are kept: what the raw result carries.
const main = {
  path: "policy/main.rego",
  content: [
    "package main",
    "",
    'deny if input.kind == "Deployment"', // true, or undefined: left out
    'deny_none contains "never" if false', // an empty set: left out
    'deny_found contains "found" if true',
    "violation_list := []", // an empty array: left out
    'warn_map := {"a": 1}', // no result, but not empty: kept (results.ts decides)
    'exception contains ["none"] if true', // names a rule without results
    "",
  ].join("\n"),
};
const other = { path: "policy/other.rego", content: 'package other\n\ndeny contains "o" if false\n' };

const doc = (value: Record<string, unknown>): ManifestDocument => ({
  file: "a.yaml",
  index: 0,
  value,
  startLine: 1,
  endLine: 3,
  locate: () => ({ file: "a.yaml", line: 1 }),
});

describe("generated entry: only non-empty rule values, every namespace", () => {
  test("file entry: empty sets, empty arrays and undefined rules are left out; empty namespaces stay", async () => {
    const compiled = await compilePolicies([main, other], { namespaces: ["main", "other"], cacheDir: false });
    const runner = new PolicyRunner(compiled);
    const raw = runner.evaluateFile([{ kind: "Deployment" }, { kind: "Service" }], ["main", "other"], {
      environment: "e",
      file: "a.yaml",
    });
    const kept = { deny_found: [["found"]], warn_map: [{ a: 1 }], exception: [[["none"]]] };
    expect(raw).toEqual([
      { main: { deny: [true], ...kept }, other: {} },
      { main: kept, other: {} },
    ]);

    // `deny_none` has no key: the exception still exempts it, as conftest does ("results or not").
    const r = toFindings(doc({ kind: "Service" }), raw[1], compiled.namespaces);
    expect(r.findings.map((f) => [f.rule, f.message])).toEqual([["deny_found", "found"]]);
    expect(r.exemptions.map((e) => [e.rule, e.message, e.exemptedBy])).toEqual([
      ["deny_none", "main.deny_none (no result)", "main.exception"],
    ]);
  });

  test("PR entry: the same shape", async () => {
    const compiled = await compilePolicies([main, other], { namespaces: ["main", "other"], cacheDir: false });
    const runner = new PolicyRunner(compiled);
    expect(runner.evaluatePr({ kind: "Service" }, ["main", "other"])).toEqual({
      main: { deny_found: [["found"]], warn_map: [{ a: 1 }], exception: [[["none"]]] },
      other: {},
    });
  });
});

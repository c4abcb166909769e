import { compilePolicies } from "../../src/policy/compile.js";
import { PolicyRunner } from "../../src/policy/runner.js";
import { runPolicyTests } from "../../src/policy/tests.js";

// Issue 11 item 18: file names come from repositories and may look like opa options; `--` keeps them file names.
const policy = { path: "-e.rego", content: 'package main\n\ndeny contains "flagged" if input.a == 1\n' };
const unitTest = {
  path: "--bundle_test.rego",
  content: 'package main\n\ntest_flagged if "flagged" in deny with input as {"a": 1}\n',
};

describe("issue 11 item 18: opa command lines end options with --", () => {
  test("a policy file named like a flag compiles and evaluates", async () => {
    const runner = new PolicyRunner(await compilePolicies([policy], { cacheDir: false }));
    expect(runner.evaluateFile([{ a: 1 }], ["main"], { environment: "e", file: "f.yaml" })).toEqual([
      { main: { deny: [["flagged"]] } },
    ]);
  });

  test("opa check and opa test take flag-like file names as files", async () => {
    const run = await runPolicyTests([policy, unitTest]);
    expect(run.errors).toEqual([]);
    expect(run.results).toEqual([expect.objectContaining({ name: "test_flagged", outcome: "pass" })]);
  });
});

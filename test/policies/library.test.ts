import { join } from "node:path";
import { readRegoFiles } from "../../src/policy/sources.js";
import { runPolicyTests } from "../../src/policy/tests.js";
import { PACKAGE_ROOT } from "../../src/policy/toolchain.js";

// The built-in library's and the example repository's *_test.rego, run by opa test.
describe.each([
  ["built-in library", join(PACKAGE_ROOT, "policies")],
  ["example repository", join(PACKAGE_ROOT, "examples", "gitops", "policy")],
])("%s Rego unit tests", (_name, dir) => {
  test("all pass", async () => {
    const run = await runPolicyTests(readRegoFiles(["."], dir, "all"));
    expect(run.errors).toEqual([]);
    expect(run.results.length).toBeGreaterThan(4);
    const failed = run.results
      .filter((r) => r.outcome !== "pass")
      .map((r) => `${r.file}:${r.line} ${r.package}.${r.name}: ${r.outcome} ${r.message ?? ""}`);
    expect(failed).toEqual([]);
  });
});

test("a failing Rego test is reported with its location", async () => {
  const run = await runPolicyTests([
    { path: "p/a.rego", content: "package a\n\nallow if input.ok\n" },
    {
      path: "p/a_test.rego",
      content:
        'package a_test\n\nimport data.a\n\ntest_ok if a.allow with input as {"ok": true}\n\ntest_wrong if ' +
        'a.allow with input as {"ok": false}\n',
    },
  ]);
  expect(run.results.map((r) => [r.file, r.line, r.name, r.outcome])).toEqual([
    ["p/a_test.rego", 5, "test_ok", "pass"],
    ["p/a_test.rego", 7, "test_wrong", "fail"],
  ]);
});

test("policy unit tests cannot read opa's environment or reach the network", async () => {
  process.env.STAGEGATE_TEST_SECRET = "hunter2";
  const run = await runPolicyTests([
    {
      path: "p/a_test.rego",
      content: "package a_test\n\ntest_env if {\n\tprint(opa.runtime().env.STAGEGATE_TEST_SECRET)\n\tfalse\n}\n",
    },
  ]);
  delete process.env.STAGEGATE_TEST_SECRET;
  expect(run.results).toEqual([]);
  expect(run.errors[0]).toMatchObject({ file: "p/a_test.rego", line: 4, message: "undefined function opa.runtime" });
});

test("a failing test's print output is shown as text", async () => {
  const run = await runPolicyTests([
    {
      path: "p/b_test.rego",
      content: 'package b_test\n\ntest_says if {\n\tprint("expected 2 replicas")\n\tfalse\n}\n',
    },
  ]);
  expect(run.results[0]).toMatchObject({ outcome: "fail", message: expect.stringContaining("expected 2 replicas") });
});

import { compilePolicies } from "../../src/policy/compile.js";
import { BudgetError, PolicySandbox } from "../../src/sandbox/policy-sandbox.js";

const source = {
  path: "policy/p.rego",
  content:
    "package main\n\n" +
    'deny contains sprintf("%s is too big", [input.metadata.name]) if count(input.data.blob) > 10\n\n' +
    // Runs effectively forever: 10^15 iterations.
    'deny contains "forever" if {\n  input.metadata.name == "forever"\n' +
    "  n := count([x | some a in numbers.range(1, 100000); some b in numbers.range(1, 100000); " +
    "some c in numbers.range(1, 100000); x := a + b + c])\n  n < 0\n}\n\n" +
    'deny contains "hog" if {\n  input.metadata.name == "hog"\n' +
    '  n := count([x | some a in numbers.range(1, 100000000); x := sprintf("%d-%d", [a, a])])\n  n < 0\n}\n',
};
const doc = (name: string, size = 1) => ({ metadata: { name }, data: { blob: "x".repeat(size) } });
const ctx = (file: string) => ({ environment: "production", file });

describe("PolicySandbox (worker thread with budgets)", () => {
  test("evaluates files in a worker, per file, in order", async () => {
    const sandbox = new PolicySandbox(await compilePolicies([source], { cacheDir: false }));
    try {
      const out = await sandbox.evaluateFiles(
        [
          { documents: [doc("a"), doc("big", 20)], context: ctx("a.yaml") },
          { documents: [doc("c", 30)], context: ctx("c.yaml") },
        ],
        ["main"],
      );
      // An empty rule value is left out of the raw result; its namespace stays.
      expect(out).toEqual([
        { raw: [{ main: {} }, { main: { deny: [["big is too big"]] } }] },
        { raw: [{ main: { deny: [["c is too big"]] } }] },
      ]);
      expect(sandbox.started).toBe(1);
    } finally {
      await sandbox.close();
    }
  });

  test("a policy that runs forever is stopped at the wall-clock budget; the worker is replaced", async () => {
    const sandbox = new PolicySandbox(await compilePolicies([source], { cacheDir: false }), { timeoutMs: 1000 });
    try {
      let ticks = 0;
      const ticker = setInterval(() => ticks++, 10);
      const run = sandbox.evaluateFiles([{ documents: [doc("forever")], context: ctx("f.yaml") }], ["main"]);
      await expect(run).rejects.toThrow(new BudgetError("policy evaluation exceeded its budget of 1 s"));
      clearInterval(ticker);
      expect(ticks).toBeGreaterThan(5); // this thread's event loop kept running meanwhile
      const after = await sandbox.evaluateFiles([{ documents: [doc("ok", 20)], context: ctx("o.yaml") }], ["main"]);
      expect(after).toEqual([{ raw: [{ main: { deny: [["ok is too big"]] } }] }]);
      expect(sandbox.started).toBe(2);
    } finally {
      await sandbox.close();
    }
  });

  test("a policy that allocates without bound fails naming the memory budget", async () => {
    const sandbox = new PolicySandbox(await compilePolicies([source], { cacheDir: false }), {
      memoryMiB: 64,
      timeoutMs: 50_000,
    });
    try {
      // The whole call is rejected (not just this file's outcome), as on expiry: the policy is at fault.
      const out = await sandbox
        .evaluateFiles([{ documents: [doc("hog")], context: ctx("h.yaml") }], ["main"])
        .catch((e: Error) => e);
      expect(out).toBeInstanceOf(BudgetError);
      expect((out as Error).message).toContain("exceeded its memory budget of 64 MiB");
    } finally {
      await sandbox.close();
    }
  });
});

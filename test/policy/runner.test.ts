import { compilePolicies } from "../../src/policy/compile.js";
import { EvaluationError, PolicyRunner } from "../../src/policy/runner.js";

const source = {
  path: "policy/p.rego",
  content:
    'package main\n\ndeny contains sprintf("%s is too big", [input.metadata.name]) if count(input.data.blob) > 10\n',
};
const doc = (name: string, size: number) => ({ metadata: { name }, data: { blob: "x".repeat(size) } });
const ctx = { environment: "production", file: "a.yaml" };

describe("PolicyRunner", () => {
  test("replaces an instance whose memory grew past the bound, and keeps answering correctly", async () => {
    const runner = new PolicyRunner(await compilePolicies([source], { cacheDir: false }), {
      recycleAboveBytes: 2 * 1024 * 1024,
    });
    expect(runner.evaluateFile([doc("small", 1)], ["main"], ctx)[0]).toEqual({ main: {} });
    const big = runner.evaluateFile([doc("big", 4 * 1024 * 1024)], ["main"], ctx);
    expect(big[0].main.deny).toEqual([["big is too big"]]);
    expect(runner.recycled).toBe(1);
    expect(runner.evaluateFile([doc("after", 20)], ["main"], ctx)[0].main.deny).toEqual([["after is too big"]]);
  });

  test("an input beyond the memory cap is an EvaluationError, and the next file still evaluates", async () => {
    const runner = new PolicyRunner(await compilePolicies([source], { cacheDir: false }), {
      maxMemoryBytes: 8 * 1024 * 1024,
    });
    expect(() => runner.evaluateFile([doc("huge", 16 * 1024 * 1024)], ["main"], ctx)).toThrow(EvaluationError);
    expect(runner.evaluateFile([doc("ok", 20)], ["main"], ctx)[0].main.deny).toEqual([["ok is too big"]]);
  });
});

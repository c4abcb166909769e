/**
 * The wasm host (src/policy/opa-wasm.ts) on modules built by the real opa: host builtins (Stagegate's, OPA-conformant
 * replacements of the SDK's, and the SDK's own), aborts, data, and both ABI 1.x evaluation paths.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readBundleFile } from "../../src/policy/bundle.js";
import { createCustomBuiltins } from "../../src/policy/builtins/index.js";
import { loadPolicySync, WasmAbort, type HostBuiltin } from "../../src/policy/opa-wasm.js";
import { findOpa } from "../../src/policy/toolchain.js";

const POLICY = `package t

fmt := sprintf("%v and %d", [["a"], 7])
parts := regex.split("(\\\\d)", "a1b")
from_yaml := yaml.unmarshal("a: [1, two]")
cpu := units.parse(input.cpu)
far_exact := time.add_date(0, 200, 0, 0) == 6311433600000000000
far_not_rounded := time.add_date(0, 200, 0, 0) != 6311433600000000001
env := data.env
conflict := 1 if input.conflict
conflict := 2 if input.conflict
`;

let dir: string;
let wasm: Uint8Array;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "stagegate-wasm-host-"));
  writeFileSync(join(dir, "t.rego"), POLICY);
  execFileSync(findOpa(), ["build", "-t", "wasm", "-e", "t", "-e", "t/conflict", "-o", "b.tar.gz", "t.rego"], {
    cwd: dir,
  });
  wasm = readBundleFile(readFileSync(join(dir, "b.tar.gz")), "/policy.wasm")!;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const load = () => loadPolicySync(wasm, { initial: 5 }, createCustomBuiltins() as Record<string, HostBuiltin>);

describe("the wasm host", () => {
  test("host builtins: OPA's sprintf and regex.split, the SDK's yaml, Stagegate's own", () => {
    const policy = load();
    expect(policy.minorVersion).toBeGreaterThanOrEqual(2);
    expect([...policy.hostBuiltins].sort()).toEqual([
      "regex.split",
      "sprintf",
      "time.add_date",
      "units.parse",
      "yaml.unmarshal",
    ]);
    policy.setData({ env: "production" });
    const [{ result }] = policy.evaluate({ cpu: "250m" }, "t") as Array<{ result: Record<string, unknown> }>;
    // Go's fmt, not sprintf-js (which prints `a`); Go's regexp split, without the groups spliced in.
    expect(result.fmt).toBe('["a"] and 7');
    expect(result.parts).toEqual(["a", "b"]);
    expect(result.from_yaml).toEqual({ a: [1, "two"] });
    expect(result.cpu).toBe(0.25);
    // Beyond 2^53: the builtin answers with exact JSON text (an ArrayBuffer), which must arrive unrounded.
    expect([result.far_exact, result.far_not_rounded]).toEqual([true, true]);
    expect(result.env).toBe("production");
  });

  test("an abort in the policy (conflicting values) is a WasmAbort with OPA's message", () => {
    const policy = load();
    expect(() => policy.evaluate({ conflict: true }, "t/conflict")).toThrow(WasmAbort);
    expect(() => load().evaluate({ conflict: true }, "t/conflict")).toThrow(/conflict|multiple outputs/);
    expect(() => policy.evaluate({}, "t/nope")).toThrow("entrypoint t/nope is not in this policy");
  });

  test("the ABI 1.0/1.1 path (an evaluation context per call) gives the same results as the 1.2 one", () => {
    const fast = load();
    const legacy = load();
    Object.defineProperty(legacy, "minorVersion", { value: 1 });
    for (const p of [fast, legacy]) p.setData({ env: "dev" });
    for (const input of [{ cpu: "2" }, { cpu: "100m" }]) {
      expect(legacy.evaluate(input, "t")).toEqual(fast.evaluate(input, "t"));
    }
    expect(legacy.evaluate({ conflict: false }, "t/conflict")).toEqual([]);
  });

  test("a builtin with no implementation fails by name", () => {
    const policy = loadPolicySync(wasm, { initial: 5 }, {});
    expect(() => policy.evaluate({ cpu: "1" }, "t")).toThrow(/not implemented: built-in function \d+: units\.parse/);
  });
});

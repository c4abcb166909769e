import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { loadPolicySync, type LoadedPolicy } from "./opa-wasm.js";
import { CUSTOM_BUILTIN_NAMES } from "./builtins/index.js";
import type { PolicyProblem } from "./inspect.js";
import type { PolicySource } from "./sources.js";

const require = createRequire(import.meta.url);

/** Builtins the opa-wasm SDK implements in JavaScript (json.*, yaml.*, sprintf…). */
export function sdkBuiltinNames(): string[] {
  const sdkDir = dirname(require.resolve("@open-policy-agent/opa-wasm"));
  return Object.keys(require(join(sdkDir, "builtins", "index.js")) as Record<string, unknown>);
}

/**
 * The builtins a compiled module imports from its host: everything the wasm
 * target does not implement natively. Read from the module's `builtins` export.
 */
export function requiredBuiltins(policy: LoadedPolicy): string[] {
  const instance = (
    "instance" in policy.wasmInstance ? policy.wasmInstance.instance : policy.wasmInstance
  ) as WebAssembly.Instance;
  const exports = instance.exports as Record<string, (...a: number[]) => number>;
  const addr = exports.opa_json_dump(exports.builtins());
  const bytes = new Uint8Array(policy.mem.buffer);
  let end = addr;
  while (bytes[end] !== 0) end++;
  return Object.keys(JSON.parse(Buffer.from(bytes.subarray(addr, end)).toString("utf8")) as object).sort();
}

/**
 * Builtins the module needs that neither the SDK nor Stagegate provides,
 * each located where the sources call it. Checked at build time, so such a
 * policy never fails halfway through an evaluation.
 */
export function unsupportedBuiltins(wasm: Uint8Array, sources: PolicySource[]): PolicyProblem[] {
  const supported = new Set([...sdkBuiltinNames(), ...CUSTOM_BUILTIN_NAMES]);
  const policy = loadPolicySync(wasm);
  const missing = requiredBuiltins(policy).filter((name) => !supported.has(name));
  const problems: PolicyProblem[] = [];
  for (const name of missing) {
    const uses = findCalls(name, sources);
    const message =
      `builtin ${name} is not supported by Stagegate's WebAssembly evaluator (see the ` +
      `README's "Builtins" section)`;
    if (uses.length === 0)
      problems.push({ file: "(policies)", line: 1, column: 1, code: `unsupported-builtin:${name}`, message });
    for (const u of uses) problems.push({ ...u, code: `unsupported-builtin:${name}`, message });
  }
  return problems;
}

function findCalls(name: string, sources: PolicySource[]): Array<{ file: string; line: number; column: number }> {
  const re = new RegExp(`(?<![\\w.])${name.replace(/\./g, "\\.")}\\s*\\(`, "g");
  const out: Array<{ file: string; line: number; column: number }> = [];
  for (const s of sources) {
    const lines = s.content.split("\n");
    lines.forEach((text, i) => {
      const code = text.replace(/#.*$/, "");
      for (const m of code.matchAll(re)) out.push({ file: s.path, line: i + 1, column: (m.index ?? 0) + 1 });
    });
  }
  return out;
}

import { hostBuiltinNames, loadPolicySync } from "./opa-wasm.js";
import { CUSTOM_BUILTIN_NAMES } from "./builtins/index.js";
import type { PolicyProblem } from "./inspect.js";
import type { PolicySource } from "./sources.js";

/**
 * Builtins the module needs that neither the SDK nor Stagegate provides,
 * each located where the sources call it. Checked at build time, so such a
 * policy never fails halfway through an evaluation.
 */
export function unsupportedBuiltins(wasm: Uint8Array, sources: PolicySource[]): PolicyProblem[] {
  const supported = hostBuiltinNames(CUSTOM_BUILTIN_NAMES);
  const missing = loadPolicySync(wasm)
    .hostBuiltins.filter((name) => !supported.has(name))
    .sort();
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

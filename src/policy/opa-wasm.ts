/**
 * The one place that reaches into the @open-policy-agent/opa-wasm SDK.
 *
 * The SDK's ESM entry only re-exports `loadPolicy`; the synchronous loader
 * lives on its CommonJS module (the same instance as the ESM one).
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type * as OpaWasm from "@open-policy-agent/opa-wasm";
import { regexSplit } from "./builtins/regex.js";
import { sprintfBuiltin } from "./builtins/sprintf.js";

const require = createRequire(import.meta.url);
const sdk = require("@open-policy-agent/opa-wasm") as typeof OpaWasm;

export const loadPolicySync: typeof OpaWasm.loadPolicySync = sdk.loadPolicySync;
export type LoadedPolicy = OpaWasm.LoadedPolicy;

/** Builtins the SDK implements itself, but not as OPA does: replaced by Stagegate's. */
const SDK_OVERRIDES: Record<string, (...args: never[]) => unknown> = {
  // sprintf-js, not Go's fmt: `%v` of ["a"] would print `a`.
  sprintf: sprintfBuiltin,
  // A JavaScript RegExp: backtracking, JS syntax, capture groups spliced into the result.
  "regex.split": regexSplit,
};

const installed = Symbol.for("stagegate.sdkOverrides");

/**
 * Puts OPA's `sprintf` and `regex.split` in place of the SDK's. The SDK calls
 * its own implementation of a builtin whenever it has one and the custom
 * builtins given to loadPolicy only otherwise (`builtinFuncs[name] ||
 * customBuiltins[name]` in opa-wasm 1.10's opa.js), and offers no public way
 * to change that; so the entries of its builtins table, a CommonJS module
 * shared by every loaded policy, are replaced. Safe to call many times.
 */
export function overrideSdkBuiltins(): void {
  // The package's "exports" hides src/builtins; find it next to the CommonJS entry (src/index.cjs).
  const table = require(
    join(dirname(require.resolve("@open-policy-agent/opa-wasm")), "builtins", "index.js"),
  ) as Record<string | symbol, unknown>;
  if (table[installed]) return;
  Object.assign(table, SDK_OVERRIDES);
  table[installed] = true;
}

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

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const PAGE = 64 * 1024;

interface EvalExports {
  opa_eval(
    reserved: number,
    entrypoint: number,
    data: number,
    input: number,
    len: number,
    heap: number,
    fmt: number,
  ): number;
}

/**
 * `policy.evaluate(input, entrypoint)` for ABI 1.2+ modules (opa_eval), doing what the SDK does — input
 * written after the data, memory grown by the same pages, result parsed from JSON — without its copies: the
 * input is encoded straight into the module's memory and the result's end found natively (the SDK walks the
 * bytes one by one in JavaScript). Older modules go through the SDK.
 */
export function evaluateFast(policy: LoadedPolicy, input: unknown, entrypoint: string): unknown {
  if (!(policy.minorVersion >= 2) || !Object.prototype.hasOwnProperty.call(policy.entrypoints, entrypoint)) {
    return policy.evaluate(input, entrypoint);
  }
  const text = JSON.stringify(input);
  const mem = policy.mem;
  const inputAddr = policy.dataHeapPtr as number;
  const inputLen = Buffer.byteLength(text, "utf8");
  const delta = inputAddr + inputLen - mem.buffer.byteLength;
  if (delta > 0) mem.grow(Math.ceil(delta / PAGE));
  encoder.encodeInto(text, new Uint8Array(mem.buffer, inputAddr, inputLen));
  const exports = (policy.wasmInstance as WebAssembly.Instance).exports as unknown as EvalExports;
  const id = policy.entrypoints[entrypoint] as number;
  const ret = exports.opa_eval(0, id, policy.dataAddr, inputAddr, inputLen, inputAddr + inputLen, 0);
  const bytes = new Uint8Array(mem.buffer);
  return JSON.parse(decoder.decode(bytes.subarray(ret, bytes.indexOf(0, ret))));
}

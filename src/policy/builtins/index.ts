/**
 * Host implementations of OPA builtins that the wasm target imports instead of
 * implementing natively (checked against opa v1.22.3: the module's `builtins()`
 * export lists them). Pass the result to loadPolicySync (../opa-wasm.ts). Every
 * builtin throws on bad input (fail closed); OPA would make the expression
 * undefined in non-strict mode, which JS cannot express.
 */
import { cryptoBuiltins } from "./crypto.js";
import { graphBuiltins } from "./graph.js";
import { jsonPatchBuiltins } from "./json-patch.js";
import { jwtBuiltins } from "./jwt.js";
import { networkBuiltins } from "./network.js";
import { objectBuiltins } from "./objects.js";
import { regexBuiltins } from "./regex.js";
import { semverBuiltins } from "./semver.js";
import { stringsBuiltins } from "./strings.js";
import { timeFormatBuiltins } from "./time-format.js";
import { timeLayoutBuiltins } from "./time-layout.js";
import { timeBuiltins } from "./time.js";
import { unitsBuiltins } from "./units.js";

import type { BuiltinImpl } from "./types.js";
export type { BuiltinImpl };

export interface BuiltinOptions {
  /** Nanoseconds since the epoch; default: the real clock. */
  now?: () => bigint;
}

function realNow(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}

/**
 * A fresh set of builtins. `time.now_ns` reads the clock once, lazily, and then
 * returns that same instant for the life of this set, as OPA fixes "now" per
 * query: call this once per evaluation batch.
 */
export function createCustomBuiltins(options: BuiltinOptions = {}): Record<string, BuiltinImpl> {
  const clock = options.now ?? realNow;
  let cached: bigint | undefined;
  const now = () => (cached ??= clock());
  return {
    ...timeBuiltins(now),
    ...timeFormatBuiltins(),
    ...timeLayoutBuiltins(),
    ...unitsBuiltins(),
    ...semverBuiltins(),
    ...regexBuiltins(),
    ...stringsBuiltins(),
    ...cryptoBuiltins(),
    ...objectBuiltins(),
    ...jsonPatchBuiltins(),
    ...jwtBuiltins(),
    ...networkBuiltins(),
    ...graphBuiltins(),
  };
}

export const CUSTOM_BUILTIN_NAMES: readonly string[] = Object.freeze(Object.keys(createCustomBuiltins()).sort());

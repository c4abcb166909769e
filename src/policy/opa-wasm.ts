import { createRequire } from "node:module";
import type * as OpaWasm from "@open-policy-agent/opa-wasm";

// The SDK's ESM entry only re-exports `loadPolicy`; the synchronous loader
// lives on its CommonJS module (the same instance, so patches to its builtins
// table apply to both).
const require = createRequire(import.meta.url);
const sdk = require("@open-policy-agent/opa-wasm") as typeof OpaWasm;

export const loadPolicySync: typeof OpaWasm.loadPolicySync = sdk.loadPolicySync;
export type LoadedPolicy = OpaWasm.LoadedPolicy;

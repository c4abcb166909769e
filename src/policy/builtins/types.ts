/**
 * A custom builtin as the opa-wasm SDK calls it: arguments arrive as decoded JSON of any shape,
 * and each builtin checks its own (the SDK's signature).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type BuiltinImpl = (...args: any[]) => unknown;

/**
 * A custom builtin as the wasm host calls it (../opa-wasm.ts): arguments arrive as decoded JSON of any shape,
 * and each builtin checks its own. It returns a JSON value, or JSON text as an ArrayBuffer.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type BuiltinImpl = (...args: any[]) => unknown;

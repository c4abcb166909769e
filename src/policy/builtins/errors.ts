/**
 * Shared argument checks for the custom builtins. Errors are thrown in OPA's
 * wording (`<builtin>: <reason>`) so a failed evaluation reads like `opa eval`.
 */

export class BuiltinError extends Error {
  constructor(builtin: string, reason: string) {
    super(`${builtin}: ${reason}`);
    this.name = "BuiltinError";
  }
}

/** OPA's message when an operand has the wrong type. */
export function invalidArgs(builtin: string): BuiltinError {
  return new BuiltinError(builtin, "invalid argument(s)");
}

export function stringArg(builtin: string, value: unknown): string {
  if (typeof value !== "string") throw invalidArgs(builtin);
  return value;
}

/** An integral number operand (OPA's `operand N must be integer number`). */
export function intArg(builtin: string, value: unknown, position: number): number {
  if (typeof value !== "number" || !Number.isFinite(value)) throw invalidArgs(builtin);
  if (!Number.isInteger(value)) {
    throw new BuiltinError(builtin, `operand ${position} must be integer number but got floating-point number`);
  }
  return value;
}

/**
 * A JSON value that the SDK loads into wasm memory verbatim. Used for numbers a
 * JS double cannot hold exactly (nanosecond timestamps, big byte counts).
 */
export function jsonText(text: string): ArrayBuffer {
  const bytes = new TextEncoder().encode(text);
  const buf = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(buf).set(bytes);
  return buf;
}

/** An integer result: a plain number when exact, otherwise exact JSON text. */
export function exactInt(value: bigint): number | ArrayBuffer {
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : jsonText(value.toString());
}

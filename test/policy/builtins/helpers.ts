/** Test helpers: builtin results as JSON text, so big integers compare exactly. */
export function jsonOf(result: unknown): string {
  if (result instanceof ArrayBuffer) return new TextDecoder().decode(result);
  return JSON.stringify(result);
}

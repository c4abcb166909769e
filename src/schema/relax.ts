/**
 * Non-strict mode: the same schemas with unknown fields allowed (type, required and enum errors only). Every
 * `additionalProperties: false` goes, wherever it is; a property named `additionalProperties` is kept.
 */
export function relax(node: unknown, inProperties = false): unknown {
  if (Array.isArray(node)) return node.map((n) => relax(n));
  if (node === null || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (!inProperties && key === "additionalProperties" && value === false) continue;
    out[key] = relax(value, !inProperties && key === "properties");
  }
  return out;
}

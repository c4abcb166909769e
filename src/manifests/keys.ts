/**
 * Mapping keys as Kubernetes sees them: go-yaml v2 resolves a key like any
 * scalar (so `1:` is an int and `yes:` a bool) and sigs.k8s.io/yaml then
 * writes it as a JSON string ("1", "true"). Null and collection keys cannot
 * become JSON keys, so they are rejected.
 */
import { isAlias, isScalar, type Alias, type Node as YamlNode } from "yaml";

/** `<<` resolved by the yaml-1.1 merge tag (its value is a symbol). */
export function isMergeKey(key: unknown): boolean {
  return isScalar(key) && typeof key.value === "symbol";
}

/**
 * The JSON key of a mapping key node, or undefined when it has none
 * (null, a collection, an unresolved alias).
 */
export function keyString(key: unknown, resolveAlias: (a: Alias) => YamlNode | undefined): string | undefined {
  let node = key;
  if (isAlias(node)) node = resolveAlias(node);
  if (!isScalar(node)) return undefined;
  const v = node.value;
  switch (typeof v) {
    case "string":
      return v;
    case "number":
    case "boolean":
    case "bigint":
      return String(v);
    default:
      return undefined;
  }
}

/** How a key reads in messages: quoted, shortened, on one line. */
export function describeKey(key: unknown): string {
  if (isScalar(key)) {
    const s = key.source ?? String(key.value);
    return JSON.stringify(s.length > 60 ? s.slice(0, 57) + "..." : s);
  }
  if (isAlias(key)) return `*${key.source}`;
  if (key === null || key === undefined) return "(empty key)";
  return "a collection";
}

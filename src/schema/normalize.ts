/**
 * What the API server would see of a manifest, for the built-in schemas:
 *
 * - `field: null` in an object is an absent field (Kubernetes decodes it so):
 *   the `creationTimestamp: null` of generated manifests is fine.
 * - in a strategic-merge patch, `$patch`, `$setElementOrder/…`, `$retainKeys`
 *   and other `$` directives are instructions to kustomize, not fields.
 *
 * Returns the same object when nothing changes, so the common case allocates
 * nothing. Array items are kept: a null item is a real error.
 */
export function normalize(value: unknown, patch: boolean): unknown {
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = normalize(value[i], patch);
      if (item !== value[i]) {
        copy ??= value.slice();
        copy[i] = item;
      }
    }
    return copy ?? value;
  }
  if (value === null || typeof value !== "object") return value;
  let copy: Record<string, unknown> | undefined;
  const source = value as Record<string, unknown>;
  for (const key of Object.keys(source)) {
    const field = source[key];
    if (field === null || (patch && key.startsWith("$"))) {
      copy ??= { ...source };
      delete copy[key];
      continue;
    }
    const cleaned = normalize(field, patch);
    if (cleaned !== field) {
      copy ??= { ...source };
      copy[key] = cleaned;
    }
  }
  return copy ?? value;
}

const DIRECTIVE = /^\$(patch|retainKeys|setElementOrder\/|deleteFromPrimitiveList\/)/;

/** Whether a document uses strategic-merge-patch directives anywhere (so it is a patch, not a whole object). */
export function hasPatchDirectives(value: unknown, depth = 0): boolean {
  if (depth > 100 || value === null || typeof value !== "object") return false;
  if (Array.isArray(value)) return value.some((v) => hasPatchDirectives(v, depth + 1));
  for (const [key, field] of Object.entries(value)) {
    if (DIRECTIVE.test(key) || hasPatchDirectives(field, depth + 1)) return true;
  }
  return false;
}

/**
 * A SOPS-encrypted manifest carries a top-level `sops` block that Flux (or
 * the sops CLI) removes when decrypting; it is not a field of the object.
 */
export function withoutSops(value: Record<string, unknown>): Record<string, unknown> {
  const sops = value.sops;
  if (sops === null || typeof sops !== "object" || Array.isArray(sops)) return value;
  const { sops: _removed, ...rest } = value;
  return rest;
}

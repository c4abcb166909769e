/**
 * Bounds on the work one parse may do. Manifests come from pull requests, so
 * they are untrusted input: every dimension an attacker could blow up (bytes,
 * documents, nesting, alias expansion) has a ceiling.
 */
export interface ManifestLimits {
  /** Largest file read, in bytes (checked before decoding or parsing). */
  maxFileBytes: number;
  /** Most non-empty documents in one file. */
  maxDocumentsPerFile: number;
  /** Most non-empty documents across one `parseManifests` call. */
  maxTotalDocuments: number;
  /** Deepest nesting of mappings and sequences in one document. */
  maxDepth: number;
  /**
   * Most alias dereferences in one document, counted after expansion (an alias
   * inside an anchored node used k times counts k times): bounds
   * "billion laughs" alias bombs.
   */
  maxAliasCount: number;
}

export const DEFAULT_LIMITS: ManifestLimits = Object.freeze({
  maxFileBytes: 1_048_576,
  maxDocumentsPerFile: 500,
  maxTotalDocuments: 20_000,
  maxDepth: 100,
  maxAliasCount: 100,
});

/** Fills the missing (or invalid) fields of `partial` with the defaults. */
export function resolveLimits(partial?: Partial<ManifestLimits>): ManifestLimits {
  const out = { ...DEFAULT_LIMITS };
  if (!partial) return out;
  for (const key of Object.keys(DEFAULT_LIMITS) as (keyof ManifestLimits)[]) {
    const v = partial[key];
    // A non-number or negative limit is a config mistake; keep the safe default.
    if (typeof v === "number" && Number.isFinite(v) && v >= 0) out[key] = Math.floor(v);
  }
  return out;
}

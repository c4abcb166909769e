import { DEFAULT_LIMITS, resolveLimits } from "../../src/manifests/limits.js";

describe("resolveLimits", () => {
  it("returns the documented defaults", () => {
    expect(resolveLimits()).toEqual({
      maxFileBytes: 1048576,
      maxDocumentsPerFile: 500,
      maxTotalDocuments: 20000,
      maxDepth: 100,
      maxAliasCount: 100,
    });
    expect(DEFAULT_LIMITS.maxFileBytes).toBe(1048576);
  });

  it("overrides only the given fields and ignores invalid values", () => {
    const l = resolveLimits({ maxDepth: 5, maxFileBytes: -1, maxAliasCount: Number.NaN });
    expect(l.maxDepth).toBe(5);
    expect(l.maxFileBytes).toBe(1048576);
    expect(l.maxAliasCount).toBe(100);
  });

  it("returns a fresh object", () => {
    const l = resolveLimits();
    l.maxDepth = 1;
    expect(resolveLimits().maxDepth).toBe(100);
  });
});

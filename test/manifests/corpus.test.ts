/**
 * Robustness on real manifests: every file of the shared corpus (outside the
 * repository) parses without throwing, and the counts match the corpus
 * statistics computed independently with the same YAML library.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { resolveLimits } from "../../src/manifests/limits.js";
import { isManifestPath, parseManifests, type SourceFile } from "../../src/manifests/parse.js";

const ROOT = "/work/shared/corpus";
const present = existsSync(join(ROOT, "stats.json"));
if (!present) console.warn(`skipping the corpus test: ${ROOT} is absent`);
const maybe = present ? describe : describe.skip;

function collect(dir: string, out: SourceFile[]): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== "LICENSES") collect(p, out);
    } else if (isManifestPath(e.name) && e.name !== "stats.json") {
      out.push({ path: relative(ROOT, p), content: readFileSync(p) });
    }
  }
}

maybe("shared corpus", () => {
  it("parses every file and matches stats.json", () => {
    const stats = JSON.parse(readFileSync(join(ROOT, "stats.json"), "utf8"));
    const files: SourceFile[] = [];
    collect(ROOT, files);
    expect(files.length).toBe(stats.total.files);
    // The corpus holds a few multi-megabyte CRD bundles: raise only the size limit.
    const r = parseManifests(files, resolveLimits({ maxFileBytes: 4 * 1024 * 1024 }));
    const byRule = (id: string) => r.problems.filter((p) => p.ruleId === id);
    expect(r.problems.filter((p) => p.source === "limit")).toEqual([]);
    // Non-empty documents = kept + rejected ones (each rejected document has exactly one problem here).
    const rejected = new Set(r.problems.map((p) => `${p.location.file}#${p.documentIndex}`));
    const total = r.documents.length + rejected.size;
    expect(Math.abs(total - stats.total.documents)).toBeLessThanOrEqual(5);
    // Files that fail to parse: syntax errors and duplicate keys, as in stats.json.
    const failing = new Set([...byRule("parse/syntax"), ...byRule("parse/duplicate-key")].map((p) => p.location.file));
    expect([...failing].sort()).toEqual(stats.parseFailures.map((f: { file: string }) => f.file).sort());
    // Every kept document can locate its name.
    for (const d of r.documents) expect(d.locate(["metadata", "name"]).line).toBeGreaterThanOrEqual(d.startLine);
  });
});

/**
 * `helm template` output → objects, each with the template that produced it: Helm prints every document as
 * `---` then `# Source: <chart>/templates/<file>`, then the object.
 */
import { resolveLimits } from "../manifests/limits.js";
import { parseManifestFile } from "../manifests/parse.js";
import type { Finding } from "../types.js";

const OUTPUT_LIMITS = resolveLimits({ maxFileBytes: 256 * 1024 * 1024, maxDocumentsPerFile: 100_000 });
const SOURCE = /^# Source: (.+?)\s*$/;

export interface HelmObject {
  value: Record<string, unknown>;
  /** The `# Source:` path (starts with the chart's name), when Helm gave one. */
  source?: string;
}

export function helmObjects(output: string, label: string): { objects: HelmObject[]; problems: Finding[] } {
  const objects: HelmObject[] = [];
  const problems: Finding[] = [];
  let chunk: string[] = [];
  let source: string | undefined;
  const flush = () => {
    if (chunk.some((l) => l.trim() !== "" && !l.startsWith("#"))) {
      const parsed = parseManifestFile({ path: label, content: chunk.join("\n") }, OUTPUT_LIMITS, undefined, {
        fast: true,
      });
      problems.push(...parsed.problems);
      for (const d of parsed.documents) objects.push({ value: d.value, ...(source ? { source } : {}) });
    }
    chunk = [];
    source = undefined;
  };
  for (const line of output.split("\n")) {
    if (/^---\s*$/.test(line)) {
      flush();
      continue;
    }
    const m = chunk.length === 0 || chunk.every((l) => l.trim() === "") ? SOURCE.exec(line) : null;
    if (m) source = m[1];
    chunk.push(line);
  }
  flush();
  return { objects, problems };
}

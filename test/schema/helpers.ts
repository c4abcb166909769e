import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Node } from "yaml";
import type { DocPath, ManifestDocument, SourceLocation } from "../../src/types.js";

/**
 * Minimal stand-in for the manifests parser: YAML documents with locate()
 * through the yaml AST (keys of maps are located at the key itself).
 */
export function parseManifests(text: string, file = "manifests.yaml"): ManifestDocument[] {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter });
  if (!Array.isArray(docs)) throw new Error("empty stream");
  const at = (offset: number): SourceLocation => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  return docs.map((doc, index) => {
    if (doc.errors.length > 0) throw new Error(doc.errors[0].message);
    const [start, , end] = doc.range;
    return {
      file,
      index,
      value: (doc.toJS() ?? {}) as Record<string, unknown>,
      startLine: at(start).line,
      endLine: at(Math.max(start, end - 1)).line,
      locate(path: DocPath): SourceLocation {
        let node = doc.contents as Node | null;
        let location = at(node?.range?.[0] ?? start);
        for (const part of path) {
          if (isMap(node)) {
            const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(part));
            if (!pair) break;
            location = at((pair.key as Node).range?.[0] ?? 0);
            node = pair.value as Node | null;
          } else if (isSeq(node) && typeof part === "number" && part < node.items.length) {
            node = node.items[part] as Node | null;
            location = at(node?.range?.[0] ?? 0);
          } else break;
        }
        return location;
      },
    };
  });
}

export const parseOne = (text: string, file?: string): ManifestDocument => parseManifests(text, file)[0];

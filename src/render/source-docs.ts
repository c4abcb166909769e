/**
 * Source files read back for locating fields (resources, patches, kustomizations): every YAML document,
 * whatever its root (a JSON6902 patch is a list), with a locator over its AST. These files have already
 * been read by kustomize; the yaml package's own alias limit still bounds expansion.
 */
import { isAlias, parseAllDocuments, visit, type Alias, type Node as YamlNode } from "yaml";
import { decodeContent } from "../manifests/decode.js";
import { LineIndex } from "../manifests/lines.js";
import { Locator } from "../manifests/locate.js";
import { YAML_OPTIONS } from "../manifests/yaml-options.js";
import type { DocPath, SourceLocation } from "../types.js";

export interface SourceDoc {
  file: string;
  value: unknown;
  startLine: number;
  endLine: number;
  locate(path: DocPath): SourceLocation;
}

export function sourceDocs(file: string, content: string | Uint8Array, lineOffset = 0, column = 0): SourceDoc[] {
  const decoded = decodeContent(content);
  if (!decoded.ok) return [];
  const text = decoded.text;
  const lines = new LineIndex(text);
  const out: SourceDoc[] = [];
  try {
    for (const doc of parseAllDocuments(text, YAML_OPTIONS) as Iterable<ReturnType<typeof parseAllDocuments>[0]>) {
      if (!("contents" in doc) || doc.errors.length > 0 || !doc.contents) continue;
      const root = doc.contents as YamlNode;
      const aliases = new Map<Alias, YamlNode>();
      const anchors = new Map<string, YamlNode>();
      visit(doc, {
        Node(_, node) {
          if (isAlias(node)) {
            const target = anchors.get(node.source);
            if (target) aliases.set(node, target);
          } else if (node.anchor) anchors.set(node.anchor, node);
        },
      });
      const locator = new Locator(file, lines, root, aliases);
      const range = root.range ?? [0, 0, 0];
      const shift = (l: SourceLocation): SourceLocation =>
        lineOffset === 0 && column === 0
          ? l
          : {
              file,
              line: l.line + lineOffset,
              column: (l.column ?? 1) + column,
              ...(l.endLine !== undefined ? { endLine: l.endLine + lineOffset } : {}),
              ...(l.endColumn !== undefined ? { endColumn: l.endColumn + column } : {}),
            };
      out.push({
        file,
        value: doc.toJS({ maxAliasCount: 100 }),
        startLine: lines.position(range[0]).line + lineOffset,
        endLine: lines.endPosition(range[0], range[1]).line + lineOffset,
        locate: (path) => shift(locator.locate(path)),
      });
    }
  } catch {
    // A file that cannot be read back only loses its line mapping; the entry point is used instead.
  }
  return out;
}

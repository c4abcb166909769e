/**
 * A document read by the fast path: its value, and its positions (start and
 * end line, `locate`) from the index the fast reader recorded or, where it
 * recorded none, only when asked, from a full parse of its own lines (or of
 * its file).
 */
import type { DocPath, ManifestDocument, SourceLocation } from "../types.js";
import { locateFast, type DocPositions } from "./fast-positions.js";

export function indexedDocument(
  file: string,
  index: number,
  value: Record<string, unknown>,
  positions: DocPositions,
): ManifestDocument {
  return {
    file,
    index,
    value,
    startLine: positions.startLine + 1,
    endLine: positions.endLine + 1,
    locate: (path: DocPath) => locateFast(file, positions, path),
  };
}

export function lazyDocument(
  file: string,
  index: number,
  value: Record<string, unknown>,
  located: (index: number) => ManifestDocument | undefined,
): ManifestDocument {
  let doc: ManifestDocument | undefined;
  const full = (): ManifestDocument =>
    (doc ??= located(index) ?? {
      // Not reached while both parsers agree (a test compares them on the corpus); never fail a check over it.
      file,
      index,
      value,
      startLine: 1,
      endLine: 1,
      locate: (): SourceLocation => ({ file, line: 1 }),
    });
  return {
    file,
    index,
    value,
    get startLine() {
      return full().startLine;
    },
    get endLine() {
      return full().endLine;
    },
    locate: (path: DocPath) => full().locate(path),
  };
}

/** A document parsed from a slice of its file that starts `lines` lines down: the same document at its place. */
export function shifted(doc: ManifestDocument, index: number, lines: number): ManifestDocument {
  const move = (l: SourceLocation): SourceLocation => {
    const out = { ...l, line: l.line + lines };
    if (l.endLine !== undefined) out.endLine = l.endLine + lines;
    return out;
  };
  return {
    file: doc.file,
    index,
    value: doc.value,
    startLine: doc.startLine + lines,
    endLine: doc.endLine + lines,
    locate: (path) => move(doc.locate(path)),
  };
}

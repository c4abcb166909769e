/**
 * Manifest files → documents with source positions, or located problems.
 * Each file is decoded, size-checked and parsed on its own, so a broken file
 * never affects another one, and a broken document never hides the good
 * documents next to it when the parser can recover.
 */
import { Composer, Parser, isMap, isScalar, type Document, type Node as YamlNode } from "yaml";
import type { Finding, FindingSource, ManifestDocument, SourceLocation } from "../types.js";
import { convertDocument } from "./convert.js";
import { fastParse, type FastDocument } from "./fast-parse.js";
import { indexedDocument, lazyDocument, shifted } from "./lazy-document.js";
import { byteLength, decodeContent } from "./decode.js";
import { DEFAULT_LIMITS, type ManifestLimits } from "./limits.js";
import { LineIndex } from "./lines.js";
import { Locator } from "./locate.js";
import { YAML_OPTIONS } from "./yaml-options.js";

export interface SourceFile {
  path: string;
  content: string | Uint8Array;
}

export interface ParsedFile {
  file: string;
  documents: ManifestDocument[];
  problems: Finding[];
}

const MANIFEST_EXT = /\.(ya?ml|json)$/i;

/** Whether a path names a manifest file: .yaml, .yml or .json (any case). */
export function isManifestPath(path: string): boolean {
  return MANIFEST_EXT.test(path);
}

function finding(ruleId: string, message: string, location: SourceLocation, documentIndex?: number): Finding {
  const source: FindingSource = ruleId.startsWith("limit/") ? "limit" : "parse";
  const f: Finding = { ruleId, message, severity: "failure", source, location };
  if (documentIndex !== undefined) f.documentIndex = documentIndex;
  return f;
}

/** yaml error codes that mean "too deep for the parser", not bad syntax. */
const EXHAUSTION = new Set(["RESOURCE_EXHAUSTION"]);

/**
 * Parses one file. `budget.remaining` (documents still allowed across the
 * whole run) is decremented by the file's non-empty documents; a file that
 * does not fit is rejected whole with limit/total-documents.
 */
export function parseManifestFile(
  file: SourceFile,
  limits: ManifestLimits = DEFAULT_LIMITS,
  budget?: { remaining: number },
  options: { fast?: boolean } = {},
): ParsedFile {
  const path = file.path;
  const out: ParsedFile = { file: path, documents: [], problems: [] };
  const fileProblem = (ruleId: string, message: string, line = 1, column = 1) => {
    out.problems.push(finding(ruleId, message, { file: path, line, column }));
    return out;
  };

  const bytes = byteLength(file.content);
  if (bytes > limits.maxFileBytes) {
    return fileProblem(
      "limit/file-size",
      `file is ${bytes} bytes, more than the limit of ${limits.maxFileBytes} bytes; it was not read`,
    );
  }
  const decoded = decodeContent(file.content);
  if (!decoded.ok) return fileProblem(`parse/${decoded.kind}`, decoded.message, decoded.line, decoded.column);

  const text = decoded.text;
  // Fast first, with positions recorded as it reads; a full parse only for a document whose positions it could not
  // vouch for, and only if a finding needs one.
  const remaining = budget?.remaining ?? Infinity;
  const fast =
    options.fast === false
      ? undefined
      : fastParse(text, limits.maxDepth, Math.min(limits.maxDocumentsPerFile, remaining));
  if (fast) {
    let lines: string[] | undefined;
    // Positions from a full parse of the document's own lines (documents are independent: no directives or
    // anchors on the fast path); the whole file only if that ever disagreed.
    const located = (d: FastDocument) => {
      lines ??= text.split("\n");
      const [from, to] = d.lines;
      const part = parseText(path, lines.slice(from, to).join("\n") + (to < lines.length ? "\n" : ""), limits);
      const doc = part.problems.length === 0 && part.documents.length === 1 ? part.documents[0] : undefined;
      return doc ? shifted(doc, d.index, from) : wholeFile(d.index);
    };
    let full: ParsedFile | undefined;
    const wholeFile = (index: number) =>
      (full ??= parseText(path, text, limits)).documents.find((d) => d.index === index);
    for (const d of fast) {
      out.documents.push(
        d.positions
          ? indexedDocument(path, d.index, d.value, d.positions)
          : lazyDocument(path, d.index, d.value, () => located(d)),
      );
    }
    if (budget) budget.remaining = Math.max(0, budget.remaining - fast.length);
    return out;
  }
  return parseText(path, text, limits, budget);
}

/** The full parse of decoded, depth-checked text: documents with positions, or located problems. */
function parseText(path: string, text: string, limits: ManifestLimits, budget?: { remaining: number }): ParsedFile {
  const out: ParsedFile = { file: path, documents: [], problems: [] };
  const fileProblem = (ruleId: string, message: string, line = 1, column = 1) => {
    out.problems.push(finding(ruleId, message, { file: path, line, column }));
    return out;
  };
  const lines = new LineIndex(text);
  const loc = (start: number, end: number): SourceLocation => {
    const s = lines.position(start);
    const e = lines.endPosition(start, Math.max(end, start + 1));
    return {
      file: path,
      line: s.line,
      column: s.column,
      endLine: e.line,
      endColumn: Math.max(e.column, s.line === e.line ? s.column + 1 : 1),
    };
  };

  let docs: Document.Parsed[];
  let streamErrors: Composed["streamErrors"];
  try {
    const result = composeAll(text, limits.maxDocumentsPerFile, budget?.remaining);
    docs = result.docs;
    streamErrors = result.streamErrors;
    if (result.overflow) {
      const at = loc(result.overflow.start, result.overflow.start + 1);
      if (result.overflow.kind === "file") {
        return fileProblem(
          "limit/documents-per-file",
          `file has more than ${limits.maxDocumentsPerFile} documents; it was not read`,
          at.line,
          at.column,
        );
      }
      if (budget) budget.remaining = 0;
      return fileProblem(
        "limit/total-documents",
        `the change has more than ${limits.maxTotalDocuments} documents in total; this file was not read`,
        at.line,
        at.column,
      );
    }
  } catch (e) {
    // The parser recurses on nesting; a stack overflow means input too deep.
    if (e instanceof RangeError) return fileProblem("limit/depth", "file is nested too deeply for the YAML parser");
    throw e;
  }

  for (const issue of streamErrors)
    out.problems.push(finding("parse/syntax", issue.message, loc(issue.start, issue.end)));

  let nonEmpty = 0;
  docs.forEach((doc, index) => {
    const root = doc.contents as YamlNode | null;
    if (doc.errors.length > 0) {
      nonEmpty += root && !(isScalar(root) && root.value === null) ? 1 : 0;
      const err = doc.errors[0];
      const more =
        doc.errors.length > 1
          ? ` (and ${doc.errors.length - 1} more error${doc.errors.length > 2 ? "s" : ""} in this document)`
          : "";
      const deep = EXHAUSTION.has(err.code) || doc.errors.some((x) => EXHAUSTION.has(x.code));
      const ruleId = deep ? "limit/depth" : "parse/syntax";
      const message = deep
        ? "document is nested too deeply for the YAML parser"
        : `YAML syntax error: ${err.message}${more}`;
      const at = deep ? doc.errors.find((x) => EXHAUSTION.has(x.code))!.pos : err.pos;
      out.problems.push(finding(ruleId, message, loc(at[0], at[1]), index));
      return;
    }
    // Empty documents (only comments, a lone ---) and `null` are skipped.
    if (root === null || (isScalar(root) && root.value === null)) return;
    nonEmpty++;
    const rootRange = root.range ?? [0, 0, 0];
    if (!isMap(root)) {
      const what = isScalar(root) ? "a scalar" : "a list";
      out.problems.push(
        finding(
          "parse/not-a-mapping",
          `document is ${what}, not a mapping; a Kubernetes manifest is a mapping with apiVersion and kind`,
          loc(rootRange[0], rootRange[1]),
          index,
        ),
      );
      return;
    }
    const converted = convertDocument(root, limits, (offset) => lines.position(offset).line);
    if ("issues" in converted) {
      for (const issue of converted.issues)
        out.problems.push(finding(issue.ruleId, issue.message, loc(issue.start, issue.end), index));
      return;
    }
    const startLine = lines.position(rootRange[0]).line;
    const endLine = lines.endPosition(rootRange[0], rootRange[1]).line;
    let locator: Locator | undefined;
    const aliases = converted.aliases;
    out.documents.push({
      file: path,
      index,
      value: converted.value,
      startLine,
      endLine,
      locate: (p) => (locator ??= new Locator(path, lines, root, aliases)).locate(p),
    });
  });
  if (budget) budget.remaining = Math.max(0, budget.remaining - nonEmpty);
  return out;
}

interface Composed {
  docs: Document.Parsed[];
  streamErrors: { message: string; start: number; end: number }[];
  /** Set when a document limit stopped the parse: where the first extra document starts. */
  overflow?: { kind: "file" | "total"; start: number };
}

/** Empty documents allowed per file, as a multiple of the document limit. */
const EMPTY_DOCUMENT_FACTOR = 10;

/**
 * Streams documents out of the parser and stops as soon as a document limit
 * is exceeded (non-empty documents, or all documents including empty ones
 * beyond ten times that), so a file of 200,000 `---` costs little.
 */
function composeAll(text: string, maxPerFile: number, remaining: number | undefined): Composed {
  const parser = new Parser();
  const composer = new Composer(YAML_OPTIONS);
  const docs: Document.Parsed[] = [];
  let nonEmpty = 0;
  for (const doc of composer.compose(parser.parse(text), true, text.length)) {
    docs.push(doc as Document.Parsed);
    const root = doc.contents;
    // Empty documents cost parsing time too: a file of nothing but `---` is bounded as well.
    if (docs.length > maxPerFile * EMPTY_DOCUMENT_FACTOR)
      return { docs, streamErrors: [], overflow: { kind: "file", start: doc.range?.[0] ?? 0 } };
    if (doc.directives?.yaml.explicit && doc.directives.yaml.version !== "1.1") {
      // A `%YAML 1.2` directive would switch to 1.2 scalars (`yes` stays a string); Kubernetes' go-yaml v2 reads YAML
      // 1.1 only.
      return {
        docs: [],
        streamErrors: [
          {
            message:
              `YAML syntax error: %YAML ${doc.directives.yaml.version} is not supported; Kubernetes ` +
              `reads YAML 1.1 (remove the directive)`,
            start: 0,
            end: 1,
          },
        ],
      };
    }
    if (root === null || (isScalar(root) && root.value === null)) continue;
    nonEmpty++;
    const start = root.range?.[0] ?? 0;
    if (nonEmpty > maxPerFile) return { docs, streamErrors: [], overflow: { kind: "file", start } };
    if (remaining !== undefined && nonEmpty > remaining)
      return { docs, streamErrors: [], overflow: { kind: "total", start } };
  }
  const streamErrors: Composed["streamErrors"] = [];
  if (docs.length === 0) {
    for (const e of composer.streamInfo().errors) {
      streamErrors.push({ message: `YAML syntax error: ${e.message}`, start: e.pos[0], end: e.pos[1] });
    }
  }
  return { docs, streamErrors };
}

/**
 * Parses many files with one document budget. Files are independent: each
 * one's problems stay in its own ParsedFile (and in the flat `problems`).
 */
export function parseManifests(
  files: SourceFile[],
  limits: ManifestLimits = DEFAULT_LIMITS,
): { documents: ManifestDocument[]; problems: Finding[]; files: ParsedFile[] } {
  const budget = { remaining: limits.maxTotalDocuments };
  const parsed: ParsedFile[] = [];
  const documents: ManifestDocument[] = [];
  const problems: Finding[] = [];
  for (const file of files) {
    const p = parseManifestFile(file, limits, budget);
    parsed.push(p);
    for (const d of p.documents) documents.push(d);
    for (const f of p.problems) problems.push(f);
  }
  return { documents, problems, files: parsed };
}

import { isAlias, isMap, isNode, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from "yaml";

/** A key or index on the way from the document root to a value. */
export type PathSegment = string | number;

/** 1-based line and column. */
export interface Position {
  line: number;
  column: number;
}

const START: Position = { line: 1, column: 1 };

/** Splits an ajv instancePath (a JSON pointer such as `/environments/prod/mode`) into segments. */
export function pointerToPath(pointer: string): PathSegment[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/**
 * Where `path` sits in the YAML source: the value's first character, or its
 * key's when `at` is "key". A path that does not exist (a missing key) falls
 * back to the nearest ancestor that does, so every problem gets a line.
 */
export function locate(
  doc: Document,
  lineCounter: LineCounter,
  path: PathSegment[],
  at: "key" | "value" = "value",
): Position {
  let node: unknown = doc.contents;
  let found: Node | null = isNode(node) ? node : null;
  for (let i = 0; i < path.length; i++) {
    node = deref(doc, node);
    const seg = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyText(p.key) === String(seg));
      if (!pair) break;
      const key = isNode(pair.key) ? pair.key : null;
      const value = isNode(pair.value) ? pair.value : null;
      // An empty value (`mode:`) has no useful range of its own: point at the key.
      if (last && (at === "key" || !value || !value.range || isEmptyScalar(value))) {
        found = key ?? found;
        break;
      }
      found = value ?? key ?? found;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(seg)];
      if (!isNode(item)) break;
      found = item;
      node = item;
    } else {
      break;
    }
  }
  return position(found, lineCounter);
}

function position(node: Node | null, lineCounter: LineCounter): Position {
  const offset = node?.range?.[0];
  if (offset === undefined) return START;
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

function deref(doc: Document, node: unknown): unknown {
  // Bounded: an alias resolves to an anchored node, never to another alias chain of unbounded length.
  for (let hops = 0; hops < 10 && isAlias(node); hops++) node = node.resolve(doc);
  return node;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

function isEmptyScalar(node: Node): boolean {
  return isScalar(node) && node.value === null && node.range![0] === node.range![1];
}

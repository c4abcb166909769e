/**
 * Path → source location, computed on demand from the kept YAML AST. Only the
 * nodes along the path are visited; large mappings get a key index on their
 * first lookup.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, type Alias, type Node as YamlNode, type Pair } from "yaml";
import type { DocPath, SourceLocation } from "../types.js";
import { isMergeKey, keyString } from "./keys.js";
import type { LineIndex } from "./lines.js";

/** Mappings with more entries than this get a Map from key to pair. */
const INDEX_THRESHOLD = 16;

export class Locator {
  private readonly index = new WeakMap<object, Map<string, Pair>>();

  constructor(
    private readonly file: string,
    private readonly lines: LineIndex,
    private readonly root: YamlNode,
    private readonly aliases: Map<Alias, YamlNode>,
  ) {}

  span(start: number, end: number): SourceLocation {
    const s = this.lines.position(start);
    // Never zero-width (an empty list item): SARIF and GitHub want end after start.
    const e = this.lines.endPosition(start, Math.max(end, start + 1));
    return {
      file: this.file,
      line: s.line,
      column: s.column,
      endLine: e.line,
      endColumn: Math.max(e.column, s.line === e.line ? s.column + 1 : 1),
    };
  }

  locate(path: DocPath): SourceLocation {
    let node: unknown = this.root;
    let [start, end] = range(this.root);
    for (const seg of path) {
      // Aliases resolve to their anchor (never a chain: an anchor is never an alias).
      if (isAlias(node)) node = this.aliases.get(node) ?? node;
      let hit: { start: number; end: number; value: unknown } | undefined;
      const pairs = isMap(node) ? (node.items as Pair[]) : node instanceof SinglePair ? [node.pair] : undefined;
      if (pairs) {
        const pair = this.findPair(node as object, pairs, String(seg), 0);
        if (pair) {
          const k = range(pair.key);
          const v = pair.value ? range(pair.value) : k;
          hit = { start: k[0], end: Math.max(k[1], v[1]), value: pair.value };
        }
      } else if (isSeq(node)) {
        const i = typeof seg === "number" ? seg : /^\d+$/.test(seg) ? Number(seg) : -1;
        const item = Number.isInteger(i) && i >= 0 ? node.items[i] : undefined;
        if (isPair(item)) {
          // `[a: 1]`: a one-entry mapping inside a flow sequence.
          hit = { start: range(item.key)[0], end: range(item.value ?? item.key)[1], value: new SinglePair(item) };
        } else if (item) {
          const r = range(item);
          hit = { start: r[0], end: r[1], value: item };
        }
      }
      if (!hit) break;
      start = hit.start;
      end = hit.end;
      node = hit.value;
    }
    return this.span(start, end);
  }

  /** The pair for `key`: own entries first, then merge sources (first wins). */
  private findPair(owner: object, items: Pair[], key: string, hops: number): Pair | undefined {
    const resolve = (a: Alias) => this.aliases.get(a);
    let own: Pair | undefined;
    if (items.length > INDEX_THRESHOLD) {
      let idx = this.index.get(owner);
      if (!idx) {
        idx = new Map();
        for (const p of items) {
          if (isMergeKey(p.key)) continue;
          const k = keyString(p.key, resolve);
          if (k !== undefined && !idx.has(k)) idx.set(k, p);
        }
        this.index.set(owner, idx);
      }
      own = idx.get(key);
    } else {
      own = items.find((p) => !isMergeKey(p.key) && keyString(p.key, resolve) === key);
    }
    if (own || hops > 64) return own;
    for (const p of items) {
      if (!isMergeKey(p.key)) continue;
      const sources = isSeq(p.value) ? p.value.items : [p.value];
      for (const src of sources) {
        const target = isAlias(src) ? this.aliases.get(src) : src;
        if (isMap(target)) {
          const found = this.findPair(target, target.items as Pair[], key, hops + 1);
          if (found) return found;
        }
      }
    }
    return undefined;
  }
}

class SinglePair {
  constructor(readonly pair: Pair) {}
}

function range(node: unknown): [number, number] {
  if (isScalar(node) || isMap(node) || isSeq(node) || isAlias(node)) {
    const r = node.range;
    if (r) return [r[0], r[1]];
  }
  return [0, 0];
}

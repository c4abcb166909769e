/**
 * From a parsed YAML document to plain JSON data, in two passes over the AST:
 *
 * 1. an iterative walk (no recursion, so hostile nesting cannot overflow the
 *    stack) in document order that checks nesting depth, resolves aliases to
 *    the anchor defined last before them, rejects aliases that point into
 *    their own anchor (cycles), and checks keys (null/collection keys,
 *    duplicates);
 * 2. a recursive conversion, safe because pass 1 bounded the depth, that
 *    applies merge keys and counts alias expansions against maxAliasCount.
 *
 * We do not use yaml's toJS: its alias resolution scans all anchors for every
 * alias (quadratic on hostile input) and it stringifies collection keys
 * (exponential on nested ones).
 */
import { isAlias, isMap, isPair, isScalar, isSeq, type Alias, type Node as YamlNode, type Pair } from "yaml";
import { describeKey, isMergeKey, keyString } from "./keys.js";

export type IssueKind =
  | "limit/depth"
  | "limit/aliases"
  | "parse/duplicate-key"
  | "parse/unsupported-key"
  | "parse/unknown-alias"
  | "parse/alias-cycle"
  | "parse/invalid-merge";

export interface Issue {
  ruleId: IssueKind;
  message: string;
  /** Offsets [start, end) in the text. */
  start: number;
  end: number;
}

export interface Converted {
  value: Record<string, unknown>;
  /** Alias → the node it stands for (for locate). Empty when there are none. */
  aliases: Map<Alias, YamlNode>;
}

const MAX_ISSUES = 20;

/** Thrown inside pass 2 to stop at the first fatal problem. */
class Stop extends Error {
  constructor(readonly issue: Issue) {
    super(issue.message);
  }
}

function rangeOf(node: unknown): [number, number] {
  const r = (node as { range?: [number, number, number] } | null)?.range;
  return r ? [r[0], r[1]] : [0, 0];
}

type Frame =
  { t: "node"; node: unknown; depth: number } | { t: "pair"; pair: Pair; depth: number; seen: Map<string, Pair> };

/**
 * Pass 1. `lineOf` turns an offset into a line number for messages.
 * Returns the alias table, or the issues that make the document unusable.
 */
function inspect(
  root: YamlNode,
  maxDepth: number,
  lineOf: (offset: number) => number,
): { aliases: Map<Alias, YamlNode>; issues: Issue[] } {
  const anchors = new Map<string, YamlNode>();
  const aliases = new Map<Alias, YamlNode>();
  const issues: Issue[] = [];
  const stack: Frame[] = [{ t: "node", node: root, depth: 1 }];
  const resolve = (a: Alias) => aliases.get(a);

  const visitAlias = (a: Alias): boolean => {
    const target = anchors.get(a.source);
    const [s, e] = rangeOf(a);
    if (!target) {
      issues.push({
        ruleId: "parse/unknown-alias",
        message: `unknown alias *${a.source}: the anchor &${a.source} must be defined before it is used`,
        start: s,
        end: e,
      });
      return false;
    }
    const [ts, te] = rangeOf(target);
    if (!isScalar(target) && ts <= s && s < te) {
      issues.push({
        ruleId: "parse/alias-cycle",
        message: `alias *${a.source} is inside the node it refers to (a cycle Kubernetes cannot read)`,
        start: s,
        end: e,
      });
      return false;
    }
    aliases.set(a, target);
    return true;
  };

  while (stack.length > 0 && issues.length < MAX_ISSUES) {
    const f = stack.pop()!;
    if (f.t === "pair") {
      const { key, value } = f.pair;
      if (isScalar(key) && key.anchor) anchors.set(key.anchor, key);
      if (isAlias(key) && !visitAlias(key)) break;
      if (!isMergeKey(key)) {
        const k = keyString(key, resolve);
        const [s, e] = key ? rangeOf(key) : rangeOf(value);
        if (k === undefined) {
          issues.push({
            ruleId: "parse/unsupported-key",
            message:
              `mapping key ${describeKey(key)} cannot be a JSON object key (Kubernetes needs a ` +
              `string, number or boolean key)`,
            start: s,
            end: e,
          });
          continue;
        }
        const first = f.seen.get(k);
        if (first) {
          issues.push({
            ruleId: "parse/duplicate-key",
            message: `duplicate key ${JSON.stringify(k)} (first at line ${lineOf(rangeOf(first.key)[0])})`,
            start: s,
            end: e,
          });
        } else f.seen.set(k, f.pair);
      }
      stack.push({ t: "node", node: value, depth: f.depth });
      continue;
    }
    const node = f.node;
    if (node === null || node === undefined) continue;
    if (isAlias(node)) {
      if (!visitAlias(node)) break;
      continue;
    }
    const anchor = (node as YamlNode).anchor;
    if (anchor) anchors.set(anchor, node as YamlNode);
    if (isScalar(node)) continue;
    if (isMap(node) || isSeq(node)) {
      if (f.depth > maxDepth) {
        const [s] = rangeOf(node);
        issues.push({ ruleId: "limit/depth", message: `nesting deeper than ${maxDepth} levels`, start: s, end: s + 1 });
        break;
      }
      const items = node.items as unknown[];
      if (isMap(node)) {
        const seen = new Map<string, Pair>();
        for (let i = items.length - 1; i >= 0; i--)
          stack.push({ t: "pair", pair: items[i] as Pair, depth: f.depth + 1, seen });
      } else {
        for (let i = items.length - 1; i >= 0; i--) {
          const item = items[i];
          // `[a: 1]`: a single-pair mapping inside a flow sequence.
          if (isPair(item)) stack.push({ t: "pair", pair: item, depth: f.depth + 2, seen: new Map() });
          else stack.push({ t: "node", node: item, depth: f.depth + 1 });
        }
      }
    }
  }
  return { aliases, issues };
}

/** Own data property, even for "__proto__" (never the prototype setter). */
function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__")
    Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  else obj[key] = value;
}

const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** Pass 2: values, merge keys, alias expansion budget. */
class Builder {
  private cost = 0;
  private readonly memo = new Map<YamlNode, { value: unknown; cost: number }>();

  constructor(
    private readonly aliases: Map<Alias, YamlNode>,
    private readonly maxAliasCount: number,
  ) {}

  value(node: unknown): unknown {
    if (node === null || node === undefined) return null;
    if (isAlias(node)) {
      const target = this.aliases.get(node)!;
      const m = this.memo.get(target) ?? this.anchored(target);
      this.cost += 1 + m.cost;
      if (this.cost > this.maxAliasCount) {
        const [s, e] = rangeOf(node);
        throw new Stop({
          ruleId: "limit/aliases",
          message: `aliases expand to more than ${this.maxAliasCount} references (a YAML alias bomb?)`,
          start: s,
          end: e,
        });
      }
      return m.value;
    }
    if ((node as YamlNode).anchor && !this.memo.has(node as YamlNode)) return this.anchored(node as YamlNode).value;
    const memo = this.memo.get(node as YamlNode);
    if (memo) return memo.value;
    return this.plain(node);
  }

  private anchored(node: YamlNode): { value: unknown; cost: number } {
    const before = this.cost;
    const value = this.plain(node);
    const m = { value, cost: this.cost - before };
    this.memo.set(node, m);
    return m;
  }

  private plain(node: unknown): unknown {
    if (isScalar(node)) {
      const v = node.value;
      if (typeof v === "symbol") return "<<";
      if (typeof v === "bigint") return Number(v);
      return v ?? null;
    }
    if (isSeq(node)) {
      return node.items.map((item) => (isPair(item) ? this.map([item]) : this.value(item)));
    }
    if (isMap(node)) return this.map(node.items as Pair[]);
    return null;
  }

  private map(pairs: Pair[]): Record<string, unknown> {
    const obj: Record<string, unknown> = {};
    const merges: Pair[] = [];
    for (const pair of pairs) {
      if (isMergeKey(pair.key)) {
        merges.push(pair);
        continue;
      }
      setOwn(
        obj,
        keyString(pair.key, (a) => this.aliases.get(a))!,
        this.value(pair.value),
      );
    }
    // Explicit keys win over merged ones; among merge sources the first wins.
    for (const pair of merges) {
      const sources = isSeq(pair.value) ? pair.value.items : [pair.value];
      for (const src of sources) {
        const target = isAlias(src) ? this.aliases.get(src) : src;
        if (!isMap(target)) {
          const [s, e] = rangeOf(src ?? pair.key);
          throw new Stop({
            ruleId: "parse/invalid-merge",
            message: "merge key << needs a mapping, an alias of a mapping, or a list of those",
            start: s,
            end: e,
          });
        }
        const v = this.value(src) as Record<string, unknown>;
        for (const k of Object.keys(v)) if (!hasOwn(obj, k)) setOwn(obj, k, v[k]);
      }
    }
    return obj;
  }
}

/**
 * Converts a document whose root is a mapping. Returns the value, or the
 * issues that make the document unusable.
 */
export function convertDocument(
  root: YamlNode,
  limits: { maxDepth: number; maxAliasCount: number },
  lineOf: (offset: number) => number,
): Converted | { issues: Issue[] } {
  const { aliases, issues } = inspect(root, limits.maxDepth, lineOf);
  if (issues.length > 0) return { issues };
  try {
    const value = new Builder(aliases, limits.maxAliasCount).value(root) as Record<string, unknown>;
    return { value, aliases };
  } catch (e) {
    if (e instanceof Stop) return { issues: [e.issue] };
    if (e instanceof RangeError) {
      const [s] = rangeOf(root);
      return {
        issues: [{ ruleId: "limit/depth", message: "document is nested too deeply to read", start: s, end: s + 1 }],
      };
    }
    throw e;
  }
}

import type { BuiltinImpl } from "./types.js";
/** graph.reachable_paths: every path from the given nodes, each ending at a leaf or before a cycle closes. */
import { invalidArgs } from "./errors.js";

const NAME = "graph.reachable_paths";

/** Sorted as OPA orders a set of string arrays (element by element, then by length), duplicates dropped. */
function sortPaths(paths: unknown[][]): unknown[][] {
  const key = (p: unknown[]) => JSON.stringify(p);
  const unique = [...new Map(paths.map((p) => [key(p), p])).values()];
  const cmp = (a: unknown, b: unknown) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0);
  return unique.sort((a, b) => {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return cmp(a[i], b[i]);
    return a.length - b.length;
  });
}

function reachablePaths(graph: unknown, initial: unknown): unknown[][] {
  if (graph === null || typeof graph !== "object" || Array.isArray(graph)) throw invalidArgs(NAME);
  const edges = graph as Record<string, unknown>;
  // Sets arrive as arrays; any other value makes the whole graph invalid, as in OPA.
  if (!Object.values(edges).every(Array.isArray)) throw invalidArgs(NAME);
  if (!Array.isArray(initial)) throw invalidArgs(NAME);
  const out: unknown[][] = [];
  const walk = (node: unknown, path: unknown[]) => {
    const next = typeof node === "string" && Object.hasOwn(edges, node) ? (edges[node] as unknown[]) : undefined;
    if (next === undefined || path.includes(node)) {
      if (path.length > 0) out.push(path);
      return;
    }
    const here = [...path, node];
    if (next.length === 0) out.push(here);
    for (const n of next) walk(n, here);
  };
  for (const node of initial) walk(node, []);
  return sortPaths(out);
}

export function graphBuiltins(): Record<string, BuiltinImpl> {
  return { [NAME]: reachablePaths };
}

/**
 * The patches a kustomization applies, read back from its files (or inline text), and whether one of
 * them sets a given field of a rendered object: strategic-merge patches mirror the object (lists of
 * named items are matched by their merge key), JSON6902 patches are lists of operations on paths.
 */
import { posix } from "node:path";
import type { DocPath, ManifestDocument } from "../types.js";
import { sourceDocs, type SourceDoc } from "./source-docs.js";

export interface Patch {
  docs: SourceDoc[];
  target?: Record<string, unknown>;
  json6902: boolean;
}

/** Patches of one kustomization, in the order kustomize applies them. */
export function patchesOf(kfile: string, k: ManifestDocument, files: Map<string, string | Uint8Array>): Patch[] {
  const dir = posix.dirname(kfile);
  const out: Patch[] = [];
  const fromFile = (path: unknown): SourceDoc[] => {
    if (typeof path !== "string") return [];
    const file = posix.normalize(posix.join(dir, path));
    const content = files.get(file);
    return content === undefined ? [] : sourceDocs(file, content);
  };
  const inline = (text: unknown, at: DocPath): SourceDoc[] => {
    if (typeof text !== "string") return [];
    // A block scalar's text starts on the line after its key, indented; locations are shifted to match.
    const key = k.locate(at);
    const raw = files.get(kfile);
    const lines = (typeof raw === "string" ? raw : new TextDecoder().decode(raw)).split("\n");
    const keyLine = lines[key.line - 1] ?? "";
    if (!/[|>][-+0-9]*\s*(#.*)?$/.test(keyLine)) return [];
    const indent = /^\s*/.exec(lines[key.line] ?? "")?.[0].length ?? 0;
    return sourceDocs(kfile, text, key.line, indent);
  };
  const v = k.value;
  const list = (field: string): unknown[] => (Array.isArray(v[field]) ? (v[field] as unknown[]) : []);
  list("patchesStrategicMerge").forEach((p, i) => {
    const docs = typeof p === "string" && p.includes("\n") ? inline(p, ["patchesStrategicMerge", i]) : fromFile(p);
    out.push({ docs, json6902: false });
  });
  list("patches").forEach((p, i) => {
    if (!p || typeof p !== "object") return;
    const e = p as Record<string, unknown>;
    const docs = e.path !== undefined ? fromFile(e.path) : inline(e.patch, ["patches", i, "patch"]);
    const target = e.target as Record<string, unknown> | undefined;
    out.push({ docs, target, json6902: docs.length === 1 && Array.isArray(docs[0].value) });
  });
  list("patchesJson6902").forEach((p, i) => {
    if (!p || typeof p !== "object") return;
    const e = p as Record<string, unknown>;
    const docs = e.path !== undefined ? fromFile(e.path) : inline(e.patch, ["patchesJson6902", i, "patch"]);
    out.push({ docs, target: e.target as Record<string, unknown> | undefined, json6902: true });
  });
  return out;
}

/** Whether a patch's target (or, without one, its own kind and name) selects the object. */
export function selects(patch: Patch, doc: SourceDoc, object: Record<string, unknown>, names: string[]): boolean {
  const sel = patch.target ?? selectorOf(doc.value);
  if (!sel) return false;
  const kind = object.kind;
  // Namespaces are not compared: an overlay's namespace transformer may run before or after a patch.
  const apiVersion = typeof object.apiVersion === "string" ? object.apiVersion : "";
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/", 2) : ["", apiVersion];
  if (typeof sel.kind === "string" && sel.kind !== kind) return false;
  if (typeof sel.group === "string" && sel.group !== group) return false;
  if (typeof sel.version === "string" && sel.version !== version) return false;
  if (typeof sel.name === "string" && !names.some((n) => nameMatches(sel.name as string, n))) return false;
  return true;
}

function selectorOf(value: unknown): Record<string, unknown> | undefined {
  if (!value || typeof value !== "object" || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  const meta = (v.metadata ?? {}) as Record<string, unknown>;
  return { kind: v.kind, name: meta.name };
}

/** Targets may be regular expressions; names may have gained a prefix or suffix on the way up. */
function nameMatches(pattern: string, name: string): boolean {
  return matchesPattern(pattern, name) || name.includes(pattern);
}

function matchesPattern(pattern: string, value: string): boolean {
  if (pattern === value) return true;
  try {
    return new RegExp(`^(?:${pattern})$`).test(value);
  } catch {
    return false;
  }
}

/** Keys that identify an item of a merged list (containers by name, ports by containerPort, …). */
const MERGE_KEYS = ["name", "mountPath", "containerPort", "devicePath", "ip", "topologyKey", "port"];

/**
 * How deep `path` (a path into the rendered object) goes into a strategic-merge patch document, and the
 * corresponding path into the patch (list indexes translated through merge keys).
 */
export function smpDepth(patch: unknown, rendered: unknown, path: DocPath): { depth: number; path: DocPath } {
  let p = patch;
  let r = rendered;
  const out: Array<string | number> = [];
  for (const seg of path) {
    if (Array.isArray(r)) {
      const i = typeof seg === "number" ? seg : Number(seg);
      if (!Array.isArray(p) || !Number.isInteger(i)) break;
      const item = r[i] as Record<string, unknown> | undefined;
      const key = item && typeof item === "object" ? MERGE_KEYS.find((k) => k in item) : undefined;
      const j = key ? p.findIndex((x) => x && typeof x === "object" && x[key] === item![key]) : i;
      if (j < 0 || j >= p.length) break;
      out.push(j);
      p = p[j];
      r = item;
    } else if (p && typeof p === "object" && !Array.isArray(p) && Object.hasOwn(p, String(seg))) {
      out.push(String(seg));
      p = (p as Record<string, unknown>)[String(seg)];
      r = r && typeof r === "object" ? (r as Record<string, unknown>)[String(seg)] : undefined;
    } else break;
  }
  return { depth: out.length, path: out };
}

/** The last JSON6902 operation that writes `path` or one of its parents, as a path into the patch list. */
export function jsonPatchPath(ops: unknown, path: DocPath): DocPath | undefined {
  if (!Array.isArray(ops)) return undefined;
  for (let k = ops.length - 1; k >= 0; k--) {
    const op = ops[k] as Record<string, unknown> | null;
    if (!op || typeof op.path !== "string" || !["add", "replace", "copy", "move"].includes(String(op.op))) continue;
    const segs = op.path
      .split("/")
      .slice(1)
      .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
    if (segs.length > path.length) continue;
    if (!segs.every((s, i) => s === String(path[i]) || s === "-")) continue;
    return "value" in op ? [k, "value", ...path.slice(segs.length)] : [k];
  }
  return undefined;
}

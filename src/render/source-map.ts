/**
 * Rendered object field → the source line that produced it. kustomize says which file an object came from
 * (origin annotation) and which kustomizations transformed it (transformer annotations); the field is then
 * looked up in the patches those kustomizations apply (the last one that sets it wins), else in the
 * resource file. A field no source holds is shown on the entry point, and the finding says so.
 */
import type { DocPath, ManifestDocument, SourceLocation } from "../types.js";
import type { KustomizeInputs } from "./inputs.js";
import type { RenderedObject } from "./objects.js";
import { jsonPatchPath, patchesOf, selects, smpDepth, type Patch } from "./patches.js";
import { sourceDocs, type SourceDoc } from "./source-docs.js";

export const UNMAPPED_NOTE = " (no source line holds this field of the rendered object; shown on the entry point)";

const GENERATOR_FIELDS: Record<string, string> = {
  ConfigMapGenerator: "configMapGenerator",
  SecretGenerator: "secretGenerator",
};

export class SourceMapper {
  private readonly docs = new Map<string, SourceDoc[]>();
  private readonly patches = new Map<string, Patch[]>();
  /** Locations that fell back to the entry point (their findings get UNMAPPED_NOTE). */
  readonly unmapped = new WeakSet<SourceLocation>();

  constructor(
    private readonly inputs: KustomizeInputs,
    private readonly entryFile: string,
  ) {}

  /** The object as a document whose file, lines and `locate` point at its sources. */
  document(obj: RenderedObject, index: number): ManifestDocument {
    const origin = this.originDoc(obj);
    return {
      file: origin?.file ?? obj.origin.configuredIn ?? this.entryFile,
      index,
      value: obj.value,
      startLine: origin?.startLine ?? 1,
      endLine: origin?.endLine ?? 1,
      locate: (path) => this.locate(obj, origin, path),
    };
  }

  private docsOf(file: string): SourceDoc[] {
    let docs = this.docs.get(file);
    if (!docs) {
      const content = this.inputs.files.get(file);
      docs = content === undefined ? [] : sourceDocs(file, content);
      this.docs.set(file, docs);
    }
    return docs;
  }

  private originDoc(obj: RenderedObject): SourceDoc | undefined {
    if (!obj.origin.path) return undefined;
    const docs = this.docsOf(obj.origin.path);
    const kind = obj.value.kind;
    const name = nameOf(obj.value);
    const sameKind = docs.filter((d) => kindOf(d.value) === kind);
    return sameKind.find((d) => name.includes(nameOf(d.value) || "\0")) ?? sameKind[0] ?? docs[0];
  }

  /** Patches that may have touched the object, the last applied first. */
  private patchesFor(obj: RenderedObject): Patch[] {
    const out: Patch[] = [];
    const seen = new Set<string>();
    for (const t of [...obj.transformations].reverse()) {
      if (!/Patch/.test(t.kind) || seen.has(t.configuredIn)) continue;
      seen.add(t.configuredIn);
      let list = this.patches.get(t.configuredIn);
      if (!list) {
        const k = this.inputs.kustomizations.get(t.configuredIn);
        list = k ? patchesOf(t.configuredIn, k, this.inputs.files) : [];
        this.patches.set(t.configuredIn, list);
      }
      out.push(...[...list].reverse());
    }
    return out;
  }

  private locate(obj: RenderedObject, origin: SourceDoc | undefined, path: DocPath): SourceLocation {
    const names = [nameOf(obj.value), origin ? nameOf(origin.value) : ""].filter(Boolean);
    let best: { depth: number; doc: SourceDoc; path: DocPath } | undefined;
    if (!isIdentity(path)) {
      for (const patch of this.patchesFor(obj)) {
        for (const doc of patch.docs) {
          if (!selects(patch, doc, obj.value, names)) continue;
          if (patch.json6902) {
            const p = jsonPatchPath(doc.value, path);
            if (p) return doc.locate(p);
            continue;
          }
          const m = smpDepth(doc.value, obj.value, path);
          if (m.depth === path.length) return doc.locate(m.path);
          if (m.depth > (best?.depth ?? 0)) best = { depth: m.depth, doc, path: m.path };
        }
      }
    }
    if (origin) {
      const m = smpDepth(origin.value, obj.value, path);
      // On a tie the resource file wins: a patch names the object's parents only to reach what it sets.
      if (!best || m.depth >= best.depth) return origin.locate(m.path);
    }
    if (best) return best.doc.locate(best.path);
    const generated = this.generatorLocation(obj);
    if (generated) return generated;
    const at: SourceLocation = { file: this.entryFile, line: 1 };
    this.unmapped.add(at);
    return at;
  }

  /** A generated object (ConfigMap, Secret): the generator entry that made it. */
  private generatorLocation(obj: RenderedObject): SourceLocation | undefined {
    const kfile = obj.origin.configuredIn;
    if (!kfile) return undefined;
    const k = this.docsOf(kfile)[0];
    if (!k) return undefined;
    const field = GENERATOR_FIELDS[obj.origin.configuredBy ?? ""];
    const items = field ? (k.value as Record<string, unknown>)[field] : undefined;
    if (Array.isArray(items)) {
      const name = nameOf(obj.value);
      const i = items.findIndex((g) => typeof g?.name === "string" && name.startsWith(g.name as string));
      if (i >= 0) return k.locate([field, i]);
    }
    return k.locate([]);
  }
}

/** Paths every patch repeats to say what it patches: they belong to the resource, not the patch. */
function isIdentity(path: DocPath): boolean {
  if (path.length === 0) return true;
  if (path[0] === "apiVersion" || path[0] === "kind") return true;
  return path.length === 2 && path[0] === "metadata" && (path[1] === "name" || path[1] === "namespace");
}

function kindOf(v: unknown): unknown {
  return v && typeof v === "object" ? (v as Record<string, unknown>).kind : undefined;
}

function nameOf(v: unknown): string {
  const meta = v && typeof v === "object" ? (v as Record<string, unknown>).metadata : undefined;
  const name = meta && typeof meta === "object" ? (meta as Record<string, unknown>).name : undefined;
  return typeof name === "string" ? name : "";
}

/**
 * kustomize's output → objects, with the build metadata kustomize annotated them with (where each came
 * from, which kustomizations transformed it) taken off: policies and schemas see the object as it will
 * be applied.
 */
import { posix } from "node:path";
import { parse } from "yaml";
import { resolveLimits } from "../manifests/limits.js";
import { parseManifestFile } from "../manifests/parse.js";
import type { Finding } from "../types.js";
import { WRAPPER_DIR } from "./kustomize.js";

export const ORIGIN = "config.kubernetes.io/origin";
export const TRANSFORMATIONS = "alpha.config.kubernetes.io/transformations";

export interface Origin {
  /** The resource file the object was read from (repository-relative). */
  path?: string;
  /** The kustomization whose generator made the object (repository-relative). */
  configuredIn?: string;
  /** The generator's kind, e.g. ConfigMapGenerator. */
  configuredBy?: string;
}

export interface Transformation {
  /** The kustomization that configured the transformer (repository-relative). */
  configuredIn: string;
  /** The transformer's kind, e.g. PatchTransformer, NamespaceTransformer. */
  kind: string;
}

export interface RenderedObject {
  value: Record<string, unknown>;
  origin: Origin;
  /** In the order they were applied. */
  transformations: Transformation[];
}

const OUTPUT_LIMITS = resolveLimits({ maxFileBytes: 256 * 1024 * 1024, maxDocumentsPerFile: 100_000 });

export function renderedObjects(output: string, label: string): { objects: RenderedObject[]; problems: Finding[] } {
  const parsed = parseManifestFile({ path: label, content: output }, OUTPUT_LIMITS, undefined, { fast: true });
  const objects = parsed.documents.map((d) => takeBuildMetadata(d.value));
  return { objects, problems: parsed.problems };
}

function takeBuildMetadata(value: Record<string, unknown>): RenderedObject {
  const metadata = value.metadata as Record<string, unknown> | undefined;
  const annotations = metadata?.annotations as Record<string, unknown> | undefined;
  const origin: Origin = {};
  const transformations: Transformation[] = [];
  if (!metadata || !annotations || typeof annotations !== "object") return { value, origin, transformations };
  const o = readYaml(annotations[ORIGIN]) as Record<string, unknown> | undefined;
  if (o && typeof o === "object") {
    if (typeof o.path === "string") origin.path = repoPath(o.path);
    if (typeof o.configuredIn === "string") origin.configuredIn = repoPath(o.configuredIn);
    const by = o.configuredBy as Record<string, unknown> | undefined;
    if (by && typeof by.kind === "string") origin.configuredBy = by.kind;
  }
  const t = readYaml(annotations[TRANSFORMATIONS]);
  if (Array.isArray(t)) {
    for (const item of t as Array<Record<string, unknown>>) {
      const by = item?.configuredBy as Record<string, unknown> | undefined;
      const inK = typeof item?.configuredIn === "string" ? repoPath(item.configuredIn) : undefined;
      if (inK && by && typeof by.kind === "string") transformations.push({ configuredIn: inK, kind: by.kind });
    }
  }
  const rest = { ...annotations };
  delete rest[ORIGIN];
  delete rest[TRANSFORMATIONS];
  const meta: Record<string, unknown> = { ...metadata, annotations: rest };
  if (Object.keys(rest).length === 0) delete meta.annotations;
  return { value: { ...value, metadata: meta }, origin, transformations };
}

function readYaml(text: unknown): unknown {
  if (typeof text !== "string") return undefined;
  try {
    return parse(text);
  } catch {
    return undefined;
  }
}

/** A path relative to the wrapper's directory → repository-relative; undefined outside the repository. */
function repoPath(p: string): string | undefined {
  const path = posix.normalize(posix.join(WRAPPER_DIR, p));
  return path === ".." || path.startsWith("../") || posix.isAbsolute(p) ? undefined : path;
}

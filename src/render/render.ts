/**
 * Rendering an environment's entry point into the objects it will apply, ready to be judged: documents
 * whose `locate` points at source lines, grouped by the source file they came from.
 */
import { posix } from "node:path";
import type { ParsedFile } from "../manifests/parse.js";
import type { Finding } from "../types.js";
import { renderHelm, type HelmOptions } from "./helm.js";
import { entryFile, kustomizeBuild, type KustomizeOptions } from "./kustomize.js";
import { renderedObjects, type RenderedObject } from "./objects.js";
import type { RenderReader } from "./reader.js";
import { SourceMapper, UNMAPPED_NOTE } from "./source-map.js";

export interface RenderedEntry {
  /** The entry point directory, repository-relative. */
  entry: string;
  /** Every repository file the render read: a change to any of them changes what it renders. */
  reads: string[];
  /** The rendered objects (build metadata removed), in kustomize's order. */
  objects: RenderedObject[];
  /** The objects as located documents, grouped by source file; rendering problems ride on the entry point. */
  files: ParsedFile[];
  /** Rendering problems (missing files, remote bases, tool errors): failures on this entry point. */
  problems: Finding[];
  /** Says so on findings that could only be placed on the entry point. */
  annotate(findings: Finding[]): void;
}

export type RenderOptions = KustomizeOptions;

export { renderHelm, type HelmOptions };

/**
 * Renders an entry point directory: a Helm chart (it holds a Chart.yaml) with `helm template`, anything
 * else with `kustomize build`. `helm` options apply only to charts (values files, release name, namespace).
 */
export async function renderEntry(
  reader: RenderReader,
  directory: string,
  options: RenderOptions & { helm?: HelmOptions } = {},
): Promise<RenderedEntry> {
  const dir = posix.normalize(directory.replace(/\/+$/, "") || ".");
  if ((await reader.readFile(posix.join(dir, "Chart.yaml"))) !== undefined) {
    return renderHelm(reader, dir, { ...options.helm, ...(options.limits ? { limits: options.limits } : {}) });
  }
  return renderKustomize(reader, dir, options);
}

/** Renders one kustomize directory (repository-relative) read through `reader`. */
export async function renderKustomize(
  reader: RenderReader,
  directory: string,
  options: RenderOptions = {},
): Promise<RenderedEntry> {
  const entry = posix.normalize(directory.replace(/\/+$/, "") || ".");
  const build = await kustomizeBuild(reader, entry, options);
  const kfile = entryFile(build.inputs);
  const reads = [...build.inputs.files.keys()].filter((f) => f !== build.inputs.generated).sort();
  const problems = [...build.problems];
  let objects: RenderedObject[] = [];
  if (build.output !== undefined) {
    const parsed = renderedObjects(build.output, `${entry} (rendered)`);
    objects = parsed.objects;
    problems.push(...parsed.problems);
  }
  const mapper = new SourceMapper(build.inputs, kfile);
  const byFile = new Map<string, ParsedFile>();
  objects.forEach((obj, i) => {
    const doc = mapper.document(obj, i);
    let file = byFile.get(doc.file);
    if (!file) byFile.set(doc.file, (file = { file: doc.file, documents: [], problems: [] }));
    file.documents.push(doc);
  });
  const files = [...byFile.values()];
  if (problems.length) files.push({ file: kfile, documents: [], problems });
  return {
    entry,
    reads,
    objects,
    files,
    problems,
    annotate(findings) {
      for (const f of findings) if (mapper.unmapped.has(f.location)) f.message += UNMAPPED_NOTE;
    },
  };
}

/**
 * Discovery and rendering over a reader (working tree, git revision, a commit through the GitHub gateway):
 * finds the repository's entry points, and renders one the way the tool that declares it would.
 */
import { parseManifestFile, type ParsedFile } from "../manifests/parse.js";
import { discoverEntryPoints } from "./discover.js";
import type { DiscoveredEntry, Discovery, DiscoverOptions } from "./discover-types.js";
import { renderHelm, renderKustomize, type RenderedEntry, type RenderOptions } from "./render.js";
import type { RenderReader } from "./reader.js";

/** A cheap test before parsing: only files naming one of these kinds can declare an entry point. */
const DECLARES =
  /^kind:\s*["']?(Kustomization|HelmRelease|ArtifactGenerator|GitRepository|Application|ApplicationSet)\b/m;
const MAX_MANIFEST_BYTES = 1024 * 1024;

/**
 * Every entry point the repository's manifests declare. Needs `reader.listFiles` (without it, nothing is
 * found). `options.files` defaults to the reader's listing.
 */
export async function discoverFromReader(
  reader: RenderReader,
  options: DiscoverOptions = {},
  root = ".",
): Promise<Discovery> {
  if (!reader.listFiles) return { entries: [], skipped: [] };
  const files = await reader.listFiles(root);
  const parsed: ParsedFile[] = [];
  for (const path of files) {
    if (!/\.ya?ml$/i.test(path)) continue;
    const content = await reader.readFile(path);
    if (content === undefined || content.length > MAX_MANIFEST_BYTES) continue;
    const text = typeof content === "string" ? content : new TextDecoder().decode(content);
    if (DECLARES.test(text)) parsed.push(parseManifestFile({ path, content: text }));
  }
  return discoverEntryPoints(parsed, { ...options, files: options.files ?? files });
}

/** Renders a discovered entry point: a chart with its values files, inline values, release name and namespace. */
export function renderDiscovered(
  reader: RenderReader,
  entry: DiscoveredEntry,
  options: RenderOptions = {},
): Promise<RenderedEntry> {
  if (entry.kind !== "helm") return renderKustomize(reader, entry.path, options);
  return renderHelm(reader, entry.path, {
    valuesFiles: entry.valuesFiles,
    origin: entry.origin,
    ...(entry.inlineValues ? { inlineValues: entry.inlineValues } : {}),
    ...(entry.locateInline ? { locateInline: entry.locateInline } : {}),
    ...(entry.releaseName ? { releaseName: entry.releaseName } : {}),
    ...(entry.namespace ? { namespace: entry.namespace } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
  });
}

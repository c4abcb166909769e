/**
 * Entry points discovered from the repository's own manifests: the directories Flux and Argo CD render from
 * this repository (see discover-flux.ts and discover-argo.ts for the exact rules). Pure: it reads only the
 * parsed documents (and, optionally, the list of the repository's files).
 */
import type { ParsedFile } from "../manifests/parse.js";
import { discoverArgo } from "./discover-argo.js";
import { discoverFlux } from "./discover-flux.js";
import type { Discovery, DiscoverOptions, Found } from "./discover-types.js";
import { record, str } from "./discover-types.js";

export type { DiscoveredEntry, Discovery, DiscoverOptions, EntryKind, SkippedSource } from "./discover-types.js";
export { normalizeRepoUrl, SAME_REPOSITORY_ANNOTATION } from "./discover-types.js";

/** The kinds discovery reads: a cheap filter before parsing every file of a repository. */
export const DISCOVERY_KINDS = [
  "Kustomization",
  "HelmRelease",
  "ArtifactGenerator",
  "GitRepository",
  "Application",
].concat(["ApplicationSet"]);

export function discoverEntryPoints(files: ParsedFile[], options: DiscoverOptions = {}): Discovery {
  const objects: Found[] = [];
  for (const file of files) {
    for (const doc of file.documents) {
      const apiVersion = str(doc.value.apiVersion) ?? "";
      const kind = str(doc.value.kind);
      const meta = record(doc.value.metadata) ?? {};
      const name = str(meta.name);
      if (!kind || !name || !DISCOVERY_KINDS.includes(kind)) continue;
      const apiGroup = apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "";
      const namespace = str(meta.namespace);
      objects.push({ doc, kind, apiGroup, name, ...(namespace ? { namespace } : {}) });
    }
  }
  const out: Discovery = { entries: [], skipped: [] };
  discoverFlux(objects, options, out);
  discoverArgo(objects, options, out);
  return out;
}

/**
 * `render.discover`: an environment's entry points found from the Flux Kustomization / HelmRelease and Argo CD
 * Application / ApplicationSet objects under its `paths`, read at the base tree (what the default branch
 * declares), and rendered like explicit ones. Discovery reads the objects, not the change: a pull request that
 * edits a Flux Kustomization's `spec.path` is judged against the entry points the base declares.
 */
import type { EntryPoint } from "../config/render.js";
import { manifestFilesFor } from "../config/environments.js";
import type { EnvironmentConfig } from "../config/types.js";
import type { DiscoveredEntry } from "../render/discover-types.js";
import { discoverFromReader } from "../render/discover-read.js";
import type { RenderReader } from "../render/reader.js";

/** An entry point to render: from `entry_points`, or discovered (then rendered as its declaring tool would). */
export interface PlannedEntry extends EntryPoint {
  discovered?: DiscoveredEntry;
}

/** The environment's discovered entry points (none when it does not ask for discovery). */
export async function discoveredEntries(
  reader: RenderReader & { listFiles(dir: string): Promise<string[]> },
  env: EnvironmentConfig,
  repoKey: string,
): Promise<PlannedEntry[]> {
  const which = env.render?.discover;
  if (!which) return [];
  const all = await reader.listFiles(".");
  const declaring = manifestFilesFor(env, all);
  // Only the environment's own manifests declare its entry points; every file still tells charts from kustomizations.
  const scoped: RenderReader = { readFile: (p) => reader.readFile(p), listFiles: async () => declaring };
  const found = await discoverFromReader(scoped, { repoUrls: [`https://github.com/${repoKey}`], files: all });
  return found.entries
    .filter((e) => which === "all" || (which === "flux" ? e.by.startsWith("Flux") : e.by.startsWith("Argo")))
    .map((e) => {
      const kind = e.kind === "helm" ? "helm" : "kustomize";
      return { kind, dir: e.path, values: e.valuesFiles, label: `${kind} ${e.path}`, discovered: e };
    });
}

/** Explicit entry points first; a discovered one that repeats an explicit one (same label) is left out. */
export function mergeEntries(explicit: EntryPoint[], discovered: PlannedEntry[]): PlannedEntry[] {
  const seen = new Set(explicit.map((e) => e.label));
  const out: PlannedEntry[] = [...explicit];
  for (const e of discovered) {
    if (seen.has(e.label)) continue;
    seen.add(e.label);
    out.push(e);
  }
  return out;
}

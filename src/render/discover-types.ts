/**
 * What entry-point discovery finds: the directories Flux and Argo CD render from this repository, each with
 * the manifest line that declares it, and the sources it passed over with the reason.
 */
import { posix } from "node:path";
import type { DocPath, ManifestDocument, SourceLocation } from "../types.js";

export type EntryKind = "kustomize" | "helm" | "directory";

export interface DiscoveredEntry {
  /** kustomize: `kustomize build` (a directory without a kustomization renders as Flux does); helm: a chart;
   * directory: Argo CD's plain directory of manifests. */
  kind: EntryKind;
  /** The directory, repository-relative, without a leading `./` ("." for the root). */
  path: string;
  /** Helm values files, repository-relative, in the order they apply (later ones win). */
  valuesFiles: string[];
  /** Helm values written inline in the declaring manifest (applied after the files). */
  inlineValues?: Record<string, unknown>;
  /** Where a field of the inline values is written (when the manifest holds them as YAML, not as a string). */
  locateInline?: (path: DocPath) => SourceLocation;
  releaseName?: string;
  namespace?: string;
  /** Argo CD directory sources: whether subdirectories are included. */
  recurse?: boolean;
  /** The manifest line that names the path. */
  origin: SourceLocation;
  /** Who declares it, e.g. `Flux Kustomization flux-system/apps`. */
  by: string;
}

export interface SkippedSource {
  origin: SourceLocation;
  by: string;
  reason: string;
}

export interface Discovery {
  entries: DiscoveredEntry[];
  skipped: SkippedSource[];
}

export interface DiscoverOptions {
  /** Addresses of this repository (https, ssh or scp-like; `.git` and case of the host do not matter). */
  repoUrls?: string[];
  /** Flux GitRepository objects (`namespace/name`) that are this repository, besides those found by URL and
   * the bootstrap source flux-system/flux-system. */
  selfSources?: string[];
  /** Every file of the repository (repository-relative): tells charts from kustomizations and expands
   * ApplicationSet git directory generators. Without it, only the manifests' own hints decide the kind. */
  files?: string[];
}

/** The annotation that marks an Argo CD Application or ApplicationSet as reading this repository. */
export const SAME_REPOSITORY_ANNOTATION = "stagegate.io/same-repository";

/** One object found in the repository's manifests. */
export interface Found {
  doc: ManifestDocument;
  kind: string;
  apiGroup: string;
  name: string;
  namespace?: string;
}

export function describe(f: Found, label: string): string {
  return `${label} ${f.namespace ? `${f.namespace}/` : ""}${f.name}`;
}

/** A path inside a source → repository-relative; undefined when it leaves the repository. */
export function repoRelative(path: string, base = "."): string | undefined {
  const p = posix.normalize(posix.join(base, path.replace(/^\/+/, "")));
  if (p === ".." || p.startsWith("../")) return undefined;
  return p.replace(/\/+$/, "") || ".";
}

export function record(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

export function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

/** Normalized repository address: host lower-cased, no scheme, user, `.git` or trailing slash. */
export function normalizeRepoUrl(url: string): string {
  let u = url.trim();
  const scp = /^[\w.-]+@([^:/]+):(.+)$/.exec(u); // git@github.com:org/repo.git
  if (scp) u = `${scp[1]}/${scp[2]}`;
  u = u.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "").replace(/^[^@/]*@/, "");
  u = u.replace(/\/+$/, "").replace(/\.git$/i, "");
  const slash = u.indexOf("/");
  const host = (slash < 0 ? u : u.slice(0, slash)).toLowerCase().replace(/:(22|443)$/, "");
  return slash < 0 ? host : host + u.slice(slash);
}

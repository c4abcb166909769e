/**
 * Flux entry points: `Kustomization` (spec.path) and `HelmRelease` (spec.chart.spec.chart) whose source is
 * this repository. A source is this repository when it is a GitRepository that
 * - is listed in `selfSources` (namespace/name), or
 * - is defined in the repository with a spec.url matching one of `repoUrls`, or
 * - is flux-system/flux-system (what `flux bootstrap` creates for the repository it writes to), unless the
 *   repository defines it with a URL that matches none of the configured `repoUrls`;
 * or an ExternalArtifact made by an ArtifactGenerator that copies from such a GitRepository: the artifact
 * path is mapped back through the generator's `copy` rules (`@alias/dir/**` → `@artifact/dest/`).
 */
import { posix } from "node:path";
import type { DiscoveredEntry, Discovery, DiscoverOptions, Found } from "./discover-types.js";
import { describe, normalizeRepoUrl, record, repoRelative, str } from "./discover-types.js";

const BOOTSTRAP = "flux-system/flux-system";
/** Overlays patch Flux objects with partial ones: said so where a required field is missing. */
const PATCH = " (a patch, not a whole object?)";

export function discoverFlux(objects: Found[], options: DiscoverOptions, out: Discovery): void {
  const ctx = new FluxSources(objects, options);
  for (const f of objects) {
    if (f.apiGroup === "kustomize.toolkit.fluxcd.io" && f.kind === "Kustomization") kustomization(f, ctx, out);
    if (f.apiGroup === "helm.toolkit.fluxcd.io" && f.kind === "HelmRelease") helmRelease(f, ctx, out);
  }
}

function kustomization(f: Found, ctx: FluxSources, out: Discovery): void {
  const spec = record(f.doc.value.spec) ?? {};
  const by = describe(f, "Flux Kustomization");
  const pathField = str(spec.path) !== undefined ? ["spec", "path"] : ["spec", "sourceRef"];
  const origin = f.doc.locate(pathField);
  const source = ctx.resolve(record(spec.sourceRef), f.namespace, str(spec.path) ?? "./");
  if ("reason" in source) return void out.skipped.push({ origin, by, reason: source.reason });
  const entry: DiscoveredEntry = { kind: "kustomize", path: source.path, valuesFiles: [], origin, by };
  const ns = str(spec.targetNamespace);
  if (ns) entry.namespace = ns;
  out.entries.push(entry);
}

function helmRelease(f: Found, ctx: FluxSources, out: Discovery): void {
  const spec = record(f.doc.value.spec) ?? {};
  const by = describe(f, "Flux HelmRelease");
  const chartSpec = record(record(spec.chart)?.spec);
  if (!chartSpec) {
    const reason = spec.chartRef ? "its chart comes from spec.chartRef (an OCI artifact or HelmChart)" : "no chart";
    return void out.skipped.push({ origin: f.doc.locate(["spec"]), by, reason });
  }
  const origin = f.doc.locate(["spec", "chart", "spec", "chart"]);
  if (!str(chartSpec.chart)) return void out.skipped.push({ origin, by, reason: `no spec.chart.spec.chart${PATCH}` });
  const ref = record(chartSpec.sourceRef);
  if (str(ref?.kind) !== "GitRepository") {
    const reason = `its chart comes from ${str(ref?.kind) ?? "an unnamed source"} ${str(ref?.name) ?? ""}`.trim();
    return void out.skipped.push({ origin, by, reason: `${reason}, not from this repository` });
  }
  const source = ctx.resolve(ref, f.namespace, str(chartSpec.chart) ?? "");
  if ("reason" in source) return void out.skipped.push({ origin, by, reason: source.reason });
  const valuesFiles: string[] = [];
  const listed = Array.isArray(chartSpec.valuesFiles) ? chartSpec.valuesFiles : str(chartSpec.valuesFile);
  for (const v of [listed ?? []].flat()) {
    const p = typeof v === "string" ? repoRelative(v) : undefined;
    if (p) valuesFiles.push(p);
  }
  const entry: DiscoveredEntry = { kind: "helm", path: source.path, valuesFiles, origin, by };
  const values = record(spec.values);
  if (values) {
    entry.inlineValues = values;
    entry.locateInline = (path) => f.doc.locate(["spec", "values", ...path]);
  }
  const target = str(spec.targetNamespace);
  entry.releaseName = str(spec.releaseName) ?? (target ? `${target}-${f.name}` : f.name);
  const ns = target ?? f.namespace;
  if (ns) entry.namespace = ns;
  out.entries.push(entry);
}

type Resolved = { path: string } | { reason: string };

class FluxSources {
  private readonly self: Set<string>;
  private readonly urls: Set<string>;

  constructor(
    private readonly objects: Found[],
    options: DiscoverOptions,
  ) {
    this.self = new Set(options.selfSources ?? []);
    this.urls = new Set((options.repoUrls ?? []).map(normalizeRepoUrl));
  }

  /** A sourceRef and a path inside the source → the repository directory, or why not. */
  resolve(ref: Record<string, unknown> | undefined, ownNs: string | undefined, path: string): Resolved {
    const kind = str(ref?.kind);
    const name = str(ref?.name);
    if (!ref || !kind || !name) return { reason: `no spec.sourceRef${PATCH}` };
    const ns = str(ref.namespace) ?? ownNs;
    if (kind === "GitRepository") {
      const why = this.notSelf(name, ns);
      if (why) return { reason: why };
      const p = repoRelative(path);
      return p ? { path: p } : { reason: `path ${path} leaves the repository` };
    }
    if (kind === "ExternalArtifact") return this.artifact(name, ns, path);
    return { reason: `its source is a ${kind} (${name}), not this repository` };
  }

  /** Undefined when the GitRepository is this repository, else why it is not. */
  private notSelf(name: string, ns: string | undefined): string | undefined {
    const key = `${ns ?? "?"}/${name}`;
    if (this.self.has(key)) return undefined;
    const defined = this.objects.find(
      (o) => o.kind === "GitRepository" && o.apiGroup === "source.toolkit.fluxcd.io" && o.name === name && same(o, ns),
    );
    const url = str(record(defined?.doc.value.spec)?.url);
    if (url && this.urls.has(normalizeRepoUrl(url))) return undefined;
    const bootstrap = key === BOOTSTRAP || (ns === undefined && name === "flux-system");
    if (bootstrap && (!url || this.urls.size === 0)) return undefined;
    if (url && this.urls.size === 0) return `GitRepository ${key} is ${url} (configure this repository's address)`;
    if (url) return `GitRepository ${key} is ${url}, not one of this repository's addresses`;
    return `GitRepository ${key} is not known to be this repository (configure its URL)`;
  }

  /** An ExternalArtifact made by an ArtifactGenerator from this repository: path → repository path. */
  private artifact(name: string, ns: string | undefined, path: string): Resolved {
    let made: string | undefined;
    for (const gen of this.objects) {
      if (gen.kind !== "ArtifactGenerator" || !same(gen, ns)) continue;
      const spec = record(gen.doc.value.spec) ?? {};
      const artifacts = Array.isArray(spec.artifacts) ? spec.artifacts.map(record) : [];
      const artifact = artifacts.find((a) => str(a?.name) === name);
      if (!artifact) continue;
      const sources = Array.isArray(spec.sources) ? spec.sources.map(record) : [];
      const want = posix.normalize(path.replace(/^\/+/, "") || ".").replace(/\/+$/, "");
      for (const c of Array.isArray(artifact.copy) ? artifact.copy.map(record) : []) {
        const from = /^@([^/]+)\/(.*?)\/?\*{0,2}$/.exec(str(c?.from) ?? "");
        const to = /^@artifact\/?(.*)$/.exec(str(c?.to) ?? "");
        if (!from || !to) continue;
        const src = sources.find((s) => str(s?.alias) === from[1]);
        if (str(src?.kind) !== "GitRepository") continue;
        const dest = posix.normalize(to[1] || ".").replace(/\/+$/, "");
        const rest =
          dest === "." ? want : want === dest ? "." : want.startsWith(`${dest}/`) ? want.slice(dest.length + 1) : "";
        if (!rest) continue;
        if (this.notSelf(str(src!.name)!, str(src!.namespace) ?? gen.namespace)) continue;
        const p = repoRelative(rest, from[2] || ".");
        if (p) return { path: p };
      }
      // Several clusters' generators may make an artifact of the same name: try them all.
      made = `ExternalArtifact ${name}: no copy rule of an ArtifactGenerator maps ${path} to this repository`;
    }
    if (made) return { reason: made };
    return { reason: `ExternalArtifact ${name} is not made by an ArtifactGenerator in this repository` };
  }
}

function same(o: Found, ns: string | undefined): boolean {
  return ns === undefined || o.namespace === undefined || o.namespace === ns;
}

/**
 * Argo CD entry points: each `source` (or item of `sources`) of an `Application`, and of an `ApplicationSet`'s
 * template, that has a `path` in this repository: its repoURL matches one of `repoUrls`, or the object carries
 * the annotation `stagegate.io/same-repository: "true"`. The kind is Argo CD's: Helm when the source has a
 * `helm` block or the directory holds a Chart.yaml, kustomize when it has a `kustomize` block or a
 * kustomization file, else a plain directory. ApplicationSet templates are expanded with `list` generator
 * elements and `git` directory generators on this repository (needs the file list); a source whose
 * placeholders other generators would fill is passed over.
 */
import { posix } from "node:path";
import picomatch from "picomatch";
import { parse } from "yaml";
import type { DiscoveredEntry, Discovery, DiscoverOptions, EntryKind, Found } from "./discover-types.js";
import { describe, normalizeRepoUrl, record, repoRelative, SAME_REPOSITORY_ANNOTATION, str } from "./discover-types.js";
import { KUSTOMIZATION_NAMES } from "./reader.js";
import type { DocPath } from "../types.js";

type Params = Record<string, string>;
const PLACEHOLDER = /\{\{-?\s*\.?([\w.[\]-]+)\s*-?\}\}/g;

export function discoverArgo(objects: Found[], options: DiscoverOptions, out: Discovery): void {
  const urls = new Set((options.repoUrls ?? []).map(normalizeRepoUrl));
  const files = options.files ? new Set(options.files) : undefined;
  for (const f of objects) {
    if (f.apiGroup !== "argoproj.io") continue;
    const marked = record(record(f.doc.value.metadata)?.annotations)?.[SAME_REPOSITORY_ANNOTATION] === "true";
    const ctx: Ctx = { f, urls, files, marked, out, seen: new Set() };
    if (f.kind === "Application") {
      application(ctx, record(f.doc.value.spec), ["spec"], {}, f.name, describe(f, "Argo CD Application"));
    } else if (f.kind === "ApplicationSet") {
      const spec = record(f.doc.value.spec) ?? {};
      const template = record(spec.template) ?? {};
      const by = describe(f, "Argo CD ApplicationSet");
      for (const params of generatorParams(spec, urls, marked, options.files)) {
        const name = subst(str(record(template.metadata)?.name) ?? f.name, params) ?? f.name;
        application(ctx, record(template.spec), ["spec", "template", "spec"], params, name, by);
      }
    }
  }
}

interface Ctx {
  f: Found;
  urls: Set<string>;
  files?: Set<string>;
  marked: boolean;
  out: Discovery;
  seen: Set<string>;
}

function application(
  ctx: Ctx,
  spec: Record<string, unknown> | undefined,
  at: DocPath,
  params: Params,
  app: string,
  by: string,
) {
  if (!spec) return;
  const sources = Array.isArray(spec.sources)
    ? spec.sources.map((s, i) => ({ s: record(s), at: [...at, "sources", i] }))
    : [{ s: record(spec.source), at: [...at, "source"] }];
  const refs = new Map<string, Record<string, unknown>>();
  for (const { s } of sources) if (s && str(s.ref)) refs.set(str(s.ref)!, s);
  const namespace = subst(str(record(spec.destination)?.namespace) ?? "", params);
  sources: for (const { s, at: sAt } of sources) {
    if (!s || (str(s.ref) && !str(s.path))) continue;
    const origin = ctx.f.doc.locate([...sAt, str(s.path) ? "path" : "repoURL"]);
    const skip = (reason: string) => void ctx.out.skipped.push({ origin, by, reason });
    const repo = subst(str(s.repoURL) ?? "", params);
    if (str(s.chart)) {
      skip(`its chart ${s.chart} comes from the Helm repository ${repo ?? s.repoURL}`);
      continue;
    }
    if (repo === undefined || !isSelf(ctx, repo)) {
      skip(repo === undefined ? "its repoURL is set by a generator" : `${repo} is not this repository`);
      continue;
    }
    const raw = subst(str(s.path) ?? "", params);
    const path = raw === undefined ? undefined : repoRelative(raw);
    if (path === undefined) {
      skip(raw === undefined ? "its path is set by a generator" : `path ${raw} leaves the repository`);
      continue;
    }
    const helm = record(s.helm);
    const kind = kindOf(ctx.files, path, s);
    const entry: DiscoveredEntry = { kind, path, valuesFiles: [], origin, by };
    if (kind === "helm") {
      const valueFiles = Array.isArray(helm?.valueFiles) ? helm.valueFiles : [];
      for (const v of valueFiles) {
        const file = typeof v === "string" ? valuesPath(ctx, subst(v, params), path, refs) : undefined;
        if (typeof file !== "string") {
          skip(`values file ${String(v)} ${file?.reason ?? "is not readable"}`);
          continue sources;
        }
        entry.valuesFiles.push(file);
      }
      const object = record(helm?.valuesObject);
      const inline = object ?? inlineYaml(helm?.values);
      if (inline) entry.inlineValues = inline;
      if (object) entry.locateInline = (p) => ctx.f.doc.locate([...sAt, "helm", "valuesObject", ...p]);
      entry.releaseName = str(helm?.releaseName) ?? app;
    }
    if (kind === "directory" && record(s.directory)?.recurse === true) entry.recurse = true;
    if (namespace) entry.namespace = namespace;
    const key = JSON.stringify([entry.kind, entry.path, entry.valuesFiles, entry.releaseName]);
    if (ctx.seen.has(key)) continue;
    ctx.seen.add(key);
    ctx.out.entries.push(entry);
  }
}

function isSelf(ctx: { urls: Set<string>; marked: boolean }, repo: string): boolean {
  return ctx.marked || ctx.urls.has(normalizeRepoUrl(repo));
}

function kindOf(files: Set<string> | undefined, path: string, s: Record<string, unknown>): EntryKind {
  const has = (name: string) => files?.has(path === "." ? name : `${path}/${name}`) ?? false;
  if (s.helm || has("Chart.yaml")) return "helm";
  if (s.kustomize || KUSTOMIZATION_NAMES.some(has)) return "kustomize";
  // Without a file list Argo CD's own detection cannot be repeated: render it as kustomize would.
  if (!files && !s.directory) return "kustomize";
  return "directory";
}

/** A Helm valueFiles item → repository path: relative to the chart, or `$ref/…` from another source. */
function valuesPath(
  ctx: Ctx,
  v: string | undefined,
  chart: string,
  refs: Map<string, Record<string, unknown>>,
): string | { reason: string } {
  if (v === undefined) return { reason: "is set by a generator" };
  const ref = /^\$([^/]+)\/(.*)$/.exec(v);
  if (!ref) return repoRelative(v, chart) ?? { reason: "leaves the repository" };
  const source = refs.get(ref[1]);
  if (!source || !isSelf(ctx, str(source.repoURL) ?? "")) return { reason: "comes from another repository" };
  return repoRelative(ref[2]) ?? { reason: "leaves the repository" };
}

function inlineYaml(text: unknown): Record<string, unknown> | undefined {
  if (typeof text !== "string") return undefined;
  try {
    return record(parse(text));
  } catch {
    return undefined;
  }
}

/** `{{ key }}` / `{{ .key }}` filled from params; undefined when a placeholder has no value. */
function subst(text: string, params: Params): string | undefined {
  let missing = false;
  const out = text.replace(PLACEHOLDER, (_, key: string) => {
    if (key in params) return params[key];
    missing = true;
    return "";
  });
  return missing ? undefined : out;
}

/** The parameter sets the generators Stagegate can expand produce (one empty set when there are none). */
function generatorParams(
  spec: Record<string, unknown>,
  urls: Set<string>,
  marked: boolean,
  files?: string[],
): Params[] {
  const out: Params[] = [];
  const generators = Array.isArray(spec.generators) ? spec.generators.map(record) : [];
  for (const g of generators) {
    const list = record(g?.list);
    for (const e of Array.isArray(list?.elements) ? list.elements : []) {
      const flat: Params = {};
      flatten(e, "", flat);
      out.push(flat);
    }
    const git = record(g?.git);
    if (git && files && Array.isArray(git.directories) && isSelf({ urls, marked }, str(git.repoURL) ?? "")) {
      out.push(...gitDirectories(git.directories.map(record), files));
    }
  }
  return out.length ? out : [{}];
}

function gitDirectories(items: Array<Record<string, unknown> | undefined>, files: string[]): Params[] {
  const dirs = new Set<string>();
  for (const f of files) for (let d = posix.dirname(f); d !== "."; d = posix.dirname(d)) dirs.add(d);
  const include = items.filter((i) => i && i.exclude !== true && str(i.path)).map((i) => picomatch(str(i!.path)!));
  const exclude = items.filter((i) => i && i.exclude === true && str(i.path)).map((i) => picomatch(str(i!.path)!));
  return [...dirs]
    .sort()
    .filter((d) => include.some((m) => m(d)) && !exclude.some((m) => m(d)))
    .map((d) => {
      const base = posix.basename(d);
      const norm = base.replace(/[^a-zA-Z0-9-]/g, "-").toLowerCase();
      return { path: d, "path.path": d, "path.basename": base, "path.basenameNormalized": norm };
    });
}

function flatten(v: unknown, prefix: string, into: Params): void {
  const r = record(v);
  if (r) for (const [k, x] of Object.entries(r)) flatten(x, prefix ? `${prefix}.${k}` : k, into);
  else if (prefix && (typeof v === "string" || typeof v === "number" || typeof v === "boolean"))
    into[prefix] = String(v);
}

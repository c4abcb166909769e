import type { PathSegment } from "./locate.js";
import type { PathProblem } from "./problems.js";
import type { EnvironmentConfig, RenderConfig, RenderEntryConfig } from "./types.js";

/**
 * `render:` on an environment: entry points rendered to judge what the environment will run. Written
 * either as a list of entry points or as a mapping with `entry_points` and options (`discover: true | flux |
 * argo` adds the entry points that Flux / Argo CD objects under the environment's `paths` declare); completed
 * into the mapping form.
 */

const DISCOVER = ["all", "flux", "argo"] as const;

/** The completed `render` (undefined when it has no entry points). Tolerates wrong shapes: the schema reports. */
export function completeRender(raw: unknown): RenderConfig | undefined {
  const form = Array.isArray(raw) ? { entry_points: raw } : isObject(raw) ? raw : undefined;
  if (!form) return undefined;
  const entries = Array.isArray(form.entry_points) ? (form.entry_points as RenderEntryConfig[]) : [];
  const discover = form.discover === true ? "all" : DISCOVER.find((d) => d === form.discover);
  if (entries.length === 0 && !discover) return undefined;
  const judge = form.judge === "all" ? "all" : "changed";
  return {
    entry_points: entries.map((e) => ({ ...e, ...(e.helm !== undefined ? { values: e.values ?? [] } : {}) })),
    judge,
    ...(discover ? { discover } : {}),
  };
}

/** An entry point's kind and directory, and a label for messages and summaries (`kustomize apps/production`). */
export interface EntryPoint {
  kind: "kustomize" | "helm";
  dir: string;
  values: string[];
  label: string;
}

export function entryPoints(env: EnvironmentConfig): EntryPoint[] {
  return (env.render?.entry_points ?? []).map((e) => {
    const kind = e.helm !== undefined ? "helm" : "kustomize";
    const dir = (kind === "helm" ? e.helm : e.kustomize) ?? ".";
    return { kind, dir, values: e.values ?? [], label: `${kind} ${dir}` };
  });
}

/** Rules the schema cannot express: exactly one of `kustomize` or `helm` per entry point; `values` only for Helm. */
export function renderProblems(base: PathSegment[], raw: unknown): PathProblem[] {
  const items = Array.isArray(raw)
    ? raw.map((e, i) => ({ e, path: [...base, i] }))
    : isObject(raw) && Array.isArray(raw.entry_points)
      ? raw.entry_points.map((e, i) => ({ e, path: [...base, "entry_points", i] }))
      : [];
  const out: PathProblem[] = [];
  for (const { e, path } of items) {
    if (!isObject(e)) continue;
    if ((e.kustomize === undefined) === (e.helm === undefined)) {
      out.push({ path, at: "value", message: "needs exactly one of `kustomize` (a directory) or `helm` (a chart)" });
    } else if (e.values !== undefined && e.helm === undefined) {
      out.push({ path: [...path, "values"], at: "key", message: "only applies to `helm` entry points" });
    }
  }
  return out;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

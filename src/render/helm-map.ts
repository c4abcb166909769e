/**
 * Rendered Helm object field → a source line. Helm says which template produced each object (`# Source:`);
 * templates are text, not YAML, so a field is found by its keys in order down the template, and when the
 * template line takes the value from `.Values.…` (directly or through `toYaml`), by that value in the values
 * files: the last values file given that sets it, else the chart's values.yaml. This is a heuristic: a field
 * it cannot follow is placed on the deepest template line it found (at worst the template's first line).
 */
import { posix } from "node:path";
import type { DocPath, SourceLocation } from "../types.js";
import type { HelmInputs } from "./helm-inputs.js";
import { CHART_DIR } from "./helm-inputs.js";
import { sourceDocs, type SourceDoc } from "./source-docs.js";

const VALUES_REF = /\.Values((?:\.[A-Za-z_][\w-]*)+)/g;

export class HelmSourceMap {
  private readonly values = new Map<string, SourceDoc | undefined>();
  private readonly lines = new Map<string, string[]>();
  /** Locations that fell back to the chart's Chart.yaml (objects of a packaged dependency). */
  readonly unmapped = new WeakSet<SourceLocation>();

  constructor(private readonly inputs: HelmInputs) {}

  /** `# Source:` path (starts with the chart name) → the sandbox path of that file. */
  sandboxPath(source: string): string {
    const rest = source.split("/").slice(1).join("/");
    return posix.join(CHART_DIR, rest);
  }

  /** The repository file a `# Source:` path names, or the chart's Chart.yaml when it is not one (a .tgz). */
  repoFile(source: string): string {
    return this.inputs.repoPath.get(this.sandboxPath(source)) ?? posix.join(this.inputs.chart, "Chart.yaml");
  }

  locate(source: string, path: DocPath): SourceLocation {
    const sandbox = this.sandboxPath(source);
    const file = this.inputs.repoPath.get(sandbox);
    if (!file) {
      const l = { file: posix.join(this.inputs.chart, "Chart.yaml"), line: 1 };
      this.unmapped.add(l);
      return l;
    }
    const lines = this.linesOf(sandbox);
    let line = -1;
    let from = 0;
    let matched = 0;
    for (const [i, key] of path.entries()) {
      if (typeof key === "number") {
        matched = i + 1;
        continue;
      }
      const found = findKey(lines, key, from);
      if (found < 0) break;
      line = found;
      from = found + 1;
      matched = i + 1;
    }
    const inValues = line >= 0 ? this.fromValues(lines, line, path.slice(matched), matched === path.length) : undefined;
    return inValues ?? { file, line: line + 1 || 1 };
  }

  /** The values-file location of what the template line `at` (or the lines under it) takes from `.Values`. */
  private fromValues(lines: string[], at: number, rest: DocPath, exact: boolean): SourceLocation | undefined {
    // The matched line itself, else (for `toYaml` blocks) the few lines right under it.
    const scan = exact ? [at] : [at, at + 1, at + 2];
    for (const i of scan) {
      const refs = [...(lines[i] ?? "").matchAll(VALUES_REF)].map((m) => m[1].slice(1).split(".")).reverse();
      const inline = this.inputs.inline;
      // Inline values apply last: in the declaring manifest when it can say where, else on its declaring line.
      const inInline = refs.find((ref) => inline && has(inline.values, ref));
      if (inline && inInline) {
        const full = [...inInline, ...(exact ? [] : rest)];
        const l = inline.locate?.(full) ?? inline.origin;
        if (l) return l;
      }
      for (const doc of this.valuesDocs()) {
        for (const ref of refs) {
          const full = [...ref, ...(exact ? [] : rest)];
          if (has(doc.value, ref)) return doc.locate(full);
        }
      }
    }
    return undefined;
  }

  /** The values files given (last first), then the chart's own values.yaml. */
  private valuesDocs(): SourceDoc[] {
    const paths = [...this.inputs.values].reverse();
    paths.push(posix.join(CHART_DIR, "values.yaml"));
    const docs: SourceDoc[] = [];
    for (const p of paths) {
      if (!this.values.has(p)) {
        const content = this.inputs.files.get(p);
        const repo = this.inputs.repoPath.get(p);
        this.values.set(p, content !== undefined && repo ? sourceDocs(repo, content)[0] : undefined);
      }
      const doc = this.values.get(p);
      if (doc) docs.push(doc);
    }
    return docs;
  }

  private linesOf(sandbox: string): string[] {
    let lines = this.lines.get(sandbox);
    if (!lines) {
      const content = this.inputs.files.get(sandbox);
      const text = typeof content === "string" ? content : content ? new TextDecoder().decode(content) : "";
      this.lines.set(sandbox, (lines = text.split("\n")));
    }
    return lines;
  }
}

/** The first line at or after `from` that is `key:` (possibly a list item, possibly quoted). */
function findKey(lines: string[], key: string, from: number): number {
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const re = new RegExp(`^\\s*(?:-\\s+)?["']?${escaped}["']?\\s*:`);
  for (let i = from; i < lines.length; i++) if (re.test(lines[i])) return i;
  return -1;
}

function has(value: unknown, path: string[]): boolean {
  let v = value;
  for (const k of path) {
    if (!v || typeof v !== "object" || !(k in v)) return false;
    v = (v as Record<string, unknown>)[k];
  }
  return true;
}

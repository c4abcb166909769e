/**
 * The files one `helm template` reads, gathered before Helm runs: the chart directory, the local
 * (`file://`) dependencies it names, and the values files. Only these are copied into the sandbox; a change
 * to any of them targets the environment. A dependency from a chart repository that is not vendored in
 * `charts/` cannot be rendered offline: that is a located failure on the line naming it.
 */
import { posix } from "node:path";
import { parseManifestFile } from "../manifests/parse.js";
import type { DocPath, Finding, ManifestDocument, SourceLocation } from "../types.js";
import { renderProblem } from "./problems.js";
import type { RenderReader } from "./reader.js";

/** The chart's directory in the sandbox; values files go under VALUES_DIR. */
export const CHART_DIR = "chart";
export const VALUES_DIR = "values";
/** Bounds on what a chart may bring into the sandbox. */
const MAX_FILES = 5000;
const MAX_BYTES = 64 * 1024 * 1024;

export interface HelmInputs {
  /** The chart directory, repository-relative. */
  chart: string;
  /** The chart's name (Chart.yaml `name`): Helm's messages and `# Source:` comments start with it. */
  name?: string;
  /** The chart's Chart.yaml, parsed (for locating failures). */
  chartYaml?: ManifestDocument;
  /** Sandbox path → content. */
  files: Map<string, string | Uint8Array>;
  /** Sandbox path → repository path (the same file). */
  repoPath: Map<string, string>;
  /** Sandbox paths of the values files, in the order given (inline values last). */
  values: string[];
  /** Inline values (written to the sandbox as the last values file), and where they are written. */
  inline?: { values: Record<string, unknown>; origin?: SourceLocation; locate?: (path: DocPath) => SourceLocation };
  problems: Finding[];
}

export interface HelmInputOptions {
  /** Values files, repository-relative, applied in order (later ones win). */
  valuesFiles?: string[];
  /** Values written in the declaring manifest (a HelmRelease's spec.values, an Argo CD valuesObject): last. */
  inlineValues?: Record<string, unknown>;
  /** Where a field of the inline values is written; default `origin`. */
  locateInline?: (path: DocPath) => SourceLocation;
  /** Where the entry point was declared (config or discovered manifest): failures with no better place go here. */
  origin?: SourceLocation;
}

interface Dependency {
  name: string;
  repository: string;
  index: number;
}

export async function gatherHelmInputs(
  reader: RenderReader,
  chart: string,
  options: HelmInputOptions = {},
): Promise<HelmInputs> {
  const chartFile = posix.join(chart, "Chart.yaml");
  const out: HelmInputs = { chart, files: new Map(), repoPath: new Map(), values: [], problems: [] };
  const declared = options.origin ?? { file: chartFile, line: 1 };
  const problem = (kind: string, msg: string, at: SourceLocation) => out.problems.push(renderProblem(kind, msg, at));
  if (!reader.listFiles) {
    problem("helm-unreadable", `cannot list the files of chart ${chart} here`, declared);
    return out;
  }
  let bytes = 0;
  const copyTree = async (repoDir: string, sandboxDir: string): Promise<string[]> => {
    const under = repoDir === "." ? "" : `${repoDir}/`;
    const files = (await reader.listFiles!(repoDir)).filter((f) => f.startsWith(under));
    for (const f of files) {
      if (out.files.size >= MAX_FILES || bytes > MAX_BYTES) {
        problem("limit", `chart ${chart} has too many files or bytes to render`, declared);
        return files;
      }
      const content = await reader.readFile(f);
      if (content === undefined) continue;
      // A packaged chart read as text has lost its bytes (gzip is not UTF-8): Helm would fail on it anyway.
      if (typeof content === "string" && /\.tgz$/i.test(f) && content.includes("\uFFFD")) {
        problem("helm-unreadable", `${f} is a chart archive, and this reader gives text only: not rendered`, {
          file: f,
          line: 1,
        });
        continue;
      }
      bytes += content.length;
      const to = posix.join(sandboxDir, f.slice(under.length));
      out.files.set(to, content);
      out.repoPath.set(to, f);
    }
    return files;
  };
  const chartFiles = await copyTree(chart, CHART_DIR);
  const chartYaml = out.files.get(posix.join(CHART_DIR, "Chart.yaml"));
  if (chartYaml === undefined) {
    problem("not-a-chart", `${chart} has no Chart.yaml: not a Helm chart`, declared);
    return out;
  }
  const parsed = parseManifestFile({ path: chartFile, content: chartYaml });
  out.problems.push(...parsed.problems);
  out.chartYaml = parsed.documents[0];
  const meta = out.chartYaml?.value ?? {};
  if (typeof meta.name === "string") out.name = meta.name;

  // Helm 2 charts (apiVersion v1) list dependencies in requirements.yaml.
  let depsDoc = out.chartYaml;
  const reqFile = posix.join(CHART_DIR, "requirements.yaml");
  if (!Array.isArray(meta.dependencies) && out.files.has(reqFile)) {
    depsDoc = parseManifestFile({ path: posix.join(chart, "requirements.yaml"), content: out.files.get(reqFile)! })
      .documents[0];
  }
  for (const dep of dependencies(depsDoc)) {
    const at = depsDoc!.locate(["dependencies", dep.index, dep.repository ? "repository" : "name"]);
    const vendored = chartFiles.some((f) => isVendored(posix.relative(chart, f), dep.name));
    if (vendored) continue;
    if (dep.repository.startsWith("file://")) {
      const dir = posix.normalize(posix.join(chart, dep.repository.slice("file://".length)));
      if (posix.isAbsolute(dir) || dir === ".." || dir.startsWith("../")) {
        problem("outside-repository", `dependency "${dep.name}" (${dep.repository}) is outside the repository`, at);
      } else if ((await reader.readFile(posix.join(dir, "Chart.yaml"))) === undefined) {
        problem("missing-file", `dependency "${dep.name}": ${dir}/Chart.yaml does not exist in the repository`, at);
      } else {
        // What `helm dependency build` would do, unpacked: Helm loads a chart directory under charts/ as well.
        await copyTree(dir, posix.join(CHART_DIR, "charts", dep.name));
      }
      continue;
    }
    const from = dep.repository ? ` from ${dep.repository}` : "";
    problem(
      "helm-remote-chart",
      `dependency "${dep.name}"${from} is not vendored in ${chart}/charts/: not rendered offline ` +
        "(run `helm dependency build` and commit the archive, or accept it in the config)",
      at,
    );
  }

  for (const [i, file] of (options.valuesFiles ?? []).entries()) {
    const path = posix.normalize(file);
    if (posix.isAbsolute(path) || path === ".." || path.startsWith("../")) {
      problem("outside-repository", `values file "${file}" is outside the repository`, declared);
      continue;
    }
    const content = await reader.readFile(path);
    if (content === undefined) {
      problem("missing-file", `values file ${path} does not exist in the repository`, declared);
      continue;
    }
    const to = posix.join(VALUES_DIR, String(i), posix.basename(path));
    out.files.set(to, content);
    out.repoPath.set(to, path);
    out.values.push(to);
  }
  if (options.inlineValues) {
    // JSON is YAML: Helm reads it as one more values file.
    const to = posix.join(VALUES_DIR, "inline", "values.yaml");
    out.files.set(to, JSON.stringify(options.inlineValues));
    out.values.push(to);
    out.inline = {
      values: options.inlineValues,
      ...(options.origin ? { origin: options.origin } : {}),
      ...(options.locateInline ? { locate: options.locateInline } : {}),
    };
  }
  return out;
}

function dependencies(doc: ManifestDocument | undefined): Dependency[] {
  const list = doc?.value.dependencies;
  if (!Array.isArray(list)) return [];
  const out: Dependency[] = [];
  list.forEach((d: unknown, index) => {
    if (!d || typeof d !== "object") return;
    const { name, repository } = d as Record<string, unknown>;
    if (typeof name !== "string") return;
    out.push({ name, repository: typeof repository === "string" ? repository : "", index });
  });
  return out;
}

/** A dependency already in charts/: an unpacked directory, or a packaged `<name>-<version>.tgz`. */
function isVendored(rel: string, name: string): boolean {
  if (rel === `charts/${name}/Chart.yaml`) return true;
  return rel.startsWith(`charts/${name}-`) && rel.endsWith(".tgz") && !rel.slice(7).includes("/");
}

/**
 * `helm template` of one in-repository chart directory, in a sandbox: the chart's files, its local
 * dependencies and the values files are copied into a fresh temporary directory, and Helm runs there with an
 * emptied environment (HOME is the sandbox, so no plugins, repositories or registry credentials), no network,
 * no cluster, and bounded time, memory and output. Each rendered object is placed on the template that
 * produced it (Helm's `# Source:` comment).
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, posix } from "node:path";
import type { ParsedFile } from "../manifests/parse.js";
import type { Finding, ManifestDocument, SourceLocation } from "../types.js";
import { CHART_DIR, gatherHelmInputs, type HelmInputOptions, type HelmInputs } from "./helm-inputs.js";
import { HelmSourceMap } from "./helm-map.js";
import { helmObjects } from "./helm-output.js";
import { checkHelmVersion, findHelm } from "./helm-tool.js";
import type { RenderedObject } from "./objects.js";
import { renderProblem } from "./problems.js";
import type { RenderReader } from "./reader.js";
import { DEFAULT_SANDBOX_LIMITS, runSandboxed, type SandboxLimits } from "./sandbox.js";

const ARCHIVE_NOTE = " (rendered from a packaged dependency in charts/; shown on the chart's Chart.yaml)";

export interface HelmOptions extends HelmInputOptions {
  /** The release name templates see as `.Release.Name`; default the chart's name. */
  releaseName?: string;
  /** `.Release.Namespace`; default "default". */
  namespace?: string;
  /** The helm binary; default findHelm(). */
  helm?: string;
  limits?: SandboxLimits;
}

/** The same shape as render.ts's RenderedEntry (kept apart so that render.ts can import this file). */
export interface RenderedChart {
  entry: string;
  reads: string[];
  objects: RenderedObject[];
  files: ParsedFile[];
  problems: Finding[];
  annotate(findings: Finding[]): void;
}

export interface HelmTemplate {
  inputs: HelmInputs;
  output?: string;
  problems: Finding[];
}

export async function helmTemplate(
  reader: RenderReader,
  chart: string,
  options: HelmOptions = {},
): Promise<HelmTemplate> {
  const inputs = await gatherHelmInputs(reader, chart, options);
  if (inputs.problems.length > 0) return { inputs, problems: inputs.problems };
  const bin = options.helm ?? findHelm();
  await checkHelmVersion(bin);
  const at: SourceLocation = options.origin ?? { file: posix.join(chart, "Chart.yaml"), line: 1 };
  const root = realpathSync(mkdtempSync(join(tmpdir(), "stagegate-helm-")));
  try {
    for (const [path, content] of inputs.files) {
      const to = join(root, ...path.split("/"));
      mkdirSync(dirname(to), { recursive: true });
      writeFileSync(to, content);
    }
    const release = options.releaseName ?? inputs.name ?? "release";
    // CRDs are applied by Flux and Argo CD, so they are rendered; test hooks are not run by either.
    const args = ["template", release, CHART_DIR, "--namespace", options.namespace ?? "default"];
    args.push("--include-crds", "--skip-tests", ...inputs.values.flatMap((v) => ["--values", v]));
    const r = await runSandboxed(bin, args, root, options.limits ?? DEFAULT_SANDBOX_LIMITS);
    if (r.killed) {
      const why = { timeout: "took too long", memory: "used too much memory", output: "printed too much" }[r.killed];
      return { inputs, problems: [renderProblem("limit", `helm template of ${chart} ${why} and was stopped`, at)] };
    }
    if (r.code !== 0) return { inputs, problems: [templateError(r.stderr, root, inputs, at)] };
    return { inputs, output: r.stdout, problems: [] };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Renders one chart directory (repository-relative) read through `reader`. */
export async function renderHelm(
  reader: RenderReader,
  directory: string,
  options: HelmOptions = {},
): Promise<RenderedChart> {
  const entry = posix.normalize(directory.replace(/\/+$/, "") || ".");
  const t = await helmTemplate(reader, entry, options);
  const read = [...t.inputs.repoPath.values()];
  // Inline values are read from the manifest that declares the entry point.
  if (t.inputs.inline?.origin) read.push(t.inputs.inline.origin.file);
  const reads = [...new Set(read)].sort();
  const problems = [...t.problems];
  const map = new HelmSourceMap(t.inputs);
  const chartFile = posix.join(entry, "Chart.yaml");
  const objects: RenderedObject[] = [];
  const byFile = new Map<string, ParsedFile>();
  if (t.output !== undefined) {
    const rendered = helmObjects(t.output, `${entry} (rendered)`);
    problems.push(...rendered.problems);
    rendered.objects.forEach(({ value, source }, index) => {
      const file = source ? map.repoFile(source) : chartFile;
      objects.push({ value, origin: { path: file }, transformations: [] });
      const doc: ManifestDocument = {
        file,
        index,
        value,
        startLine: 1,
        endLine: 1,
        locate: (path) => (source ? map.locate(source, path) : { file: chartFile, line: 1 }),
      };
      let f = byFile.get(file);
      if (!f) byFile.set(file, (f = { file, documents: [], problems: [] }));
      f.documents.push(doc);
    });
  }
  const files = [...byFile.values()];
  if (problems.length) files.push({ file: options.origin?.file ?? chartFile, documents: [], problems });
  const annotate = (findings: Finding[]) => {
    for (const f of findings) if (map.unmapped.has(f.location)) f.message += ARCHIVE_NOTE;
  };
  return { entry, reads, objects, files, problems, annotate };
}

/** Helm's error, with sandbox paths made repository paths, on the template or values file (and line) it names. */
function templateError(stderr: string, root: string, inputs: HelmInputs, at: SourceLocation): Finding {
  let message = stderr
    .split(`${root}/`)
    .join("")
    .replace(/^Error:\s*/m, "")
    .trim();
  let location = at;
  // Template errors name `<chart name>/templates/x.yaml:LINE`; values errors name the sandbox file.
  const name = inputs.name?.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const inTemplate = name ? new RegExp(`\\b${name}/([^\\s:()"]+)(?::(\\d+))?`).exec(message) : null;
  if (inTemplate) {
    const file = inputs.repoPath.get(posix.join(CHART_DIR, inTemplate[1]));
    if (file) location = { file, line: Number(inTemplate[2] ?? 1) };
  } else {
    for (const [sandbox, repo] of inputs.repoPath) {
      if (!message.includes(sandbox)) continue;
      location = { file: repo, line: Number(/\bline (\d+)/.exec(message)?.[1] ?? 1) };
      break;
    }
  }
  for (const [sandbox, repo] of inputs.repoPath) message = message.split(sandbox).join(repo);
  const text = message.length > 2000 ? `${message.slice(0, 2000)}…` : message;
  return renderProblem("failed", `helm template failed: ${text}`, location);
}

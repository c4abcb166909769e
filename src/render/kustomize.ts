/**
 * `kustomize build` of one entry point, in a sandbox: the files the kustomization graph reads are copied
 * into a fresh temporary directory, a wrapper kustomization lists the entry point and asks for origin and
 * transformer annotations, and kustomize runs there with no plugins, no network and bounded resources.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, posix } from "node:path";
import type { Finding, SourceLocation } from "../types.js";
import { walkKustomization, type KustomizeInputs, type WalkOptions } from "./inputs.js";
import { renderProblem } from "./problems.js";
import type { RenderReader } from "./reader.js";
import { DEFAULT_SANDBOX_LIMITS, runSandboxed, type SandboxLimits } from "./sandbox.js";
import { findKustomize, KUSTOMIZE_VERSION, RenderToolError } from "./toolchain.js";

/** The wrapper's directory in the sandbox: origin paths are relative to it. */
export const WRAPPER_DIR = "__stagegate_render__";

export interface KustomizeOptions extends WalkOptions {
  /** The kustomize binary; default findKustomize(). */
  kustomize?: string;
  limits?: SandboxLimits;
}

export interface KustomizeBuild {
  inputs: KustomizeInputs;
  /** kustomize's output (multi-document YAML), when it succeeded. */
  output?: string;
  problems: Finding[];
}

export async function kustomizeBuild(
  reader: RenderReader,
  entry: string,
  options: KustomizeOptions = {},
): Promise<KustomizeBuild> {
  const inputs = await walkKustomization(reader, entry, options);
  // Whatever the walk refused (missing files, remote bases, Helm), kustomize would fail on or fetch: stop here.
  if (inputs.problems.length > 0) return { inputs, problems: inputs.problems };
  const top = inputs.kustomizations.get(entryFile(inputs));
  if (top?.value.kind === "Component") {
    const msg = `${entry} is a kustomize Component: it renders only inside a kustomization that lists it in components`;
    return { inputs, problems: [renderProblem("component-entry", msg, top.locate(["kind"]))] };
  }
  const bin = options.kustomize ?? findKustomize();
  await checkVersion(bin);
  const root = realpathSync(mkdtempSync(join(tmpdir(), "stagegate-render-")));
  try {
    for (const [path, content] of inputs.files) {
      const to = join(root, ...path.split("/"));
      mkdirSync(dirname(to), { recursive: true });
      writeFileSync(to, content);
    }
    mkdirSync(join(root, WRAPPER_DIR));
    writeFileSync(join(root, WRAPPER_DIR, "kustomization.yaml"), wrapper(entry));
    // No --enable-alpha-plugins, --enable-exec or --enable-helm: kustomize then refuses KRM functions,
    // exec plugins and chart inflation. The default load restrictor keeps file reads under each root.
    const r = await runSandboxed(bin, ["build", WRAPPER_DIR], root, options.limits ?? DEFAULT_SANDBOX_LIMITS);
    const at: SourceLocation = { file: entryFile(inputs), line: 1 };
    if (r.killed) {
      const why = { timeout: "took too long", memory: "used too much memory", output: "printed too much" }[r.killed];
      return { inputs, problems: [renderProblem("limit", `kustomize build of ${entry} ${why} and was stopped`, at)] };
    }
    if (r.code !== 0) return { inputs, problems: [buildError(r.stderr, root, inputs, at)] };
    return { inputs, output: r.stdout, problems: [] };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function wrapper(entry: string): string {
  const target = posix.join("..", entry === "" ? "." : entry);
  return (
    "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n" +
    `resources:\n  - ${JSON.stringify(target)}\n` +
    "buildMetadata: [originAnnotations, transformerAnnotations]\n"
  );
}

/** The entry point's kustomization file (for failures that name no other place). */
export function entryFile(inputs: KustomizeInputs): string {
  for (const file of inputs.kustomizations.keys())
    if (posix.dirname(file) === posix.normalize(inputs.entry)) return file;
  return inputs.entry;
}

/** kustomize's error, with sandbox paths made repository-relative, on the file (and line) it names. */
function buildError(stderr: string, root: string, inputs: KustomizeInputs, at: SourceLocation): Finding {
  const message = stderr
    .split(`${root}/${WRAPPER_DIR}/../`)
    .join("")
    .split(`${root}/`)
    .join("")
    .replace(/^Error:\s*/m, "")
    .trim();
  let file: string | undefined;
  let best = -1;
  for (const path of inputs.files.keys()) {
    const i = message.lastIndexOf(path);
    if (i > best) [best, file] = [i, path];
  }
  const line = Number(/\bline (\d+)/.exec(message)?.[1] ?? 1);
  const text = message.length > 2000 ? `${message.slice(0, 2000)}…` : message;
  return renderProblem("failed", `kustomize build failed: ${text}`, file ? { file, line } : at);
}

const checked = new Map<string, Promise<void>>();

/** Fails with a clear message when the binary is not the pinned kustomize. */
function checkVersion(bin: string): Promise<void> {
  let p = checked.get(bin);
  if (!p) {
    p = runSandboxed(bin, ["version"], tmpdir()).then(
      (r) => {
        const v = /v?(\d+\.\d+\.\d+)/.exec(r.stdout)?.[1];
        if (v !== KUSTOMIZE_VERSION)
          throw new RenderToolError(
            `${bin} is kustomize ${v ?? "(unknown version)"}; Stagegate needs v${KUSTOMIZE_VERSION} ` +
              "(run `npm run install-kustomize`)",
          );
      },
      (e: Error) => {
        throw new RenderToolError(`cannot run ${bin}: ${e.message}`);
      },
    );
    checked.set(bin, p);
    p.catch(() => checked.delete(bin));
  }
  return p;
}

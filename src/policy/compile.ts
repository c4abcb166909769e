import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { CUSTOM_BUILTIN_NAMES } from "./builtins/index.js";
import { readBundleFile } from "./bundle.js";
import { ENTRY_PACKAGE, ENTRYPOINT, generateEntryModule, PR_ENTRYPOINT } from "./entry.js";
import {
  indexPolicies,
  matchNamespaces,
  PolicyError,
  type PolicyIndex,
  type PolicyProblem,
  type RuleInfo,
} from "./inspect.js";
import type { PolicySource } from "./sources.js";
import { checkOpaVersion, OPA_VERSION, runOpa, sandboxCapabilities, SANDBOXED_BUILTINS } from "./toolchain.js";
import { unsupportedBuiltins } from "./wasm-builtins.js";

/** A policy set compiled to WebAssembly, ready to be instantiated. */
export interface CompiledPolicy {
  /** Content hash of the sources, namespaces and OPA version: the cache key. */
  hash: string;
  wasm: Uint8Array;
  /** `wasm` compiled, when reading the cache already had to (to reject a damaged entry): not compiled twice. */
  module?: WebAssembly.Module;
  /** Namespaces the module evaluates, each with its conftest rules. */
  namespaces: Record<string, RuleInfo[]>;
}

export interface CompileOptions {
  /** Namespace globs (conftest `--namespace`); default ["main"]. */
  namespaces?: string[];
  /** On-disk cache directory; default $XDG_CACHE_HOME/stagegate/wasm. `false` disables it. */
  cacheDir?: string | false;
}

/** Bumped whenever the generated entry module or the cache format changes (test/policy/entry-format.test.ts). */
export const ENTRY_FORMAT = 5;

const memory = new Map<string, Promise<CompiledPolicy>>();
let compilations = 0;

/** How many times opa actually compiled (for tests and the benchmark). */
export function compileCount(): number {
  return compilations;
}

export function defaultCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || join(process.env.HOME || tmpdir(), ".cache");
  return join(base, "stagegate", "wasm");
}

/**
 * Compiles policies with `opa build -t wasm`, cached in memory and on disk by
 * content hash, so unchanged policies never reach opa twice.
 */
export function compilePolicies(sources: PolicySource[], options: CompileOptions = {}): Promise<CompiledPolicy> {
  const globs = options.namespaces?.length ? options.namespaces : ["main"];
  const hash = hashOf(sources, globs);
  const cached = memory.get(hash);
  if (cached) return cached;
  const p = compileUncached(sources, globs, hash, options.cacheDir ?? defaultCacheDir());
  memory.set(hash, p);
  p.catch(() => memory.delete(hash));
  return p;
}

function hashOf(sources: PolicySource[], globs: string[]): string {
  const h = createHash("sha256");
  // The supported builtins are part of the key: a build that passed the builtin check
  // with one set of custom builtins is not reused by a version with fewer.
  h.update(
    `opa ${OPA_VERSION}\0entry ${ENTRY_FORMAT}\0builtins ` +
      `${[...CUSTOM_BUILTIN_NAMES].sort().join(",")}\0sandbox ${SANDBOXED_BUILTINS.join(",")}\0`,
  );
  for (const g of [...globs].sort()) h.update(`ns ${g}\0`);
  for (const s of [...sources].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    h.update(`${s.path}\0${s.content.length}\0${s.content}\0`);
  }
  return h.digest("hex");
}

async function compileUncached(
  sources: PolicySource[],
  globs: string[],
  hash: string,
  cacheDir: string | false,
): Promise<CompiledPolicy> {
  const fromDisk = cacheDir ? readCache(cacheDir, hash) : undefined;
  if (fromDisk) return fromDisk;

  for (const s of sources) {
    if (/^\s*package\s+stagegate\.entry\b/m.test(s.content)) {
      throw new PolicyError(`${s.path}: package ${ENTRY_PACKAGE} is reserved for Stagegate`);
    }
  }
  await checkOpaVersion();
  compilations++;
  const dir = mkdtempSync(join(tmpdir(), "stagegate-build-"));
  try {
    const files = writeSources(dir, sources);
    await check(dir, files);
    const index = await indexPolicies(sources);
    const namespaces = matchNamespaces(index, globs);
    writeFileSync(join(dir, "__stagegate_entry.rego"), generateEntryModule(index, namespaces));
    const out = join(dir, "bundle.tar.gz");
    const caps = await sandboxCapabilities();
    const r = await runOpa(
      [
        "build",
        "-t",
        "wasm",
        "--capabilities",
        caps,
        "-e",
        ENTRYPOINT,
        "-e",
        PR_ENTRYPOINT,
        "-o",
        out,
        // `--` ends the options: a policy file named like a flag (`-e.rego`, `--bundle`) stays a file name.
        "--",
        ...files,
        "__stagegate_entry.rego",
      ],
      { cwd: dir },
    );
    if (r.code !== 0) throw new PolicyError(`opa build failed: ${(r.stderr || r.stdout).trim()}`);
    const wasm = readBundleFile(readFileSync(out), "/policy.wasm");
    if (!wasm) throw new PolicyError("opa build produced no policy.wasm");
    const missing = await unsupportedBuiltins(wasm, sources);
    if (missing.length) {
      throw new PolicyError(
        `policies use builtins that Stagegate cannot evaluate: ${[...new Set(missing.map((m) => m.code.slice("unsupported-builtin:".length)))].join(", ")}`,
        missing,
      );
    }
    const compiled: CompiledPolicy = { hash, wasm: new Uint8Array(wasm), namespaces: pick(index, namespaces) };
    if (cacheDir) writeCache(cacheDir, compiled);
    return compiled;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes sources under `dir` keeping their relative paths, so opa's messages name the user's files. */
function writeSources(dir: string, sources: PolicySource[]): string[] {
  return sources.map((s) => {
    const rel = s.path
      .replace(/^stagegate:/, "stagegate/")
      .replace(/^\/+/, "")
      .replace(/\.\.(\/|$)/g, "__/");
    const file = join(dir, rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, s.content);
    return rel;
  });
}

/** `opa check` first: its JSON errors carry file, row and column. */
async function check(dir: string, files: string[]): Promise<void> {
  const r = await runOpa(["check", "--format", "json", "--capabilities", await sandboxCapabilities(), "--", ...files], {
    cwd: dir,
  });
  if (r.code === 0) return;
  const problems = parseCheckErrors(r.stderr || r.stdout);
  const first = problems[0];
  throw new PolicyError(
    first
      ? `${problems.length} policy error(s); first: ${first.file}:${first.line}:${first.column}: ${first.message}`
      : `opa check failed: ${r.stderr.trim()}`,
    problems,
  );
}

export function parseCheckErrors(text: string): PolicyProblem[] {
  try {
    const parsed = JSON.parse(text) as {
      errors?: Array<{ message: string; code: string; location?: { file: string; row: number; col: number } }>;
    };
    return (parsed.errors ?? []).map((e) => ({
      file: (e.location?.file ?? "").replace(/^stagegate\//, "stagegate:"),
      line: e.location?.row ?? 1,
      column: e.location?.col ?? 1,
      code: e.code,
      message: e.message,
    }));
  } catch {
    return [];
  }
}

function pick(index: PolicyIndex, namespaces: string[]): Record<string, RuleInfo[]> {
  return Object.fromEntries(namespaces.map((ns) => [ns, index.get(ns) ?? []]));
}

function readCache(dir: string, hash: string): CompiledPolicy | undefined {
  try {
    const meta = JSON.parse(readFileSync(join(dir, `${hash}.json`), "utf8")) as Omit<CompiledPolicy, "wasm">;
    const wasm = readFileSync(join(dir, `${hash}.wasm`));
    // A damaged cache entry is a miss, never an error: compiling it throws (validating alone would cost the same).
    if (meta.hash !== hash) return undefined;
    return { ...meta, wasm: new Uint8Array(wasm), module: new WebAssembly.Module(wasm) };
  } catch {
    return undefined;
  }
}

function writeCache(dir: string, compiled: CompiledPolicy): void {
  try {
    mkdirSync(dir, { recursive: true });
    // Write then rename, so a concurrent reader never sees half a file.
    const tmp = join(dir, `.${compiled.hash}.${process.pid}`);
    writeFileSync(`${tmp}.wasm`, compiled.wasm);
    renameSync(`${tmp}.wasm`, join(dir, `${compiled.hash}.wasm`));
    writeFileSync(`${tmp}.json`, JSON.stringify({ hash: compiled.hash, namespaces: compiled.namespaces }));
    renameSync(`${tmp}.json`, join(dir, `${compiled.hash}.json`));
  } catch {
    // The cache only saves time; an unwritable directory is not an error.
  }
}

/** Forgets compiled policies held in memory (the disk cache stays): for tests and the benchmark. */
export function clearCompileMemoryCache(): void {
  memory.clear();
}

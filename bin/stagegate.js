#!/usr/bin/env node
// The `stagegate` command: runs the compiled CLI (npm ci builds dist/ in `prepare`). CommonJS (bin/package.json):
// a run with the bundle never starts Node's ES module loader, a few milliseconds of every start.
"use strict";
const { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } =
  process.getBuiltinModule("node:fs");
const Module = process.getBuiltinModule("node:module");
const { tmpdir } = process.getBuiltinModule("node:os");
const { join } = process.getBuiltinModule("node:path");
const { pathToFileURL } = process.getBuiltinModule("node:url");
const vm = process.getBuiltinModule("node:vm");

// Node 22.1+: V8 keeps the compiled code of modules across runs (dist/cli, the opa-wasm SDK); Node 20 lacks it.
Module.enableCompileCache?.();

/** Code caches of other builds kept per Node version (each is one file per command, ~0.1–0.7 MB). */
const KEEP = 12;

/** The bundle's compiled code, kept across runs: beside the compiled policies (src/policy/compile.ts). */
function codeCacheDir() {
  const base = process.env.XDG_CACHE_HOME || join(process.env.HOME || tmpdir(), ".cache");
  return join(base, "stagegate", "v8");
}

/**
 * Runs the bundle as CommonJS, with V8's code cache. Node's own compile cache keeps only the code compiled before
 * a module runs, which in a bundle is little more than its wrappers; this cache is written after a run, so it holds
 * every function that run compiled. One per command (a `check` compiles other code than `--version`), written by its
 * first run; keyed by the bundle's content hash (build-id, written with it), as V8 itself only checks the source's
 * length. NODE_DISABLE_COMPILE_CACHE turns it off, as it does Node's.
 */
function loadBundle(file, stat) {
  const source = readFileSync(file, "utf8");
  let buildId;
  try {
    buildId = readFileSync(join(file, "..", "build-id"), "utf8").trim();
  } catch {
    // No build id: run without a code cache.
  }
  const off = !buildId || process.env.NODE_DISABLE_COMPILE_CACHE;
  const dir = codeCacheDir();
  const prefix = `cli-${process.version}-${process.arch}-`;
  const build = `${prefix}${buildId}-${stat.size}-${Math.trunc(stat.mtimeMs)}-`;
  const command = ["check", "diff", "build", "test", "doctor"].includes(process.argv[2]) ? process.argv[2] : "other";
  const cacheFile = join(dir, `${build}${command}.bin`);
  let cachedData;
  if (!off) {
    try {
      cachedData = readFileSync(cacheFile);
    } catch {
      // Not cached yet.
    }
  }
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    cachedData,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const mod = { exports: {} };
  script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, join(file, ".."));
  const save = () => {
    if (off || (cachedData && !script.cachedDataRejected)) return;
    try {
      mkdirSync(dir, { recursive: true });
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(tmp, script.createCachedData());
      renameSync(tmp, cacheFile);
      // Files would pile up with every rebuild or upgrade; but several installations of Stagegate (two projects'
      // versions) share this directory, and evicting each other's code would cost each of them its cache on every
      // run: the newest KEEP files for this Node stay.
      const others = readdirSync(dir)
        .filter((name) => name.startsWith(prefix) && !name.startsWith(build))
        .map((name) => ({ name, at: statSync(join(dir, name)).mtimeMs }))
        .sort((a, b) => b.at - a.at);
      for (const { name } of others.slice(KEEP)) rmSync(join(dir, name), { force: true });
    } catch {
      // The cache only saves time: a read-only or full disk is not an error.
    }
  };
  return { main: mod.exports.main, save };
}

/**
 * The CLI bundled into one CommonJS file (`npm run build`, scripts/bundle-cli.mjs) starts faster than the ~110
 * ES modules of dist/cli. The modules run when there is no bundle, or when they were compiled after it (`tsc`
 * alone): a stale bundle never runs.
 */
async function load() {
  const bundle = join(__dirname, "..", "dist", "bundle", "main.js");
  const modules = join(__dirname, "..", "dist", "cli", "main.js");
  const built = statSync(bundle, { throwIfNoEntry: false });
  const compiled = statSync(modules, { throwIfNoEntry: false });
  if (built && (!compiled || compiled.mtimeMs <= built.mtimeMs)) return loadBundle(bundle, built);
  const { main } = await import(pathToFileURL(modules).href);
  return { main, save: () => {} };
}

async function run() {
  const { main, save } = await load();
  const code = await main(process.argv.slice(2), {
    out: (s) => process.stdout.write(s.endsWith("\n") ? s : `${s}\n`),
    err: (s) => process.stderr.write(s.endsWith("\n") ? s : `${s}\n`),
    cwd: process.cwd(),
  });
  save();
  process.exitCode = code;
}

run();

// Run by `npm run build` after tsc: bundles the CLI into dist/bundle/ (bin/stagegate.js loads it when present).
// A small check then reads and compiles one file instead of ~110 ES modules and the ~60 CommonJS files of `yaml`:
// most of a small run's start-up (issue 15). CommonJS, not ES modules: Node resolves, links and instantiates each
// ES module and builds the full export list of every built-in module imported (fs, util and crypto each load
// their lazy parts: streams, worker_threads, webcrypto…), while require() loads only what is used. Subcommands stay
// lazy: a dynamic import() becomes code that runs only when the command does.
//
// `node scripts/bundle-cli.mjs [packageRoot]`: bundles packageRoot/dist (default: this repository's).
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL("..", import.meta.url));
const root = process.argv[2] ?? here;
const dist = join(root, "dist");
// Two levels below the root, like every module of dist/: their `../../schemas/…`, `../../policies/…` and
// package-root paths (import.meta.url-relative) resolve to the same files from the bundle.
const out = join(dist, "bundle");

let esbuild;
try {
  esbuild = await import("esbuild");
} catch {
  // A devDependency; without it (no esbuild binary for this platform) the CLI runs dist/cli/main.js, only slower.
  console.warn("bundle-cli: esbuild is not installed; `stagegate` will load dist/cli/main.js unbundled");
  process.exit(0);
}

rmSync(out, { recursive: true, force: true });

/**
 * What the bundle is built from — the compiled modules and the locked dependencies — as one hash: the bundle keeps
 * validated configs across runs under it (src/cli/config-cache.ts), so a change to either never meets an old entry.
 */
function sourcesId() {
  const h = createHash("sha256");
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(c?js|json)$/.test(e.name))
        h.update(`${relative(dist, p)}\0`)
          .update(readFileSync(p))
          .update("\0");
    }
  };
  walk(dist);
  for (const lock of [join(root, "package-lock.json"), join(here, "package-lock.json")]) {
    if (existsSync(lock)) {
      h.update(readFileSync(lock));
      break;
    }
  }
  return h.digest("hex").slice(0, 32);
}

const result = await esbuild.build({
  absWorkingDir: root,
  // Dependencies come from the package's node_modules, else this repository's (a build in a temporary directory).
  nodePaths: [join(here, "node_modules")],
  // Worker threads are started by file name next to the module that starts them (src/sandbox/spawn.ts): they are
  // entry points of their own, with those names, in the same directory.
  entryPoints: {
    main: join(dist, "cli", "main.js"),
    "check-worker": join(dist, "cli", "check-worker.js"),
    "policy-worker": join(dist, "sandbox", "policy-worker.js"),
  },
  outdir: out,
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  // The SDK's builtins table is loaded from node_modules on first use (src/policy/opa-wasm.ts, through
  // createRequire, which esbuild leaves alone); kept outside so that nothing of it is read at start-up.
  external: ["@open-policy-agent/opa-wasm"],
  // CommonJS has no import.meta: each bundle's own file URL stands in (all of them sit in dist/bundle/). The
  // build's identity keys what the bundle keeps across runs (sourcesId above).
  define: { "import.meta.url": "__stagegateModuleUrl", __STAGEGATE_BUILD__: JSON.stringify(sourcesId()) },
  banner: { js: 'const __stagegateModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
  legalComments: "eof",
  logLevel: "warning",
});
// A warning (say, `import.meta.dirname`, which CommonJS lacks) would be a bundle that misbehaves: no bundle then.
if (result.warnings.length) {
  rmSync(out, { recursive: true, force: true });
  throw new Error(`bundle-cli: esbuild warned (${result.warnings.length}); fix the source or this script`);
}
// The package is "type": "module"; these .js files (the workers are started by their .js names) are CommonJS.
writeFileSync(join(out, "package.json"), '{ "type": "commonjs" }\n');
// The content hash that keys the bundle's code cache (bin/stagegate.js): V8 checks only a source's length.
const main = readFileSync(join(out, "main.js"));
writeFileSync(join(out, "build-id"), `${createHash("sha256").update(main).digest("hex").slice(0, 32)}\n`);
// The precompiled config validator is found next to the module that loads it (src/config/schema.ts).
const validator = join(dist, "config", "schema-validator.cjs");
if (existsSync(validator)) copyFileSync(validator, join(out, "schema-validator.cjs"));

// Engine benchmark: parse, schema and policy throughput on real manifests,
// policy compile time cold and cached, peak memory. Run with `npm run bench`.
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseConfig } from "../dist/config/load.js";
import { Engine } from "../dist/gate/engine.js";
import { parseManifests } from "../dist/manifests/parse.js";
import { clearCompileMemoryCache, compileCount, compilePolicies } from "../dist/policy/compile.js";
import { libraryModules } from "../dist/policy/sources.js";
import { SchemaValidator } from "../dist/schema/validator.js";
import { walkFiles } from "../dist/cli/disk-reader.js";
import { checkEnvironments } from "../dist/cli/check-pool.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const CORPUS = process.env.STAGEGATE_CORPUS ?? join(here, "..", "..", "shared", "corpus");
const LIBRARY = ["pod-security-restricted", "images", "resources", "probes", "argocd", "flux"];

let peakRss = 0;
const sample = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));
const timer = setInterval(sample, 5);
timer.unref(); // `node bench/run.mjs conftest` (no engine part) must still exit

/** The corpus directory and its manifest paths (relative to it), or undefined when it is absent. */
export function corpusPaths() {
  if (!existsSync(CORPUS)) return undefined;
  return { dir: CORPUS, paths: corpusFiles().files.map((f) => f.path) };
}

/** Real manifests from ../shared/corpus (when present). */
function corpusFiles() {
  if (!existsSync(CORPUS)) return undefined;
  const files = walkFiles(CORPUS)
    .filter((f) => /\.(ya?ml|json)$/i.test(f) && !f.includes("/LICENSES/") && !f.endsWith("stats.json"))
    .map((f) => ({ path: relative(CORPUS, f), content: new Uint8Array(readFileSync(f)) }));
  return { files, source: `../shared/corpus (${files.length} files)` };
}

/** 500 files of typical application manifests: a Deployment and a Service each (1,000 documents). */
function generatedFiles() {
  const files = [];
  for (let i = 0; i < 500; i++) {
    files.push({
      path: `apps/app-${i}.yaml`,
      content:
        `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${i}\nspec:\n  replicas: 2\n  ` +
        `selector:\n    matchLabels: {app: a${i}}\n  template:\n    metadata:\n      labels: {app: a${i}}\n` +
        `    spec:\n      containers:\n        - name: app\n          image: ghcr.io/acme/app:${i}.0.0\n` +
        `          resources:\n` +
        `            requests: {cpu: 100m, memory: 64Mi}\n---\napiVersion: v1\nkind: Service\nmetadata:\n` +
        `  name: app-${i}\nspec:\n  ports:\n    - port: 80\n`,
    });
  }
  return { files, source: "generated Deployment + Service pairs (500 files)" };
}

/** Best of `runs`: wall time and, apart, CPU time (every thread of the process), steadier on a shared machine. */
function best(runs, fn) {
  let min = Infinity;
  let cpu = Infinity;
  let result;
  for (let i = 0; i < runs; i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    result = fn();
    min = Math.min(min, performance.now() - t);
    const d = process.cpuUsage(c);
    cpu = Math.min(cpu, (d.user + d.system) / 1000);
    sample();
  }
  return { ms: min, cpu, result };
}

export async function benchEngine() {
  const results = [];
  for (const set of [corpusFiles(), generatedFiles()]) if (set) results.push(await benchSet(set));
  clearInterval(timer);
  sample();
  return { sets: results, peakRssMiB: peakRss / 1024 / 1024 };
}

async function benchSet({ files, source }) {
  const config = parseConfig(
    `version: 1\npolicies:\n  paths: []\n  library: [${LIBRARY.join(", ")}]\nschemas:\n  kubernetes: ` +
      `{enabled: true, strict: true}\n  unknown_kinds: skip\nlimits:\n  max_files: 100000\n` +
      `  max_total_documents: 1000000\nenvironments:\n  bench:\n    branches: ["**"]\n`,
  );
  const parse = best(3, () => parseManifests(files));
  const docs = parse.result.documents.length;
  const validator = new SchemaValidator({
    kubernetes: { enabled: true, strict: true },
    unknownKinds: "skip",
    custom: [],
  });
  for (const d of parse.result.documents) validator.validate(d); // warm: compile each kind's validator once
  const schema = best(3, () => {
    const p = parseManifests(files);
    for (const d of p.documents) validator.validate(d);
  });

  // Compile: cold (new content hash, empty disk cache), then from disk, then from memory.
  const cacheDir = mkdtempSync(join(tmpdir(), "sg-bench-"));
  const sources = [...libraryModules(), { path: "bench.rego", content: `package bench\n# ${Date.now()}\n` }];
  const globs = LIBRARY.map((l) => `stagegate.lib.${l.replace(/-/g, "_")}`).concat(
    "stagegate.lib.pod_security_baseline",
  );
  let t = performance.now();
  await compilePolicies(sources, { namespaces: globs, cacheDir });
  const cold = performance.now() - t;
  clearCompileMemoryCache();
  const before = compileCount();
  t = performance.now();
  await compilePolicies(sources, { namespaces: globs, cacheDir });
  const disk = performance.now() - t;
  t = performance.now();
  await compilePolicies(sources, { namespaces: globs, cacheDir });
  const memory = performance.now() - t;
  const recompiled = compileCount() - before;

  const engine = await Engine.create(config, { policies: [], data: {}, customSchemas: [] }, { cacheDir });
  engine.check("bench", files); // warm-up
  const now = BigInt(Date.now()) * 1_000_000n;
  const full = best(3, () => engine.check("bench", files, { now: () => now }));
  const v = full.result;
  // The worker pool of `stagegate check` (every core; worker start-up included), which must agree exactly.
  const inputs = { policies: [], data: {}, customSchemas: [] };
  let pooled = { ms: Infinity, cpu: Infinity, result: undefined };
  for (let i = 0; i < 3; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const [r] = await checkEnvironments(engine, inputs, ["bench"], files, {
      now,
      minFiles: 1,
      workers: Math.max(2, availableParallelism()),
    });
    const ms = performance.now() - t0;
    const d = process.cpuUsage(c0);
    const cpu = Math.min(pooled.cpu, (d.user + d.system) / 1000);
    pooled = ms < pooled.ms ? { ms, cpu, result: r } : { ...pooled, cpu };
    sample();
  }
  const strip = (x) => JSON.stringify({ ...x, durationMs: 0 });
  const identical = strip(pooled.result) === strip(v);
  return {
    source,
    documents: docs,
    rows: [
      ["parse only", parse.ms, docs, parse.cpu],
      ["parse + schema", schema.ms, docs, schema.cpu],
      ["parse + schema + built-in policies (full check)", full.ms, v.documentsChecked, full.cpu],
      [
        `full check, worker pool (${Math.max(2, availableParallelism())} threads, cold workers)`,
        pooled.ms,
        v.documentsChecked,
        pooled.cpu,
      ],
    ],
    poolIdentical: identical,
    ratio: full.ms / parse.ms,
    cpuRatio: full.cpu / parse.cpu,
    findings: v.findings.length,
    compile: { cold, disk, memory, recompiled },
  };
}

export function printEngine(all) {
  for (const r of all.sets) printSet(r);
  console.log(`\npeak RSS (whole run): ${all.peakRssMiB.toFixed(0)} MiB`);
}

function printSet(r) {
  console.log(`\nEngine — corpus: ${r.source}, ${r.documents} documents`);
  console.log("| stage | time (best of 3) | documents/s | CPU time (best of 3) |");
  console.log("|---|---:|---:|---:|");
  for (const [name, ms, n, cpu] of r.rows) {
    const rate = Math.round((n / ms) * 1000).toLocaleString("en");
    console.log(`| ${name} | ${ms.toFixed(0)} ms | ${rate} | ${cpu.toFixed(0)} ms |`);
  }
  console.log(
    `\nfull check / parse only: ${r.ratio.toFixed(2)}x (CPU time: ${r.cpuRatio.toFixed(2)}x; target ≤ 2x); ` +
      `findings: ${r.findings}`,
  );
  console.log(`worker pool verdict identical to the single-threaded one: ${r.poolIdentical ? "yes" : "NO"}`);
  console.log("| policy compile | time |");
  console.log("|---|---:|");
  console.log(`| cold (opa check + parse + build -t wasm) | ${r.compile.cold.toFixed(0)} ms |`);
  console.log(`| cached on disk (new process) | ${r.compile.disk.toFixed(1)} ms |`);
  console.log(`| cached in memory | ${r.compile.memory.toFixed(2)} ms |`);
  console.log(`opa invocations for the cached compiles: ${r.compile.recompiled}`);
}

// Side by side with conftest: the same files, the same conftest-style Rego, policies only, each tool run as
// a command from start to finish. conftest is the one on PATH, else a cached `go install` of CONFTEST_VERSION.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir, loadavg, tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const CONFTEST_VERSION = "0.71.1";
const here = fileURLToPath(new URL(".", import.meta.url));
const ROOT = join(here, "..");
const cacheDir = join(
  process.env.XDG_CACHE_HOME || join(homedir(), ".cache"),
  "stagegate",
  `conftest-v${CONFTEST_VERSION}`,
);

function onPath(name) {
  for (const dir of (process.env.PATH ?? "").split(delimiter))
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  return undefined;
}

/** conftest on PATH, else the cached build, else `go install` into the cache (minutes, once per machine). */
export function findConftest(log = (s) => process.stderr.write(`${s}\n`)) {
  const found = onPath("conftest") ?? (existsSync(join(cacheDir, "conftest")) ? join(cacheDir, "conftest") : undefined);
  if (found) return found;
  if (!onPath("go")) return undefined;
  log(`[bench] building conftest v${CONFTEST_VERSION} with go install (once; cached in ${cacheDir})…`);
  mkdirSync(cacheDir, { recursive: true });
  const gobin = mkdtempSync(join(tmpdir(), "conftest-"));
  const r = spawnSync("go", ["install", `github.com/open-policy-agent/conftest@v${CONFTEST_VERSION}`], {
    env: { ...process.env, GOBIN: gobin },
    stdio: ["ignore", "ignore", "inherit"],
  });
  if (r.status !== 0) return undefined;
  renameSync(join(gobin, "conftest"), join(cacheDir, "conftest"));
  return join(cacheDir, "conftest");
}

/** The built-in library as ordinary user policies (package bench.lib.*), so both tools read the same Rego. */
function libraryPolicies(dir) {
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(join(ROOT, "policies", "lib"))) {
    if (!f.endsWith(".rego") || f.endsWith("_test.rego")) continue;
    const text = readFileSync(join(ROOT, "policies", "lib", f), "utf8").replace(/stagegate\.lib\./g, "bench.lib.");
    writeFileSync(join(dir, f), text);
  }
  return { dir, namespace: "bench.lib.*", conftestArgs: ["--all-namespaces"] };
}

/** One rule a conftest user might start with. */
function simplePolicy(dir) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "main.rego"),
    "package main\n\ndeny_latest contains msg if {\n\tsome c in input.spec.template.spec.containers\n" +
      '\tendswith(c.image, ":latest")\n\tmsg := sprintf("%s uses :latest", [c.name])\n}\n',
  );
  return { dir, namespace: "main", conftestArgs: [] };
}

const TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;

/** Runs a command; wall ms, and CPU seconds and peak RSS (MiB) when /usr/bin/time is there. */
function run(cmd, args, cwd) {
  const t = performance.now();
  const r = TIME
    ? spawnSync(TIME, ["-f", "\n@@%U %S %M", cmd, ...args], { cwd, encoding: "utf8", maxBuffer: 1 << 30 })
    : spawnSync(cmd, args, { cwd, encoding: "utf8", maxBuffer: 1 << 30 });
  const wall = performance.now() - t;
  const m = /@@([\d.]+) ([\d.]+) (\d+)\s*$/.exec(r.stderr ?? "");
  return {
    wall,
    cpu: m ? Number(m[1]) + Number(m[2]) : undefined,
    rssMiB: m ? Number(m[3]) / 1024 : undefined,
    status: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
  };
}

/** Drops the files conftest cannot parse at all (it stops the whole run on the first one). */
function conftestReadable(conftest, policy, files, cwd) {
  const left = [...files];
  const dropped = [];
  for (let i = 0; i < 50; i++) {
    const r = run(
      conftest,
      ["test", "-p", policy.dir, ...policy.conftestArgs, "--no-color", "-o", "json", ...left],
      cwd,
    );
    const bad = /parse configurations:[\s\S]*?path: (\S+)/.exec(r.stderr)?.[1];
    if (!bad || !left.includes(bad)) break;
    left.splice(left.indexOf(bad), 1);
    dropped.push(bad);
  }
  return { files: left, dropped };
}

function conftestFindings(stdout) {
  let n = 0;
  for (const r of JSON.parse(stdout || "[]")) n += (r.failures?.length ?? 0) + (r.warnings?.length ?? 0);
  return n;
}

function stagegateFindings(stdout) {
  let n = 0;
  for (const env of JSON.parse(stdout).environments ?? [])
    n += env.findings.filter((f) => f.source === "policy").length;
  return n;
}

/** Each command `runs` times in turn (so all see the same load): wall ms best and median of each. */
function inTurn(runs, cmds) {
  const walls = cmds.map(() => []);
  for (let i = 0; i < runs; i++) cmds.forEach((cmd, j) => walls[j].push(cmd().wall));
  return walls.map((w) => ({ best: Math.min(...w), median: median(w) }));
}

/**
 * `corpus`: directory; `files`: paths relative to it. Returns undefined when there is no conftest and no Go.
 * STAGEGATE_BENCH_POLICIES=simple skips the (slow, for conftest) library set.
 */
export function benchConftest(corpus, files) {
  const conftest = findConftest();
  if (!conftest) return undefined;
  const version = /Conftest: (\S+)/.exec(execFileSync(conftest, ["--version"], { encoding: "utf8" }))?.[1];
  const work = mkdtempSync(join(tmpdir(), "sg-vs-conftest-"));
  const sets = [simplePolicy(join(work, "simple"))];
  if (process.env.STAGEGATE_BENCH_POLICIES !== "simple") sets.push(libraryPolicies(join(work, "library")));
  const cli = join(ROOT, "bin", "stagegate.js");
  const results = [];
  // What conftest cannot parse does not depend on the policies: found once (each pass is a whole conftest run).
  const readable = conftestReadable(conftest, sets[0], files, corpus);
  for (const policy of sets) {
    const config = join(work, `${policy.namespace}.yml`);
    writeFileSync(
      config,
      `version: 1\npolicies:\n  namespaces: ["${policy.namespace}"]\nschemas:\n  kubernetes: {enabled: false}\n` +
        "  unknown_kinds: skip\nlimits:\n  max_files: 100000\n  max_total_documents: 1000000\n" +
        "  max_file_bytes: 16777216\n" +
        'environments:\n  bench:\n    branches: ["**"]\n',
    );
    const sg = (list) =>
      run(process.execPath, [cli, "check", "-c", config, "-p", policy.dir, "-o", "json", ...list], corpus);
    const cf = (list) =>
      run(conftest, ["test", "-p", policy.dir, ...policy.conftestArgs, "--no-color", "-o", "json", ...list], corpus);
    sg(readable.files.slice(0, 1)); // compiles the policies once (cached on disk, as in real use)
    const s = sg(readable.files);
    const c = cf(readable.files);
    const small = readable.files.find((f) => f.endsWith("deployment.yaml")) ?? readable.files[0];
    const [s1, c1, n1] = inTurn(10, [() => sg([small]), () => cf([small]), () => run(process.execPath, ["-e", "0"])]);
    results.push({ policy, readable, s, c, small, s1, c1, n1 });
  }
  return { conftest, version, results };
}

const fmt = (r) =>
  `${(r.wall / 1000).toFixed(2)} s` +
  (r.cpu !== undefined ? ` (CPU ${r.cpu.toFixed(1)} s, peak ${r.rssMiB.toFixed(0)} MiB)` : "");

export function printConftest(all, fileCount) {
  if (!all) {
    console.log("\nconftest comparison skipped: no `conftest` on PATH and no Go to build it with");
    return;
  }
  console.log(`\nSide by side with conftest ${all.version} (${all.conftest}), policies only, one run each:`);
  console.log(
    "| policies | files | stagegate check | conftest test | conftest / stagegate | findings (sg / conftest) |",
  );
  console.log("|---|---:|---:|---:|---:|---:|");
  for (const r of all.results) {
    const name = r.policy.namespace === "main" ? "one rule (package main)" : "built-in library as user Rego";
    console.log(
      `| ${name} | ${r.readable.files.length} of ${fileCount} | ${fmt(r.s)} | ${fmt(r.c)} | ` +
        `${(r.c.wall / r.s.wall).toFixed(1)}x (target ≥ 10x) | ${stagegateFindings(r.s.stdout)} / ` +
        `${conftestFindings(r.c.stdout)} |`,
    );
    const sec = (ms) => `${(ms / 1000).toFixed(3)} s`;
    console.log(
      `  one small file (${r.small}), 10 runs each in turn, best / median: stagegate ${sec(r.s1.best)} / ` +
        `${sec(r.s1.median)}, conftest ${sec(r.c1.best)} / ${sec(r.c1.median)}: ` +
        `${(r.s1.best / r.c1.best).toFixed(1)}x / ${(r.s1.median / r.c1.median).toFixed(1)}x conftest's time ` +
        `(target ≤ 3x); \`node -e 0\` alone ${sec(r.n1.best)} / ${sec(r.n1.median)}`,
    );
    if (r.readable.dropped.length)
      console.log(`  left out (conftest cannot parse them): ${r.readable.dropped.join(", ")}`);
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

/** A small file: the corpus's first deployment.yaml when there is a corpus, else a generated Deployment. */
function smallFile(work) {
  const corpus = join(ROOT, "..", "shared", "corpus", "stefanprodan__podinfo", "deploy", "bases", "cache");
  if (existsSync(join(corpus, "deployment.yaml"))) return { dir: corpus, file: "deployment.yaml" };
  writeFileSync(
    join(work, "deployment.yaml"),
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  template:\n    spec:\n" +
      "      containers:\n        - name: app\n          image: ghcr.io/acme/app:latest\n",
  );
  return { dir: work, file: "deployment.yaml" };
}

/**
 * One small file, one rule: each command (`clis`: stagegate entry scripts, e.g. two checkouts' bin/stagegate.js)
 * and conftest run `runs` times in turn, so all see the same load. Wall ms best and median, CPU s median.
 */
export function benchSmall({ runs = 10, clis = [join(ROOT, "bin", "stagegate.js")] } = {}) {
  const conftest = findConftest();
  const work = mkdtempSync(join(tmpdir(), "sg-small-"));
  const policy = simplePolicy(join(work, "simple"));
  const config = join(work, "stagegate.yml");
  writeFileSync(
    config,
    'version: 1\npolicies:\n  namespaces: ["main"]\nschemas:\n  kubernetes: {enabled: false}\n' +
      '  unknown_kinds: skip\nenvironments:\n  bench:\n    branches: ["**"]\n',
  );
  const small = smallFile(work);
  const cmds = clis.map((cli) => ({
    name: `stagegate (${cli})`,
    go: () =>
      run(process.execPath, [cli, "check", "-c", config, "-p", policy.dir, "-o", "json", small.file], small.dir),
  }));
  // Node's own start, for scale: no Node program can start faster than this.
  cmds.push({ name: `node -e 0 (${process.version})`, go: () => run(process.execPath, ["-e", "0"], work) });
  if (conftest)
    cmds.push({
      name: `conftest (${conftest})`,
      go: () => run(conftest, ["test", "-p", policy.dir, "--no-color", "-o", "json", small.file], small.dir),
    });
  for (const c of cmds) c.go(); // warm-up: compiles the policies once (cached on disk, as in real use)
  const load = [loadavg()[0]];
  const samples = cmds.map(() => []);
  for (let i = 0; i < runs; i++) cmds.forEach((c, j) => samples[j].push(c.go()));
  load.push(loadavg()[0]);
  return {
    file: join(small.dir, small.file),
    load,
    rows: cmds.map((c, j) => ({
      name: c.name,
      best: Math.min(...samples[j].map((r) => r.wall)),
      median: median(samples[j].map((r) => r.wall)),
      cpu: samples[j][0].cpu === undefined ? undefined : median(samples[j].map((r) => r.cpu)),
      status: samples[j].map((r) => r.status),
    })),
  };
}

export function printSmall(r, runs) {
  console.log(`\nOne small file (${r.file}), one rule, ${runs} runs each in turn; load average ${r.load.join(" → ")}:`);
  console.log("| command | best wall | median wall | median CPU | exit |");
  console.log("|---|---:|---:|---:|---|");
  const cf = r.rows.find((x) => x.name.startsWith("conftest"));
  for (const x of r.rows) {
    const ratio = cf && x !== cf ? ` (${(x.best / cf.best).toFixed(1)}x / ${(x.median / cf.median).toFixed(1)}x)` : "";
    console.log(
      `| ${x.name} | ${(x.best / 1000).toFixed(3)} s${ratio} | ${(x.median / 1000).toFixed(3)} s | ` +
        `${x.cpu === undefined ? "-" : `${x.cpu.toFixed(2)} s`} | ${[...new Set(x.status)].join(",")} |`,
    );
  }
  if (cf) console.log("  (best / median as a multiple of conftest's; target ≤ 3x)");
}

// `node bench/conftest.mjs small [runs] [cli.js …]`: the small-file comparison alone (seconds, not minutes).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href && process.argv[2] === "small") {
  const runs = Number(process.argv[3] ?? 10) || 10;
  const clis = process.argv.slice(4);
  printSmall(benchSmall({ runs, ...(clis.length ? { clis } : {}) }), runs);
}

#!/usr/bin/env node
// conftest parity harness (issue 14), run on demand — not part of `npm test`:
//
//   npm run build && node bench/conftest-parity.mjs [--sources DIR] [--only SUITE] [--verbose]
//
// Runs `conftest test` and `stagegate check` (and `conftest verify` / `stagegate test`) on the same
// policies, inputs and flags, and compares what a user relies on: the exit code, each file's failure
// and warning messages, and how many results exceptions exempted. Prints the share of identical
// comparisons and every difference.
//
// Inputs: conftest's own examples (YAML/JSON) and public Kubernetes conftest policy libraries, checked
// out under --sources (default $TMPDIR/conftest-parity) as <owner>+<name>; a missing one is cloned
// (shallow) from GitHub. conftest: $CONFTEST, else ~/.cache/stagegate/conftest-v*/conftest.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : dflt;
};
const SOURCES = resolve(opt("--sources", join(tmpdir(), "conftest-parity")));
const ONLY = opt("--only");
const VERBOSE = argv.includes("--verbose");

const REPOS = {
  conftest: "open-policy-agent/conftest",
  deprek8ion: "swade1987/deprek8ion",
  instrumenta: "instrumenta/policies",
  redhat: "redhat-cop/rego-policies",
  raspbernetes: "raspbernetes/k8s-security-policies",
  rallyhealth: "rallyhealth/conftest-policy-packs",
};

function findConftest() {
  if (process.env.CONFTEST) return process.env.CONFTEST;
  const cache = join(homedir(), ".cache", "stagegate");
  const dirs = existsSync(cache) ? readdirSync(cache).filter((d) => d.startsWith("conftest-v")) : [];
  for (const d of dirs.sort().reverse()) if (existsSync(join(cache, d, "conftest"))) return join(cache, d, "conftest");
  return "conftest";
}
const CONFTEST = findConftest();

function repoDir(key) {
  const dir = join(SOURCES, REPOS[key].replace("/", "+"));
  if (!existsSync(dir)) {
    const r = spawnSync("git", ["clone", "--depth", "1", `https://github.com/${REPOS[key]}`, dir], {
      stdio: "inherit",
    });
    if (r.status !== 0) throw new Error(`cannot clone ${REPOS[key]} into ${dir}`);
  }
  return dir;
}

function filesUnder(dir, re) {
  const out = [];
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p, re));
    else if (re.test(e.name)) out.push(p);
  }
  return out;
}

// ---- the comparisons -------------------------------------------------------------------------------------

/** @returns {{suite: string, cwd: string, args: string[], stdin?: string, verify?: boolean}[]} */
function cases() {
  const out = [];
  const add = (suite, cwd, args, extra = {}) => out.push({ suite, cwd, args, ...extra });

  // conftest's examples, as its acceptance tests run them (YAML/JSON inputs only).
  const c = repoDir("conftest");
  const k = "examples/kubernetes";
  for (const f of ["service.yaml", "deployment.yaml", "deployment+service.yaml"])
    add("examples", c, ["-p", `${k}/policy`, `${k}/${f}`]);
  add("examples", c, ["--fail-on-warn", "-p", `${k}/policy`, `${k}/service.yaml`]);
  add("examples", c, ["--namespace", "notpresent", "-p", `${k}/policy`, `${k}/deployment.yaml`]);
  add("examples", c, ["-p", `${k}/policy`, "-"], { stdin: `${k}/service.yaml` });
  add("examples", c, ["--parser", "yaml", "-p", `${k}/policy`, "-"], { stdin: `${k}/service.yaml` });
  add("examples", c, ["-p", `${k}/policy`, `${k}/deployment.yaml`, `${k}/service.yaml`]);
  add("examples", c, ["-p", `${k}/policy`, k]);
  add("examples", c, ["-p", `${k}/policy/deny.rego`, `${k}/deployment.yaml`]);
  add("examples", c, ["-p", `${k}/policy/`, `${k}/deployment.yaml`, "--all-namespaces"]);
  for (const ns of ["main", "*", "ma*", "m?in", "[lm]ain", "kubernetes"])
    add("examples", c, ["--namespace", ns, "-p", `${k}/policy`, `${k}/deployment.yaml`]);
  add("examples", c, ["-p", "examples/report/policy_print/labels.rego", `${k}/deployment.yaml`]);
  add("examples", c, ["-p", "examples/data/policy", "-d", "examples/data/exclusions", "examples/data/service.yaml"]);
  add("examples", c, ["-p", "examples/data/policy", "examples/data/service.yaml"]);
  add("examples", c, ["-p", "examples/exceptions/policy", "examples/exceptions/deployments.yaml"]);
  add("examples", c, [
    "--suppress-exceptions",
    "-p",
    "examples/exceptions/policy",
    "examples/exceptions/deployments.yaml",
  ]);
  add("examples", c, ["--no-fail", "-p", `${k}/policy`, `${k}/deployment.yaml`]);
  add("examples", c, ["--stdin-filename", "svc.yaml", "-p", `${k}/policy`, "-"], { stdin: `${k}/service.yaml` });
  const comb = "examples/combine";
  add("examples", c, [
    "-p",
    `${comb}/policy`,
    `${comb}/team.yaml`,
    `${comb}/user1.yaml`,
    `${comb}/user2.yaml`,
    "--combine",
  ]);
  add("examples", c, ["-p", `${comb}/policy`, `${comb}/team.yaml`, `${comb}/users.yaml`, "--combine"]);
  add("examples", c, ["-p", `${comb}/policy`, `${comb}/team.yaml`, `${comb}/users.yaml`]);
  add("examples", c, ["-p", `${k}/combine`, `${k}/deployment.yaml`, `${k}/service.yaml`, "--combine"]);
  for (const dir of ["compose", "kustomize", "serverless", "awssam"]) {
    for (const f of filesUnder(join(c, "examples", dir), /\.(ya?ml|json)$/)) {
      if (f.includes("/policy/")) continue;
      add("examples", c, ["-p", `examples/${dir}/policy`, relative(c, f)]);
      add("examples", c, ["--all-namespaces", "-p", `examples/${dir}/policy`, relative(c, f)]);
    }
  }
  add("examples", c, ["-p", "examples/strict-rules/policy", `${k}/deployment.yaml`]);
  for (const p of ["examples/kubernetes/policy", "examples/data/policy", "examples/report/success"])
    add("examples", c, ["-p", p, ...(p.includes("data") ? ["-d", "examples/data/exclusions"] : [])], { verify: true });

  // Kubernetes manifests every library is tried on: conftest's examples and the libraries' own samples.
  const d = repoDir("deprek8ion");
  const inputs = [
    ...["deployment.yaml", "service.yaml", "deployment+service.yaml"].map((f) => join(c, k, f)),
    join(d, "demo", "ingress.yaml"),
    ...filesUnder(join(c, "examples", "kustomize"), /\.yaml$/).filter((f) => !f.includes("/policy/")),
  ];

  // deprek8ion: one Rego v0 policy set, package main (its README's docker image runs `conftest test -p /policies`).
  for (const f of inputs) add("deprek8ion", d, ["--rego-version", "v0", "-p", "policies", f]);
  add("deprek8ion", d, ["-p", "policies", join(d, "demo", "ingress.yaml")]); // v1 parse errors on both sides

  // instrumenta/policies: `conftest test --update …//kubernetes file.yaml`, i.e. -p kubernetes, namespace main.
  const ins = repoDir("instrumenta");
  for (const f of inputs) add("instrumenta", ins, ["--rego-version", "v0", "-p", "kubernetes", f]);
  add("instrumenta", ins, ["--rego-version", "v0", "-p", "kubernetes"], { verify: true });

  // raspbernetes/k8s-security-policies: its README: `conftest test deployment.yaml -p policies/. --all-namespaces`.
  const ras = repoDir("raspbernetes");
  for (const f of inputs) add("raspbernetes", ras, [f, "-p", "policies/.", "--all-namespaces", "--rego-version", "v0"]);
  add("raspbernetes", ras, ["-p", "policies", "--rego-version", "v0"], { verify: true });

  // redhat-cop/rego-policies: _test/conftest-unittests.sh, one namespace per policy on its test data.
  const rh = repoDir("redhat");
  for (const src of filesUnder(join(rh, "policy"), /^src\.rego$/)) {
    const pkg = /^package\s+(\S+)/m.exec(readFileSync(src, "utf8"))?.[1];
    const data = filesUnder(join(dirname(src), "test_data", "unit"), /\.(ya?ml|json)$/);
    if (!pkg || data.length === 0) continue;
    const combine = pkg.startsWith("combine.") ? ["--combine"] : [];
    for (const f of data)
      add("redhat-cop", rh, [relative(rh, f), ...combine, "--namespace", pkg, "--rego-version", "v0"]);
  }
  const all = join(rh, "policy/ocp/bestpractices/_all-namespaces/test_data/integration");
  for (const f of filesUnder(all, /\.ya?ml$/))
    add("redhat-cop", rh, [relative(rh, f), "--all-namespaces", "--rego-version", "v0"]);
  add("redhat-cop", rh, ["-p", "policy", "--rego-version", "v0"], { verify: true });

  // rallyhealth/conftest-policy-packs (npm, Terraform, Docker policies with --data): its Makefile's `conftest verify`.
  const rally = repoDir("rallyhealth");
  add("rallyhealth", rally, ["--data", "data/", "--policy", "policies/", "--rego-version", "v0"], { verify: true });
  add("rallyhealth", rally, ["--data", "data/", "--policy", "policies/"], { verify: true }); // v1: both refuse
  return ONLY ? out.filter((x) => x.suite === ONLY) : out;
}

// ---- running and normalising ------------------------------------------------------------------------------

function run(cmd, args, cwd, stdinFile) {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: "utf8",
    input: stdinFile ? readFileSync(join(cwd, stdinFile)) : undefined,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { code: r.status ?? -1, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

const norm = (cwd, f) => (f === "-" || f === "stdin" || f === "" ? "-" : relative(cwd, resolve(cwd, f)));

/** conftest -o json → { exit, error?, files: { file: {failures, warnings, exceptions} } } */
function fromConftest(r, cwd) {
  let parsed;
  try {
    parsed = JSON.parse(r.stdout);
  } catch {
    return { exit: r.code, error: firstLine(r.stderr || r.stdout) };
  }
  const files = {};
  for (const res of parsed) {
    const f = (files[norm(cwd, res.filename)] ??= { failures: [], warnings: [], exceptions: 0 });
    f.failures.push(...(res.failures ?? []).map((x) => x.msg));
    f.warnings.push(...(res.warnings ?? []).map((x) => x.msg));
    f.exceptions += (res.exceptions ?? []).length;
  }
  return { exit: r.code, files };
}

/** stagegate check -o json → the same shape. */
function fromStagegate(r, cwd) {
  let parsed;
  try {
    parsed = JSON.parse(r.stdout);
  } catch {
    return { exit: r.code, error: firstLine(r.stderr || r.stdout) };
  }
  const files = {};
  for (const env of parsed.environments ?? []) {
    for (const x of env.findings) {
      const f = (files[norm(cwd, x.file)] ??= { failures: [], warnings: [], exceptions: 0 });
      (x.severity === "warning" ? f.warnings : f.failures).push(
        x.source === "policy" ? x.message : `[${x.source}] ${x.message}`,
      );
    }
    for (const x of env.exemptions)
      (files[norm(cwd, x.file)] ??= { failures: [], warnings: [], exceptions: 0 }).exceptions++;
  }
  return { exit: r.code, files };
}

/** Files with nothing to report are left out on both sides: conftest lists every file, Stagegate only findings. */
function canonical(res) {
  if (res.error !== undefined) return { exit: res.exit === 0 ? 0 : "error" };
  const files = {};
  for (const [name, f] of Object.entries(res.files).sort()) {
    if (!f.failures.length && !f.warnings.length && !f.exceptions) continue;
    files[name] = { failures: [...f.failures].sort(), warnings: [...f.warnings].sort(), exceptions: f.exceptions };
  }
  return { exit: res.exit, files };
}

/** verify / test → exit code and pass/fail counts. */
function verifyOf(r, stagegate) {
  try {
    // conftest verify prints `null` when there is no test rule.
    const parsed = JSON.parse(r.stdout) ?? [];
    if (stagegate) {
      const failed = parsed.filter((t) => t.outcome === "fail" || t.outcome === "error").length;
      return { exit: r.code, passed: parsed.filter((t) => t.outcome === "pass").length, failed };
    }
    const failed = parsed.reduce((n, x) => n + (x.failures ?? []).length, 0);
    return { exit: r.code, passed: parsed.reduce((n, x) => n + (x.successes ?? 0), 0), failed };
  } catch {
    return { exit: r.code === 0 ? 0 : "error" };
  }
}

function firstLine(s) {
  return s.trim().split("\n")[0] ?? "";
}

function describeCase(x) {
  const dir = basename(x.cwd);
  return `[${x.suite}] (${dir}) ${x.verify ? "verify" : "test"} ${x.args.join(" ")}${x.stdin ? ` < ${x.stdin}` : ""}`;
}

// ---- main --------------------------------------------------------------------------------------------------

const bin = join(ROOT, "bin", "stagegate.js");
if (!existsSync(join(ROOT, "dist"))) {
  console.error("run `npm run build` first");
  process.exit(2);
}
const all = cases();
const differences = [];
const perSuite = {};
for (const x of all) {
  const s = (perSuite[x.suite] ??= { total: 0, same: 0 });
  s.total++;
  let a, b;
  if (x.verify) {
    a = verifyOf(run(CONFTEST, ["verify", ...x.args, "-o", "json"], x.cwd), false);
    b = verifyOf(run(process.execPath, [bin, "test", ...x.args, "-o", "json"], x.cwd), true);
  } else {
    const rc = run(CONFTEST, ["test", ...x.args, "-o", "json"], x.cwd, x.stdin);
    const rs = run(process.execPath, [bin, "check", ...x.args, "-o", "json"], x.cwd, x.stdin);
    a = canonical(fromConftest(rc, x.cwd));
    b = canonical(fromStagegate(rs, x.cwd));
    if (VERBOSE && (a.exit === "error" || b.exit === "error")) {
      console.log(`${describeCase(x)}\n  conftest: ${firstLine(rc.stderr)}\n  stagegate: ${firstLine(rs.stderr)}`);
    }
  }
  if (JSON.stringify(a) === JSON.stringify(b)) s.same++;
  else differences.push({ case: describeCase(x), conftest: a, stagegate: b });
}

for (const d of differences) {
  console.log(`DIFF ${d.case}`);
  console.log(`  conftest:  ${JSON.stringify(d.conftest).slice(0, 600)}`);
  console.log(`  stagegate: ${JSON.stringify(d.stagegate).slice(0, 600)}`);
}
const total = all.length;
const same = total - differences.length;
console.log("");
for (const [suite, s] of Object.entries(perSuite)) console.log(`${suite.padEnd(14)} ${s.same}/${s.total}`);
console.log(
  `${new Date().toISOString().slice(0, 10)}: ${same} of ${total} comparisons identical ` +
    `(${((100 * same) / total).toFixed(1)}%), conftest ${firstLine(run(CONFTEST, ["--version"], ROOT).stdout)}`,
);

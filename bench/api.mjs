// GitHub API cost of one evaluation: the real app (dist/) against the API
// simulator with a simulated round trip, for PRs of 1 … 1,000 changed
// manifests. Counts requests (REST vs GraphQL) and the latency from webhook
// delivery to completed check. Needs `npm run build` (the product, dist/) and
// `tsc -p demo/tsconfig.json` (the demo harness and the simulator, .build/) first.
import { startStack, waitForChecks } from "../.build/demo/harness.js";
import { baseFiles, WEB_FIXED } from "../.build/demo/story.js";
import { createSimulator, payloads } from "../.build/test/support/sim/index.js";

const CHECKS = ["stagegate / production", "stagegate / staging"];

/** A small Deployment that passes every production rule, so the run has no annotations to write. */
function deployment(i) {
  const doc = WEB_FIXED.split("\n---\n")[0];
  return doc.replace(/\bweb\b/g, `app-${i}`);
}

async function evaluatePr(stack, repo, files, label) {
  const branch = `bench-${label}`;
  repo.createBranch(branch, "main");
  const change = {};
  for (let i = 0; i < files; i++) change[`envs/production/${label}/app-${i}.yaml`] = deployment(i);
  repo.commit(branch, change, { message: `${files} manifests` });
  const pr = repo.openPullRequest({ head: branch, base: "main", title: `${files} manifests` });
  const payload = payloads.pullRequest(repo, pr.number, "opened");
  stack.sim.resetRequests();
  const t = performance.now();
  const delivery = stack.deliver("pull_request", payload);
  const runs = await waitForChecks(repo, pr.headSha, CHECKS, { attempts: 60_000, intervalMs: 2 });
  const ms = performance.now() - t;
  const res = await delivery;
  if (res.status !== 200 && res.status !== 202) throw new Error(`delivery answered ${res.status}: ${res.body}`);
  // Count everything this webhook caused, including work after the checks completed
  // (the policy-check probe): wait until the app has been quiet for half a second.
  await quiet(stack.sim);
  const requests = [...stack.sim.requests];
  const prod = runs.get("stagegate / production");
  if (prod.conclusion !== "success")
    throw new Error(`${files} files: production check ${prod.conclusion}: ${prod.output.title}`);
  const byRoute = {};
  for (const r of requests) {
    const key = r.graphql ? "POST /graphql" : `${r.method} ${r.route ?? r.path}`;
    byRoute[key] = (byRoute[key] ?? 0) + 1;
  }
  return {
    files,
    requests: requests.length,
    rest: requests.filter((r) => !r.graphql).length,
    graphql: requests.filter((r) => r.graphql).length,
    ms,
    byRoute,
  };
}

async function quiet(sim, { stableMs = 500, maxMs = 60_000 } = {}) {
  let seen = -1;
  let since = performance.now();
  for (const start = performance.now(); performance.now() - start < maxMs;) {
    if (sim.requests.length !== seen) {
      seen = sim.requests.length;
      since = performance.now();
    } else if (performance.now() - since >= stableMs) return;
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * One repository, one app process: the first PR pays for loading config and
 * compiling policies (reported as "cold"); the others measure a steady state.
 */
export async function benchApi({ sizes = [1, 10, 100, 1000], latencyMs = 50 } = {}) {
  const stack = await startStack({ latencyMs, logLevel: "fatal" });
  try {
    const repo = stack.sim.createRepo("acme/bench", { files: baseFiles() });
    const cold = await evaluatePr(stack, repo, 1, "cold");
    const rows = [];
    for (const n of sizes) rows.push(await evaluatePr(stack, repo, n, `n${n}`));
    const violations = [...stack.sim.violations];
    return { latencyMs, cold, rows, violations };
  } finally {
    await stack.close();
  }
}

export function printApi(result) {
  const { latencyMs, cold, rows, violations } = result;
  console.log(`\n### GitHub API cost per evaluation (simulated round trip ${latencyMs} ms)\n`);
  console.log("| changed manifests | API requests | REST | GraphQL | webhook → completed checks |");
  console.log("|---:|---:|---:|---:|---:|");
  const line = (r, label) =>
    console.log(`| ${label} | ${r.requests} | ${r.rest} | ${r.graphql} | ${(r.ms / 1000).toFixed(2)} s |`);
  line(cold, `${cold.files} (cold: config + policy load and compile)`);
  for (const r of rows) line(r, r.files.toLocaleString("en-US"));
  const target = rows.find((r) => r.files === 100);
  if (target) {
    const met = target.requests <= 10 ? "met" : "NOT met";
    console.log(`\nDesign target: at most 10 requests for 100 files — measured ${target.requests} (${met}).`);
    console.log("Requests for 100 files (everything one pull_request webhook causes), by endpoint:");
    for (const [k, v] of Object.entries(target.byRoute).sort((a, b) => b[1] - a[1]))
      console.log(`  ${String(v).padStart(4)}  ${k}`);
  }
  if (violations.length) {
    console.log(`\n${violations.length} request(s) GitHub would have rejected:`);
    for (const v of violations.slice(0, 10)) console.log(`  ${v.method} ${v.path}: ${v.message}`);
  }
}

/** A manifest with exactly one production finding: its image comes from a registry the policy does not allow. */
function unpinnedRegistry(name) {
  const doc = deployment(0).replace(/\bapp-0\b/g, name);
  return doc.replace(/image: ghcr\.io\/acme\//, "image: docker.io/acme/");
}

/**
 * One PR of `files` changed manifests, `findings` of them with one finding
 * each, on one warm replica (its own process, production settings): every
 * request the webhook causes, and whether every annotation was posted.
 */
export async function benchFindings({ files = 300, findings = 120, latencyMs = 50 } = {}) {
  const { openPr, startReplicas } = await import("./burst.mjs");
  const sim = await createSimulator({ latencyMs });
  let replicas = [];
  try {
    replicas = await startReplicas(sim, 1);
    const [app] = replicas;
    const repo = sim.createRepo("acme/findings", { files: baseFiles() });
    const run = async (label, n, bad) => {
      const pr = openPr(repo, label, n, (i) => (i < bad ? unpinnedRegistry(`${label}-${i}`) : deployment(i)));
      sim.resetRequests();
      const t = performance.now();
      await app.deliver("pull_request", payloads.pullRequest(repo, pr.number, "opened"));
      const runs = await waitForChecks(repo, pr.headSha, CHECKS, { attempts: 60_000, intervalMs: 5 });
      const ms = performance.now() - t;
      await quiet(sim);
      return { runs, ms, requests: [...sim.requests] };
    };
    await run("warm", 1, 1);
    const { runs, ms, requests } = await run("big", files, findings);
    const prod = runs.get(CHECKS[0]);
    const byRoute = {};
    for (const r of requests) {
      const key = r.graphql ? "POST /graphql" : `${r.method} ${r.route ?? r.path}`;
      byRoute[key] = (byRoute[key] ?? 0) + 1;
    }
    // A check whose work outlasts the one-write second is shown in_progress before its verdict (a create
    // without output): one write more. Created with its verdict, a check carries its first 50 annotations.
    const early = requests
      .filter((r) => r.method === "POST" && r.route?.endsWith("/check-runs") && r.body?.status === "in_progress")
      .filter((r) => !r.body.output)
      .map((r) => r.body.name);
    return {
      files,
      findings,
      latencyMs,
      ms,
      requests: requests.length,
      graphql: requests.filter((r) => r.graphql).length,
      writes: requests.filter((r) => r.method !== "GET" && !r.graphql).length,
      early,
      byRoute,
      annotations: prod.annotations.length,
      conclusion: prod.conclusion,
      violations: sim.violations.length,
    };
  } finally {
    await Promise.all(replicas.map((r) => r.stop()));
    await sim.close();
  }
}

export function printFindings(r) {
  console.log(
    `\n### ${r.files} changed manifests, ${r.findings} with a finding (round trip ${r.latencyMs} ms, warm replica)\n`,
  );
  const met = r.requests <= 12 && r.annotations >= r.findings;
  console.log(
    `${r.requests} API requests (target ≤ 12: ${met ? "met" : "NOT met"}), ${r.annotations} annotations posted ` +
      `on the production check (${r.conclusion}), webhook → completed ${(r.ms / 1000).toFixed(1)} s` +
      (r.violations ? `; ${r.violations} request(s) GitHub would have rejected` : "") +
      ". By endpoint:",
  );
  console.log(
    `(${r.requests - r.writes} reads, ${r.graphql} of them GraphQL; ${r.writes} writes; ` +
      (r.early.length
        ? `shown in_progress before the verdict, one write more each: ${r.early.join(", ")})`
        : "every check created with its verdict)"),
  );
  for (const [k, v] of Object.entries(r.byRoute).sort((a, b) => b[1] - a[1]))
    console.log(`  ${String(v).padStart(4)}  ${k}`);
}

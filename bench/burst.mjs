// Bursts of pull requests against replicas of the real app (dist/, each in
// its own process, with the server's production settings: Probot's
// throttling, one-write checks after 1 s) and the GitHub simulator with a
// simulated round trip. Needs `npm run build` and `tsc -p demo/tsconfig.json`.
import { fork } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { latestRuns } from "../.build/demo/harness.js";
import { baseFiles, WEB_FIXED } from "../.build/demo/story.js";
import { createSimulator, deliver, payloads } from "../.build/test/support/sim/index.js";
import { reserve, START, writePaceFromEnv } from "../dist/github/shared-pacing.js";
import { startRedis } from "./burst-redis.mjs";

export const CHECKS = ["stagegate / production", "stagegate / staging"];
const SECRET = "stagegate-bench-secret";

/** A small Deployment that passes every production rule. */
export function deployment(name) {
  return WEB_FIXED.split("\n---\n")[0].replace(/\bweb\b/g, name);
}

/** Peak resident set of a process so far (Linux), in bytes. */
function peakRss(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** `n` replicas of the app, each a child process; with `redisUrl` they share the Redis work queue. */
export async function startReplicas(sim, n, { redisUrl, gc = false } = {}) {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const env = {
    ...process.env,
    BENCH_APP_ID: String(sim.appId),
    BENCH_PRIVATE_KEY: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
    BENCH_WEBHOOK_SECRET: SECRET,
    BENCH_SIM_URL: sim.url,
    // No freeze re-check tick in the middle of a measurement.
    STAGEGATE_FREEZE_RECHECK_MINUTES: "0",
  };
  delete env.REDIS_URL;
  if (redisUrl) env.REDIS_URL = redisUrl;
  const replicas = [];
  try {
    for (let i = 0; i < n; i++) replicas.push(await startReplica(env, gc));
  } catch (err) {
    await Promise.all(replicas.map((r) => r.stop()));
    throw err;
  }
  return replicas;
}

function startReplica(env, gc) {
  const child = fork(new URL("./burst-replica.mjs", import.meta.url), [], {
    env,
    execArgv: gc ? ["--expose-gc"] : [],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  return new Promise((resolve, reject) => {
    const early = (code) => reject(new Error(`replica exited (${code}) before it listened`));
    child.once("exit", early);
    child.once("message", (msg) => {
      child.off("exit", early);
      resolve({
        webhookUrl: msg.webhookUrl,
        pid: child.pid,
        deliver: (event, payload) => deliver(msg.webhookUrl, event, payload, SECRET),
        peakRss: () => peakRss(child.pid),
        rss: () =>
          new Promise((res) => {
            child.once("message", (m) => res(m.rss));
            child.send("rss");
          }),
        stop: async () => {
          if (child.exitCode === null) child.send("stop");
          const killed = setTimeout(() => child.kill("SIGKILL"), 10_000);
          await exited;
          clearTimeout(killed);
        },
      });
    });
  });
}

/** Opens a PR changing `files` manifests (what `content(i)` gives) on its own branch. */
export function openPr(repo, label, files, content = (i) => deployment(`${label}-${i}`)) {
  const branch = `bench-${label}`;
  repo.createBranch(branch, "main");
  const change = {};
  for (let i = 0; i < files; i++) change[`envs/production/${label}/app-${i}.yaml`] = content(i);
  repo.commit(branch, change, { message: `${files} manifests` });
  return repo.openPullRequest({ head: branch, base: "main", title: `${label}: ${files} manifests` });
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Until every named check of every PR is completed (bounded by `maxMs`, then it says what is missing). */
async function watch(repo, prs, t0, maxMs) {
  const seen = new Map();
  const done = new Map();
  for (const start = performance.now(); done.size < prs.length;) {
    for (const pr of prs) {
      if (done.has(pr.number)) continue;
      const runs = latestRuns(repo, pr.headSha);
      if (!seen.has(pr.number) && runs.size > 0) seen.set(pr.number, performance.now() - t0);
      if (CHECKS.every((n) => runs.get(n)?.status === "completed")) done.set(pr.number, performance.now() - t0);
    }
    if (performance.now() - start > maxMs) {
      throw new Error(`${prs.length - done.size} of ${prs.length} PRs without completed checks after ${maxMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return { seen, done };
}

/**
 * `prs` pull requests of `files` manifests each, their `opened` webhooks
 * delivered at once (spread over the replicas); each replica has first
 * evaluated one PR, so policies are compiled (a running server is warm).
 */
export async function benchBurst({ prs = 20, files = 50, latencyMs = 50, replicas = 1 } = {}) {
  const sim = await createSimulator({ latencyMs });
  const redis = replicas > 1 ? await startRedis() : undefined;
  if (replicas > 1 && !redis) {
    await sim.close();
    return { skipped: "redis-server is not installed" };
  }
  let reps = [];
  try {
    reps = await startReplicas(sim, replicas, { redisUrl: redis?.url });
    const repo = sim.createRepo("acme/burst", { files: baseFiles() });
    for (const [i, r] of reps.entries()) {
      const pr = openPr(repo, `warm${i}`, 1);
      const t = performance.now();
      await r.deliver("pull_request", payloads.pullRequest(repo, pr.number, "opened"));
      await watch(repo, [pr], t, 180_000);
    }
    const opened = [];
    for (let i = 0; i < prs; i++) opened.push(openPr(repo, `pr${i}`, files));
    const bodies = opened.map((pr) => payloads.pullRequest(repo, pr.number, "opened"));
    sim.resetRequests();
    const t0 = performance.now();
    const answers = await Promise.all(bodies.map((b, i) => reps[i % reps.length].deliver("pull_request", b)));
    const acked = performance.now() - t0;
    const bad = answers.find((a) => a.status !== 200 && a.status !== 202);
    if (bad) throw new Error(`a delivery answered ${bad.status}: ${bad.body}`);
    const { seen, done } = await watch(repo, opened, t0, 600_000);
    const requests = [...sim.requests];
    const writes = requests.filter((r) => !r.graphql && r.method !== "GET");
    const verdicts = opened.map((pr) => latestRuns(repo, pr.headSha).get(CHECKS[0]));
    const wrong = verdicts.filter((r) => r.conclusion !== "success");
    return {
      prs,
      files,
      latencyMs,
      replicas,
      ackMs: acked,
      firstCheck: { p50: percentile([...seen.values()], 50), p95: percentile([...seen.values()], 95) },
      completed: {
        p50: percentile([...done.values()], 50),
        p95: percentile([...done.values()], 95),
        max: Math.max(...done.values()),
      },
      requests: requests.length,
      graphql: requests.filter((r) => r.graphql).length,
      writes: writes.length,
      wrong: wrong.map((r) => `${r.conclusion}: ${r.output?.title}`),
      peakRssMb: reps.map((r) => (r.peakRss() ?? 0) / 2 ** 20),
      violations: sim.violations.length,
    };
  } finally {
    await Promise.all(reps.map((r) => r.stop()));
    await redis?.stop();
    await sim.close();
  }
}

/** When the last of `n` writes asked for at once may go, at the pace the replicas run with. */
function paceBound(n) {
  const pace = writePaceFromEnv(process.env);
  let state = START;
  let at = 0;
  for (let i = 0; i < n; i++) ({ at, state } = reserve(pace, state, 0));
  return at;
}

export function printBurst(rows) {
  const pace = writePaceFromEnv(process.env);
  console.log("\n### Bursts of pull requests (webhooks delivered at once; production throttling)\n");
  console.log(
    `Write pace per installation: bursts of up to ${pace.burst} writes ${pace.gapMs} ms apart, ` +
      `then one every ${pace.intervalMs} ms (STAGEGATE_WRITE_BURST=${pace.burst}).\n`,
  );
  console.log(
    "| PRs × files | replicas | round trip | webhook → first check p50 / p95 | → completed p50 / p95 / max " +
      "| requests (writes) | peak RSS per replica |",
  );
  console.log("|---|---:|---:|---:|---:|---:|---:|");
  const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
  for (const r of rows) {
    if (r.skipped) {
      console.log(`| — | — | — | skipped: ${r.skipped} | | | |`);
      continue;
    }
    console.log(
      `| ${r.prs} × ${r.files} | ${r.replicas} | ${r.latencyMs} ms | ${s(r.firstCheck.p50)} / ${s(r.firstCheck.p95)} ` +
        `| ${s(r.completed.p50)} / ${s(r.completed.p95)} / ${s(r.completed.max)} | ${r.requests} (${r.writes}) ` +
        `| ${r.peakRssMb.map((m) => `${m.toFixed(0)} MB`).join(", ")} |`,
    );
  }
  for (const r of rows) {
    if (r.skipped) continue;
    const verdicts = r.wrong.length === 0 ? "every PR got its real verdict" : `${r.wrong.length} wrong: ${r.wrong[0]}`;
    // The soonest the write pace lets this many writes out; finishing near it means the pace, not reads or CPU,
    // set the duration.
    const soonest = paceBound(r.writes);
    const rate = (r.writes / r.completed.max) * 1000;
    const binds =
      r.completed.max <= soonest + 3_000
        ? `the write pace binds: ${r.writes} writes take at least ${(soonest / 1000).toFixed(1)} s at it`
        : `the write pace (at least ${(soonest / 1000).toFixed(1)} s for ${r.writes} writes) does not bind`;
    console.log(
      `- ${r.prs} × ${r.files}, ${r.replicas} replica(s): ${verdicts}; ${r.writes} writes in ` +
        `${(r.completed.max / 1000).toFixed(1)} s (${rate.toFixed(2)} writes/s: ${binds}); ` +
        `deliveries answered within ${(r.ackMs / 1000).toFixed(1)} s` +
        (r.violations ? `; ${r.violations} request(s) GitHub would have rejected` : ""),
    );
  }
}

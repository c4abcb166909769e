// Webhook answer times: `prs` pull_request deliveries at once to one replica of
// the real app (dist/, in its own process, production settings: Probot's
// throttling, one-write checks after 1 s), in-process (no REDIS_URL), against
// the GitHub simulator with a simulated round trip. Prints each delivery's
// answer time (p50 / p95 / max; GitHub gives a delivery 10 s), then waits until
// every PR's checks are completed: the work behind the answers was done.
// Usage (after `npm run build && tsc -p demo/tsconfig.json`):
//   node bench/ack.mjs [prs=50] [files=20] [latencyMs=50]
// BENCH_SERVER=<file URL of another build's server.js> measures another build.
import { fork } from "node:child_process";
import { latestRuns } from "../.build/demo/harness.js";
import { baseFiles } from "../.build/demo/story.js";
import { createSimulator, deliver, payloads } from "../.build/test/support/sim/index.js";
import { CHECKS, openPr, startReplicas } from "./burst.mjs";

/** The webhook secret bench/burst.mjs gives its replicas. */
const SECRET = "stagegate-bench-secret";

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export async function benchAck({ prs = 50, files = 20, latencyMs = 50 } = {}) {
  const sim = await createSimulator({ latencyMs });
  let replicas = [];
  try {
    replicas = await startReplicas(sim, 1);
    const [app] = replicas;
    const repo = sim.createRepo("acme/ack", { files: baseFiles() });
    // Warm: the policies compiled, as on a running server.
    const warm = openPr(repo, "warm", 1);
    await app.deliver("pull_request", payloads.pullRequest(repo, warm.number, "opened"));
    await completed(repo, [warm], 300_000);
    const opened = [];
    for (let i = 0; i < prs; i++) opened.push(openPr(repo, `ack${i}`, files));
    // Sent from a process of their own: this one is busy being GitHub, which would delay reading the answers.
    const bodies = opened.map((pr) => payloads.pullRequest(repo, pr.number, "opened"));
    const t0 = performance.now();
    const sent = await sendFromChild(app.webhookUrl, bodies);
    // PRs whose checks were already completed once every delivery had been answered.
    const doneAtLastAnswer = opened.filter((pr) =>
      CHECKS.every((n) => latestRuns(repo, pr.headSha).get(n)?.status === "completed"),
    ).length;
    const ms = sent.map((a) => a.ms);
    const finished = await completed(repo, opened, 900_000);
    const verdicts = opened.map((pr) => latestRuns(repo, pr.headSha).get(CHECKS[0])?.conclusion);
    return {
      prs,
      files,
      latencyMs,
      statuses: countBy(sent.map((a) => a.status)),
      answer: { p50: percentile(ms, 50), p95: percentile(ms, 95), max: Math.max(...ms) },
      doneAtLastAnswer,
      completedMs: finished - t0,
      wrong: verdicts.filter((c) => c !== "success").length,
      peakRssMb: (app.peakRss() ?? 0) / 2 ** 20,
      violations: sim.violations.length,
    };
  } finally {
    await Promise.all(replicas.map((r) => r.stop()));
    await sim.close();
  }
}

/** Polls until every named check of every PR is completed; the time it was so. */
async function completed(repo, prs, maxMs) {
  for (const start = performance.now(); ;) {
    const open = prs.filter((pr) => !CHECKS.every((n) => latestRuns(repo, pr.headSha).get(n)?.status === "completed"));
    if (open.length === 0) return performance.now();
    if (performance.now() - start > maxMs) throw new Error(`${open.length} PRs without completed checks`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function countBy(values) {
  const out = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

export function printAck(r) {
  const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
  console.log(`\n### Webhook answers, in-process: ${r.prs} deliveries at once (${r.files} files, ${r.latencyMs} ms)\n`);
  console.log(
    `- answered: ${Object.entries(r.statuses)
      .map(([k, v]) => `${v} × ${k}`)
      .join(", ")}`,
  );
  console.log(`- answer time p50 / p95 / max: ${s(r.answer.p50)} / ${s(r.answer.p95)} / ${s(r.answer.max)}`);
  console.log(`- PRs with their checks completed by the time the last delivery was answered: ${r.doneAtLastAnswer}`);
  console.log(
    `- every check completed ${s(r.completedMs)} after the deliveries; ${r.wrong} without a passing production ` +
      `verdict; peak RSS ${r.peakRssMb.toFixed(0)} MB; ${r.violations} request(s) GitHub would have rejected`,
  );
}

/** Delivers every body at once from a child process; each answer's status and time since sending. */
function sendFromChild(webhookUrl, bodies) {
  const child = fork(new URL(import.meta.url), ["--send"], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("message", (answers) => {
      child.kill();
      resolve(answers);
    });
    child.send({ webhookUrl, bodies });
  });
}

if (process.argv[2] === "--send") {
  process.once("message", async ({ webhookUrl, bodies }) => {
    const t0 = performance.now();
    const answers = await Promise.all(
      bodies.map(async (b) => {
        const res = await deliver(webhookUrl, "pull_request", b, SECRET);
        return { status: res.status, ms: performance.now() - t0 };
      }),
    );
    process.send(answers);
  });
} else if (import.meta.url === `file://${process.argv[1]}`) {
  const [prs, files, latencyMs] = process.argv.slice(2).map(Number);
  printAck(
    await benchAck({ prs: prs || 50, files: files || 20, latencyMs: Number.isFinite(latencyMs) ? latencyMs : 50 }),
  );
}

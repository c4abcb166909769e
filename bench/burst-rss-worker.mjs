// The evaluation pipeline of the product (dist/) in its own process, driven
// by bench/burst-rss.mjs: evaluations back to back against the simulator,
// with GitHub's pacing off (10,000 evaluations at one write a second would
// take hours; memory is what is measured here). Answers each "run" with its
// RSS after a full GC (--expose-gc) and a moment for the freed pages to go.
import { pino } from "pino";
import { ProbotOctokit } from "probot";

const dist = process.env.BENCH_DIST ?? new URL("../dist/", import.meta.url).href;
const { GitHubClient } = await import(`${dist}github/client.js`);
const { EngineCache } = await import(`${dist}pipeline/engines.js`);
const { evaluatePullRequest } = await import(`${dist}pipeline/evaluate.js`);
const { createRuntime } = await import(`${dist}pipeline/runtime.js`);

const env = process.env;
const octokit = new ProbotOctokit({
  auth: {
    appId: Number(env.BENCH_APP_ID),
    privateKey: env.BENCH_PRIVATE_KEY,
    installationId: Number(env.BENCH_INSTALLATION_ID),
  },
  baseUrl: env.BENCH_SIM_URL,
  throttle: { enabled: false },
  retry: { enabled: false },
  log: { debug() {}, info() {}, warn() {}, error() {} },
});
const [owner, repo] = env.BENCH_REPO.split("/");
// As the app has them for the life of the process.
const engines = new EngineCache();
const runtime = createRuntime();
const log = pino({ level: "fatal" });
let delivery = 0;

async function evaluate(pr) {
  // A client per delivery, as the app builds one per webhook.
  const client = new GitHubClient(octokit, { owner, repo });
  const deps = { client, appId: Number(env.BENCH_APP_ID), log, engines, runtime };
  await evaluatePullRequest(deps, pr, { deliveryId: `rss-${++delivery}`, reason: "bench", receivedAtMs: Date.now() });
}

process.on("message", async (msg) => {
  if (msg.run) {
    let next = 0;
    const worker = async () => {
      while (next < msg.run) await evaluate(msg.prs[next++ % msg.prs.length]);
    };
    await Promise.all(Array.from({ length: msg.concurrency ?? 4 }, worker));
    // A full GC, then a second for V8's concurrent sweeping to hand the freed pages back, and another GC: RSS
    // right after gc() still counts pages being released, and swung ±15 % from that alone.
    globalThis.gc?.();
    await new Promise((r) => setTimeout(r, 1000));
    globalThis.gc?.();
    await new Promise((r) => setTimeout(r, 1000));
    process.send({ rss: process.memoryUsage().rss, heap: process.memoryUsage().heapUsed });
  } else if (msg === "stop") process.exit(0);
});
process.send({ ready: true });

// RSS of the evaluation pipeline over many evaluations while `main` keeps
// moving (each move a new commit of the default branch changing a manifest
// and a document, as most pushes to main do; the policies do not change, so the engine, keyed by what it is
// built from, is reused): the pipeline in its own process
// (bench/burst-rss-worker.mjs), sampled after a full GC every `every`
// evaluations (BENCH_RSS_EVERY overrides it, e.g. 500).
import { fork } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { baseFiles } from "../.build/demo/story.js";
import { createSimulator, payloads } from "../.build/test/support/sim/index.js";
import { deployment, openPr } from "./burst.mjs";

/** A PR's manifest after its `n`th push: the same passing Deployment, a new annotation. */
function pushed(name, n) {
  return deployment(name).replace("metadata:\n", `metadata:\n  annotations:\n    push: "${n}"\n`);
}

export async function benchRss({
  evaluations = 10_000,
  every = 1_000,
  moveEvery = 100,
  prs = 8,
  files = 5,
  onSample = () => {},
} = {}) {
  every = Number(process.env.BENCH_RSS_EVERY) || every;
  const sim = await createSimulator({ latencyMs: 0 });
  const repo = sim.createRepo("acme/rss", { files: baseFiles() });
  const opened = [];
  for (let i = 0; i < prs; i++) opened.push(openPr(repo, `rss${i}`, files));
  const installationId = payloads.pullRequest(repo, opened[0].number, "opened").installation.id;
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const child = fork(new URL("./burst-rss-worker.mjs", import.meta.url), [], {
    execArgv: ["--expose-gc"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    env: {
      ...process.env,
      BENCH_APP_ID: String(sim.appId),
      BENCH_PRIVATE_KEY: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
      BENCH_INSTALLATION_ID: String(installationId),
      BENCH_SIM_URL: sim.url,
      BENCH_REPO: "acme/rss",
    },
  });
  const reply = () => new Promise((resolve) => child.once("message", resolve));
  try {
    await reply();
    const samples = [];
    const t0 = performance.now();
    let moves = 0;
    for (let done = 0; done < evaluations;) {
      for (let k = 0; k < every && done < evaluations; k += moveEvery) {
        const n = Math.min(moveEvery, evaluations - done);
        // `main` moves: a new commit (a new default-branch revision) before each slice of evaluations.
        moves += 1;
        const moved = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: moved\ndata:\n  move: "${moves}"\n`;
        repo.commit(
          "main",
          { "docs/moved.md": `move ${moves}\n`, "envs/staging/moved.yaml": moved },
          { message: `move ${moves}` },
        );
        // Each PR gets a push too: a head is evaluated ~12 times, not thousands (a head's check runs, which every
        // evaluation lists, would otherwise pile up into pages no real commit has).
        for (let i = 0; i < opened.length; i++) {
          repo.commit(`bench-rss${i}`, { [`envs/production/rss${i}/app-0.yaml`]: pushed(`rss${i}-0`, moves) });
        }
        child.send({ run: n, prs: opened.map((p) => p.number) });
        const r = await reply();
        done += n;
        if (done % every === 0 || done === evaluations) {
          samples.push({ evaluations: done, rss: r.rss, heap: r.heap, ms: performance.now() - t0 });
          onSample(samples.at(-1));
          const mb = (b) => (b / 2 ** 20).toFixed(0);
          process.stderr.write(`rss sample: ${done} evaluations, RSS ${mb(r.rss)} MB, heap used ${mb(r.heap)} MB\n`);
        }
      }
      sim.resetRequests();
    }
    const ms = performance.now() - t0;
    // The first sample includes warm-up (policy compile, module loading); flatness is judged from it on.
    const rss = samples.map((s) => s.rss);
    const ref = rss[0];
    const spread = { min: Math.min(...rss) / ref - 1, max: Math.max(...rss) / ref - 1 };
    return { evaluations, moves, ms, samples, spread };
  } finally {
    child.send("stop");
    await new Promise((r) => child.once("exit", r));
    await sim.close();
  }
}

export function printRss(r) {
  const mb = (b) => `${(b / 2 ** 20).toFixed(0)} MB`;
  console.log(
    `\n### Memory over ${r.evaluations.toLocaleString("en-US")} evaluations while main moved ${r.moves} times ` +
      `(${(r.ms / 1000).toFixed(0)} s)\n`,
  );
  console.log("| evaluations | RSS after GC | heap used |");
  console.log("|---:|---:|---:|");
  for (const s of r.samples) console.log(`| ${s.evaluations.toLocaleString("en-US")} | ${mb(s.rss)} | ${mb(s.heap)} |`);
  const pct = (x) => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)} %`;
  const flat = r.spread.min >= -0.1 && r.spread.max <= 0.1;
  console.log(
    `\nRSS against the first sample: ${pct(r.spread.min)} … ${pct(r.spread.max)} ` +
      `(target ±10 %: ${flat ? "met" : "NOT met"}).`,
  );
}

// `npm run bench`: prints the tables the README's performance and capacity
// sections quote. `node bench/run.mjs <part> …` runs some parts only (after
// `npm run build && tsc -p demo/tsconfig.json`): engine, conftest, api,
// findings, burst, burst2 (two replicas on Redis), flood, rss. `rss` takes an
// optional number of evaluations (`rss=10000`; the default run does 2,000).
import { cpus, totalmem } from "node:os";
import { benchApi, benchFindings, printApi, printFindings } from "./api.mjs";
import { benchBurst, printBurst } from "./burst.mjs";
import { benchRss, printRss } from "./burst-rss.mjs";
import { benchConftest, printConftest } from "./conftest.mjs";
import { benchEngine, corpusPaths, printEngine } from "./engine.mjs";
import { benchRender, printRender } from "./render.mjs";

const PARTS = {
  engine: async () => printEngine(await benchEngine()),
  conftest: async () => {
    const corpus = corpusPaths();
    if (corpus) printConftest(benchConftest(corpus.dir, corpus.paths), corpus.paths.length);
  },
  render: async () => printRender(await benchRender()),
  api: async () => printApi(await benchApi()),
  findings: async () => printFindings(await benchFindings({ files: 300, findings: 120 })),
  burst: async () => printBurst([await benchBurst({ prs: 20, files: 50, latencyMs: 50, replicas: 1 })]),
  burst2: async () => printBurst([await benchBurst({ prs: 20, files: 50, latencyMs: 50, replicas: 2 })]),
  flood: async () => printBurst([await benchBurst({ prs: 50, files: 20, latencyMs: 50, replicas: 1 })]),
  rss: async (n = 2_000) => {
    // Long runs: a line per sample as it comes.
    const onSample = (s) => console.error(`rss: ${s.evaluations} evaluations, ${(s.rss / 2 ** 20).toFixed(0)} MB`);
    printRss(await benchRss({ evaluations: n, every: Math.max(100, Math.min(500, n / 10)), onSample }));
  },
};

const asked = process.argv.slice(2).map((a) => {
  const [name, value] = a.split("=");
  if (!(name in PARTS)) throw new Error(`unknown part "${name}" (parts: ${Object.keys(PARTS).join(", ")})`);
  return { name, value: value === undefined ? undefined : Number(value) };
});

console.log(
  `Stagegate benchmark — ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ` +
    `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
);
for (const { name, value } of asked.length ? asked : Object.keys(PARTS).map((name) => ({ name }))) {
  await PARTS[name](value);
}

// Render benchmark: the app's render path (RenderGatherer: tree listing, batched reads, render cache, render
// slots, kustomize) on corpus repositories served by an in-memory GitHub client. Per environment: the first
// render (cold: nothing cached), a re-evaluation of the same commit (warm: cache hits), and a pull request
// that changes one base file (the base side hits, the head renders). Prints ms and the cache's hits/misses.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { RenderCache, RenderSlots } from "../dist/pipeline/render-cache.js";
import { RenderGatherer } from "../dist/pipeline/render-gather.js";
import { BlobCache } from "../dist/pipeline/tree-reader.js";
import { walkFiles } from "../dist/cli/disk-reader.js";

const CORPUS =
  process.env.STAGEGATE_CORPUS ?? join(fileURLToPath(new URL(".", import.meta.url)), "..", "..", "shared", "corpus");

/** Environments of the issue's done-when: repository, entry point, and a base file a pull request changes. */
const ENVIRONMENTS = [
  { repo: "fluxcd__flux2-kustomize-helm-example", name: "staging", dir: "apps/staging", base: "apps/base/podinfo" },
  {
    repo: "fluxcd__flux2-kustomize-helm-example",
    name: "production",
    dir: "apps/production",
    base: "apps/base/podinfo",
  },
  { repo: "stefanprodan__podinfo", name: "podinfo", dir: "kustomize", base: "kustomize" },
];

/** A commit's tree held in memory, answering the two gateway calls a TreeReader makes. */
class MemoryRepo {
  constructor() {
    this.commits = new Map();
  }
  commit(sha, files) {
    this.commits.set(sha, files);
  }
  async tree(sha) {
    return [...this.commits.get(sha)].map(([path, content]) => ({ path, sha: blobSha(content), size: content.length }));
  }
  async readFiles(sha, paths) {
    const files = this.commits.get(sha);
    return new Map(paths.map((p) => [p, files.get(p)]));
  }
}

function blobSha(content) {
  return createHash("sha1").update(`blob ${content.length}\0`).update(content).digest("hex");
}

function readRepo(dir) {
  const files = new Map();
  for (const f of walkFiles(dir)) files.set(relative(dir, f), new Uint8Array(readFileSync(f)));
  return files;
}

/** A pull request's head: the first YAML file under `under` with a line appended (a comment: same objects). */
function changedOne(files, under) {
  const head = new Map(files);
  const path = [...files.keys()].sort().find((p) => p.startsWith(`${under}/`) && /\.ya?ml$/.test(p));
  head.set(path, new Uint8Array(Buffer.concat([Buffer.from(files.get(path)), Buffer.from("\n# bench\n")])));
  return head;
}

async function timed(fn) {
  const t = performance.now();
  const out = await fn();
  return { ms: performance.now() - t, out };
}

/** Returns undefined when the corpus is absent. */
export async function benchRender() {
  if (!existsSync(CORPUS)) return undefined;
  const cache = new RenderCache();
  const blobs = new BlobCache();
  const slots = new RenderSlots();
  const client = new MemoryRepo();
  const rows = [];
  for (const e of ENVIRONMENTS) {
    const files = readRepo(join(CORPUS, e.repo));
    client.commit(`${e.repo}-base`, files);
    client.commit(`${e.repo}-pr-${e.name}`, changedOne(files, e.base));
    const env = { name: e.name, render: { entry_points: [{ kustomize: e.dir }], judge: "changed" } };
    const run = async (sides) => {
      const before = cache.stats();
      const gatherer = new RenderGatherer(
        client,
        { repoKey: e.repo, maxFileBytes: 2 ** 22, ...sides },
        cache,
        blobs,
        slots,
      );
      const { ms, out } = await timed(() => gatherer.render(env));
      const after = cache.stats();
      const problems = out.entries.flatMap((x) => [...(x.base?.problems ?? []), ...x.head.problems]);
      const objects = out.entries.reduce((n, x) => n + x.head.objects.length, 0);
      return { ms, hits: after.hits - before.hits, misses: after.misses - before.misses, problems, objects };
    };
    const cold = await run({ headSha: `${e.repo}-base` });
    const warm = await run({ headSha: `${e.repo}-base` });
    const pr = await run({ baseSha: `${e.repo}-base`, headSha: `${e.repo}-pr-${e.name}` });
    rows.push({ label: `${e.repo.split("__")[1]} ${e.dir}`, cold, warm, pr });
  }
  return { rows, stats: cache.stats() };
}

export function printRender(result) {
  if (!result) {
    console.log("\nRender: no corpus at ../shared/corpus (set STAGEGATE_CORPUS)");
    return;
  }
  const cell = (r) => `${r.ms.toFixed(0).padStart(5)} ms (${r.hits} hit, ${r.misses} miss)`;
  console.log("\nRender: the app's render path (kustomize through the render cache), per environment");
  console.log(
    `${"entry point".padEnd(44)} ${"objects".padStart(7)}  ${"cold".padEnd(24)}${"same commit again".padEnd(24)}` +
      "PR changing a base file",
  );
  for (const { label, cold, warm, pr } of result.rows) {
    const failed = [cold, warm, pr].flatMap((r) => r.problems);
    console.log(
      `${label.padEnd(44)} ${String(cold.objects).padStart(7)}  ${cell(cold).padEnd(24)}${cell(warm).padEnd(24)}` +
        `${cell(pr)}${failed.length ? `  FAILED: ${failed[0].message}` : ""}`,
    );
  }
  const { hits, misses } = result.stats;
  console.log(
    `render cache: ${hits} hits, ${misses} misses (hit rate ${((100 * hits) / (hits + misses)).toFixed(0)}%)`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) printRender(await benchRender());

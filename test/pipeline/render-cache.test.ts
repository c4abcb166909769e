/** The render cache (bounded, a limit-stopped render not kept), the blob cache, and the process's render slots. */
import { RenderCache, RenderSlots } from "../../src/pipeline/render-cache.js";
import { BlobCache } from "../../src/pipeline/tree-reader.js";
import type { RenderedEntry } from "../../src/render/render.js";
import type { Finding } from "../../src/types.js";

const entry = (problems: Finding[] = []): RenderedEntry => ({
  entry: "apps/production",
  reads: [],
  objects: [],
  files: [],
  problems,
  annotate: () => undefined,
});

test("a render is made once per key; the least recently used goes first", async () => {
  const cache = new RenderCache(2);
  let renders = 0;
  const render = () => Promise.resolve((renders++, entry()));
  await cache.get("a", render);
  await cache.get("b", render);
  await cache.get("a", render); // a is now the most recent
  await cache.get("c", render); // evicts b
  await cache.get("a", render);
  await cache.get("b", render);
  expect(renders).toBe(4);
  expect(cache.stats()).toEqual({ hits: 2, misses: 4, size: 2 });
});

test("a render stopped by a limit, or one that threw, is not kept", async () => {
  const cache = new RenderCache();
  const stopped: Finding = {
    ruleId: "render/limit",
    message: "kustomize build of apps/production took too long and was stopped",
    severity: "failure",
    source: "engine",
    location: { file: "apps/production/kustomization.yaml", line: 1 },
  };
  await cache.get("slow", () => Promise.resolve(entry([stopped])));
  await expect(cache.get("broken", () => Promise.reject(new Error("no")))).rejects.toThrow("no");
  await new Promise((r) => setImmediate(r));
  expect(cache.size).toBe(0);
});

test("blobs are kept within their byte budget", () => {
  const blobs = new BlobCache(10);
  blobs.set("a", new Uint8Array(6));
  blobs.set("b", new Uint8Array(4));
  expect(blobs.get("a")).toBeDefined(); // a is now the most recent
  blobs.set("c", new Uint8Array(4)); // over budget: b goes
  expect(blobs.get("b")).toBeUndefined();
  expect(blobs.get("a")).toBeDefined();
  blobs.set("huge", new Uint8Array(11));
  expect(blobs.get("huge")).toBeUndefined();
});

test("at most the given number of renders run at once; the others wait their turn", async () => {
  const slots = new RenderSlots(2);
  let running = 0;
  let most = 0;
  const releases: Array<() => void> = [];
  const job = () =>
    slots.run(async () => {
      most = Math.max(most, ++running);
      await new Promise<void>((r) => releases.push(r));
      running--;
    });
  let done = false;
  const all = Promise.all([job(), job(), job(), job()]).then(() => (done = true));
  // Let the running jobs finish, a turn at a time, until every job has had its slot.
  while (!done) {
    await new Promise((r) => setImmediate(r));
    releases.splice(0).forEach((r) => r());
  }
  await all;
  expect(most).toBe(2);
});

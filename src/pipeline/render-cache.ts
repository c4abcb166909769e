/**
 * Renders by (repository, entry point, tree content): a render is a function of the files it reads, and the
 * tree's fingerprint covers them all, so the base of every pull request into one branch tip renders once, and
 * a re-evaluation of the same commit (an approval, `/gate check`) renders nothing. Bounded by count, least
 * recently used out. A render stopped by a limit (timeout, memory) is not kept: the next evaluation retries it.
 */
import type { RenderedEntry } from "../render/render.js";
import { BlobCache } from "./tree-reader.js";

export class RenderCache {
  private readonly renders = new Map<string, Promise<RenderedEntry>>();
  hits = 0;
  misses = 0;

  constructor(private readonly max = 100) {}

  get(key: string, render: () => Promise<RenderedEntry>): Promise<RenderedEntry> {
    const cached = this.renders.get(key);
    if (cached) {
      this.hits++;
      this.renders.delete(key);
      this.renders.set(key, cached);
      return cached;
    }
    this.misses++;
    const p = render();
    this.renders.set(key, p);
    p.then(
      (r) => {
        if (r.problems.some((f) => f.ruleId === "render/limit")) this.renders.delete(key);
      },
      () => this.renders.delete(key),
    );
    while (this.renders.size > this.max) this.renders.delete(this.renders.keys().next().value as string);
    return p;
  }

  get size(): number {
    return this.renders.size;
  }

  /** For logs and benchmarks: lookups answered from the cache, and renders kept. */
  stats(): { hits: number; misses: number; size: number } {
    return { hits: this.hits, misses: this.misses, size: this.renders.size };
  }
}

/** The process's caches, shared by every repository and evaluation (keys name the repository). */
export const sharedRenderCache = new RenderCache();
export const sharedBlobCache = new BlobCache();

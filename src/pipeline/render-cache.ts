/**
 * Renders by (repository, entry point, tree content): a render is a function of the files it reads, and the
 * tree's fingerprint covers them all, so the base of every pull request into one branch tip renders once, and
 * a re-evaluation of the same commit (an approval, `/gate check`) renders nothing. Bounded by count, least
 * recently used out. A render stopped by a limit (timeout, memory) is not kept: the next evaluation retries it.
 */
import { availableParallelism } from "node:os";
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

/**
 * At most `max` renders run at once in the process (each is a kustomize or helm process of up to 1 GiB):
 * concurrent evaluations queue for a slot instead of overloading the machine.
 */
export class RenderSlots {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly max = Math.max(1, availableParallelism())) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      return await fn();
    } finally {
      // Hand the slot to the next waiter, or free it.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}

/** The process's caches and render slots, shared by every repository and evaluation (keys name the repository). */
export const sharedRenderCache = new RenderCache();
export const sharedBlobCache = new BlobCache();
export const sharedRenderSlots = new RenderSlots();

import { availableParallelism, loadavg } from "node:os";
import type { Worker } from "node:worker_threads";
import { manifestFilesFor } from "../config/environments.js";
import type { StagegateConfig } from "../config/types.js";
import { byLocation, type Engine } from "../gate/engine.js";
import type { PolicyInputs } from "../gate/sources.js";
import type { Verdict } from "../gate/verdict.js";
import type { SourceFile } from "../manifests/parse.js";
import type { CompiledPolicy } from "../policy/compile.js";
import { startWorker } from "../sandbox/spawn.js";

export interface PoolWorkerData {
  config: StagegateConfig;
  compiled: CompiledPolicy;
  inputs: PolicyInputs;
  now: bigint;
}

export interface PoolRequest {
  id: number;
  environment: string;
  files: SourceFile[];
}

export interface PoolOptions {
  /** Threads, this one included; default the free cores from 4 cores (at least 2 free), else 1 (STAGEGATE_WORKERS). */
  workers?: number;
  /** Below this many manifest files an environment is checked in this thread; default 400. */
  minFiles?: number;
  /** `time.now_ns` of every evaluation, nanoseconds. */
  now: bigint;
}

/** Files per slice handed to a worker: small enough to balance the threads, large enough to amortise messages. */
const SLICE = 100;

/**
 * `engine.check` for each environment, on several threads for large inputs: the environment's files are cut into
 * slices in path order, each judged by a worker with its own engine (and wasm instance), and the verdicts merged in
 * slice order — identical to the single-threaded verdict (findings are sorted the same way). Whenever slicing could
 * change the result (`limits.max_files`, `limits.max_total_documents`), the environment is checked in one piece.
 */
export async function checkEnvironments(
  engine: Engine,
  inputs: PolicyInputs,
  environments: string[],
  files: SourceFile[],
  options: PoolOptions,
): Promise<Verdict[]> {
  const threads = options.workers ?? (Number(process.env.STAGEGATE_WORKERS) || defaultThreads());
  const minFiles = options.minFiles ?? 400;
  const single = (env: string) => engine.check(env, files, { now: () => options.now });
  const config = engine.config;
  const selected = (env: string) => {
    const wanted = new Set(
      manifestFilesFor(
        engine.environment(env),
        files.map((f) => f.path),
      ),
    );
    return files.filter((f) => wanted.has(f.path));
  };
  const plans = environments.map((env) => ({ env, files: selected(env) }));
  const pooled = (p: { files: SourceFile[] }) =>
    threads > 1 && p.files.length >= minFiles && p.files.length <= config.limits.max_files;
  if (!plans.some(pooled)) return environments.map(single);

  // This thread judges slices too: threads - 1 workers, and no core waits idle for the others.
  const data = { config, compiled: engine.compiled, inputs, now: options.now };
  const pool = new Pool(Math.min(threads, 8) - 1, data, (env, slice) =>
    engine.check(env, slice, { now: () => options.now }),
  );
  try {
    return await Promise.all(
      plans.map(async (p) => {
        if (!pooled(p)) return single(p.env);
        const slices: SourceFile[][] = [];
        for (let i = 0; i < p.files.length; i += SLICE) slices.push(p.files.slice(i, i + SLICE));
        const started = performance.now();
        const merged = merge(await Promise.all(slices.map((s) => pool.check(p.env, s))), started);
        // A document budget spent across slices is not spent the same way in each: judge in one piece.
        const overBudget =
          merged.documentsChecked > config.limits.max_total_documents ||
          merged.findings.some((f) => f.ruleId === "limit/total-documents");
        return overBudget ? single(p.env) : merged;
      }),
    );
  } finally {
    await pool.close();
  }
}

/**
 * Every worker pays its own start-up (modules, wasm, schema compilation: about 2 s of CPU on the corpus), so on two
 * cores the pool measured no faster and used more memory (README, Performance): by default only from four cores, and
 * only on the cores other work leaves free (the last minute's load average; a busy machine gains nothing from threads
 * that wait for a core), with at least two free.
 */
function defaultThreads(): number {
  const cores = availableParallelism();
  if (cores < 4) return 1;
  const free = Math.floor(cores - loadavg()[0]);
  return free >= 2 ? Math.min(cores, free) : 1;
}

function merge(parts: Verdict[], started: number): Verdict {
  return {
    ...parts[0],
    findings: parts.flatMap((v) => v.findings).sort(byLocation),
    exemptions: parts.flatMap((v) => v.exemptions).sort(byLocation),
    filesChecked: parts.reduce((n, v) => n + v.filesChecked, 0),
    documentsChecked: parts.reduce((n, v) => n + v.documentsChecked, 0),
    durationMs: Math.round((performance.now() - started) * 10) / 10,
  };
}

/** Worker threads and this thread taking slices from one queue; each answer goes to its own request. */
class Pool {
  private readonly idle: Array<Worker | "here"> = ["here"];
  private readonly all: Worker[] = [];
  private readonly waiting: Array<() => void> = [];
  private nextId = 1;

  constructor(
    workers: number,
    data: PoolWorkerData,
    private readonly here: (environment: string, files: SourceFile[]) => Verdict,
  ) {
    for (let i = 0; i < workers; i++) {
      const w = startWorker(import.meta.url, "check-worker", { workerData: data });
      this.all.push(w);
      this.idle.push(w);
    }
  }

  async check(environment: string, files: SourceFile[]): Promise<Verdict> {
    while (this.idle.length === 0) await new Promise<void>((r) => this.waiting.push(r));
    const worker = this.idle.pop()!;
    try {
      if (worker !== "here") return await ask(worker, { id: this.nextId++, environment, files });
      // Let the workers' answers in (and hand them their next slices) before this thread gets busy.
      await new Promise((r) => setImmediate(r));
      return this.here(environment, files);
    } finally {
      this.idle.push(worker);
      this.waiting.shift()?.();
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.all.map((w) => w.terminate()));
  }
}

function ask(worker: Worker, req: PoolRequest): Promise<Verdict> {
  return new Promise((resolve, reject) => {
    const done = () => worker.off("message", onMessage).off("error", onError).off("exit", onExit);
    const onMessage = (m: { id: number; verdict: Verdict }) => {
      if (m.id !== req.id) return;
      done();
      resolve(m.verdict);
    };
    const onError = (err: Error) => {
      done();
      reject(err);
    };
    const onExit = (code: number) => {
      done();
      reject(new Error(`check worker exited (code ${code})`));
    };
    worker.on("message", onMessage).on("error", onError).on("exit", onExit);
    worker.postMessage(req);
  });
}

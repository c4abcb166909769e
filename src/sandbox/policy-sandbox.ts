import type { Worker } from "node:worker_threads";
import type { CompiledPolicy } from "../policy/compile.js";
import { EvaluationError, type RawDocumentResult } from "../policy/runner.js";
import type { FileJob, FileOutcome, PolicyRequest, PolicyResponse, PolicyWorkerData } from "./protocol.js";
import { startWorker } from "./spawn.js";

/** An evaluation stopped for exceeding its wall-clock or memory budget. */
export class BudgetError extends Error {}

export interface SandboxOptions {
  /** Base `data` of the policies. */
  data?: Record<string, unknown>;
  /** Wall-clock budget of one call (a batch of files, or one PR input); default 10 s. */
  timeoutMs?: number;
  /** Memory budget: the worker's JS heap and the wasm instance's memory, each; default 256 MiB. */
  memoryMiB?: number;
  /** An idle worker is stopped after this long (the next call starts another); default 30 s. */
  idleMs?: number;
}

/** Worker start-up (module loading, wasm compilation) is not the policy's time, but is bounded too. */
const STARTUP_MS = 60_000;

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/**
 * Evaluates a compiled policy in a worker thread, so that no policy — a pull request's proposed one in particular —
 * can block the event loop or exhaust the process's memory: each call has a wall-clock budget enforced from this
 * thread (the worker is terminated when it expires) and the worker runs under V8 resource limits. Calls run one at
 * a time; a terminated or crashed worker is replaced on the next call.
 */
export class PolicySandbox {
  private worker?: Promise<Worker>;
  private queue: Promise<unknown> = Promise.resolve();
  private idle?: NodeJS.Timeout;
  private nextId = 1;
  private readonly timeoutMs: number;
  private readonly memoryMiB: number;
  /** How many workers were started (for tests). */
  started = 0;

  constructor(
    private readonly compiled: CompiledPolicy,
    private readonly options: SandboxOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.memoryMiB = options.memoryMiB ?? 256;
  }

  /**
   * Evaluates files in one batch under one budget; per file, the raw results or why it failed. A file that ran out
   * of the memory budget rejects the whole batch with BudgetError, like expiry: the policy, not the file, is at fault.
   */
  async evaluateFiles(files: FileJob[], namespaces: string[], now?: bigint): Promise<FileOutcome[]> {
    const r = await this.call({ id: 0, kind: "files", files, namespaces, now });
    const outcomes = r.kind === "files" ? r.outcomes : [];
    const over = outcomes.find((o) => "budget" in o && o.budget);
    if (over && "error" in over) throw new BudgetError(over.error);
    return outcomes;
  }

  /** Evaluates PR-level namespaces against one pull request's facts; EvaluationError when the policy fails. */
  async evaluatePr(pr: unknown, namespaces: string[], now?: bigint): Promise<RawDocumentResult> {
    const r = await this.call({ id: 0, kind: "pr", pr, namespaces, now });
    if (r.kind === "pr" && r.budget) throw new BudgetError(r.error);
    if (r.kind !== "pr" || !r.result) throw new EvaluationError(r.kind === "pr" && r.error ? r.error : "no result");
    return r.result;
  }

  /** Stops the worker (a later call starts a new one). */
  async close(): Promise<void> {
    clearTimeout(this.idle);
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.then((x) => x.terminate()).catch(() => undefined);
  }

  private call(req: PolicyRequest): Promise<PolicyResponse> {
    const run = this.queue.then(() => this.send({ ...req, id: this.nextId++ }));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async send(req: PolicyRequest): Promise<PolicyResponse> {
    clearTimeout(this.idle);
    const worker = await (this.worker ??= this.start());
    worker.ref(); // a pending evaluation keeps the process alive (a CLI run waits for it)
    try {
      return await this.exchange(worker, req);
    } catch (err) {
      // Expired, out of memory or crashed: this worker is gone or unusable.
      this.worker = undefined;
      await worker.terminate();
      throw err;
    } finally {
      worker.unref();
      if (this.worker) this.idle = setTimeout(() => void this.close(), this.options.idleMs ?? 30_000).unref();
    }
  }

  private exchange(worker: Worker, req: PolicyRequest): Promise<PolicyResponse> {
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        worker.off("message", onMessage).off("error", onError).off("exit", onExit);
      };
      const timer = setTimeout(() => {
        done();
        reject(new BudgetError(`policy evaluation exceeded its budget of ${seconds(this.timeoutMs)}`));
      }, this.timeoutMs);
      const onMessage = (m: PolicyResponse) => {
        if (m.id !== req.id) return;
        done();
        resolve(m);
      };
      const onError = (err: Error) => {
        done();
        reject(this.failure(err));
      };
      const onExit = (code: number) => {
        done();
        reject(new Error(`policy evaluation worker exited (code ${code})`));
      };
      worker.on("message", onMessage).on("error", onError).on("exit", onExit);
      worker.postMessage(req);
    });
  }

  private failure(err: Error): Error {
    if ((err as NodeJS.ErrnoException).code === "ERR_WORKER_OUT_OF_MEMORY")
      return new BudgetError(`policy evaluation exceeded its memory budget of ${this.memoryMiB} MiB`);
    return err;
  }

  private start(): Promise<Worker> {
    this.started++;
    const mib = this.memoryMiB;
    const data: PolicyWorkerData = {
      compiled: this.compiled,
      data: this.options.data ?? {},
      maxMemoryBytes: mib * 1024 * 1024,
      memoryBudget: `${mib} MiB`,
    };
    const worker = startWorker(import.meta.url, "policy-worker", {
      workerData: data,
      resourceLimits: { maxOldGenerationSizeMb: mib, maxYoungGenerationSizeMb: Math.min(64, mib / 4), stackSizeMb: 4 },
    });
    return new Promise<Worker>((resolve, reject) => {
      const timer = setTimeout(() => {
        void worker.terminate();
        reject(new Error(`policy evaluation worker did not start within ${seconds(STARTUP_MS)}`));
      }, STARTUP_MS);
      const settle = (err?: Error) => {
        clearTimeout(timer);
        worker.off("message", onReady).off("error", settle).off("exit", onExit);
        if (err) reject(this.failure(err));
        else resolve(worker);
      };
      const onReady = (m: { ready?: boolean }) => m.ready && settle();
      const onExit = (code: number) => settle(new Error(`policy evaluation worker exited on start (code ${code})`));
      worker.on("message", onReady).on("error", settle).on("exit", onExit);
    }).catch((err: unknown) => {
      this.worker = undefined;
      throw err;
    });
  }
}

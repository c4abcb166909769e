import { loadPolicySync, type HostBuiltin, type WasmPolicy } from "./opa-wasm.js";
import { CUSTOM_BUILTIN_NAMES, createCustomBuiltins, type BuiltinImpl } from "./builtins/index.js";
import type { CompiledPolicy } from "./compile.js";
import { ENTRYPOINT, PR_ENTRYPOINT } from "./entry.js";

/** Raw result for one document: namespace → rule → values the rule produced. */
export type RawDocumentResult = Record<string, Record<string, unknown[]>>;

export interface RunnerOptions {
  /** Base `data` (user data files, `stagegate.params`). */
  data?: Record<string, unknown>;
  /**
   * A wasm instance whose memory grows beyond this is replaced (memory only
   * grows). Default 64 MiB: the app keeps one instance per cached engine.
   */
  recycleAboveBytes?: number;
  /** Hard cap on one instance's memory; an evaluation needing more fails. Default 1 GiB. */
  maxMemoryBytes?: number;
}

export class EvaluationError extends Error {}

const PAGE = 64 * 1024;

/**
 * One loaded policy instance, reused for every document: evaluation is
 * synchronous and single-threaded, so one instance per process is enough.
 */
export class PolicyRunner {
  private readonly module: WebAssembly.Module;
  private policy!: WasmPolicy;
  private builtins: Record<string, BuiltinImpl> = createCustomBuiltins();
  private readonly table: Record<string, BuiltinImpl>;
  private readonly data: Record<string, unknown>;
  private readonly recycleAbove: number;
  private readonly maxPages: number;
  /** How many times the instance was replaced (for tests and the benchmark). */
  recycled = 0;

  constructor(
    readonly compiled: CompiledPolicy,
    options: RunnerOptions = {},
  ) {
    this.module = compiled.module ?? new WebAssembly.Module(compiled.wasm);
    this.data = options.data ?? {};
    this.recycleAbove = options.recycleAboveBytes ?? 64 * 1024 * 1024;
    this.maxPages = Math.ceil((options.maxMemoryBytes ?? 1024 * 1024 * 1024) / PAGE);
    // An instance binds its builtins once; route them through `this.builtins`
    // so each batch can have its own clock (time.now_ns is fixed per evaluation).
    this.table = Object.fromEntries(
      CUSTOM_BUILTIN_NAMES.map((name: string) => [name, (...args: unknown[]) => this.builtins[name](...args)]),
    );
    this.load();
  }

  /** Starts a batch of evaluations that share one `time.now_ns`. */
  beginBatch(now?: () => bigint): void {
    this.builtins = createCustomBuiltins(now ? { now } : {});
  }

  /** Evaluates every document of one file in one call. */
  evaluateFile(
    documents: unknown[],
    namespaces: string[],
    context: { environment: string; file: string },
  ): RawDocumentResult[] {
    let result: unknown;
    try {
      result = this.policy.evaluate({ documents, namespaces, context }, ENTRYPOINT);
    } catch (err) {
      // A trap can leave the instance in any state: start from a fresh one.
      this.load();
      this.recycled++;
      throw new EvaluationError(describe(err));
    }
    if (this.policy.mem.buffer.byteLength > this.recycleAbove) {
      this.load();
      this.recycled++;
    }
    const set = result as Array<{ result?: RawDocumentResult[] }> | null;
    const docs = set?.[0]?.result;
    if (!Array.isArray(docs) || docs.length !== documents.length) {
      throw new EvaluationError("policy evaluation returned no result");
    }
    return docs;
  }

  /** Evaluates PR-level namespaces against one pull request's facts. */
  evaluatePr(pr: unknown, namespaces: string[]): RawDocumentResult {
    let result: unknown;
    try {
      result = this.policy.evaluate({ pr, namespaces }, PR_ENTRYPOINT);
    } catch (err) {
      this.load();
      this.recycled++;
      throw new EvaluationError(describe(err));
    }
    const set = result as Array<{ result?: RawDocumentResult }> | null;
    const out = set?.[0]?.result;
    if (!out || typeof out !== "object") throw new EvaluationError("PR policy evaluation returned no result");
    return out;
  }

  private load(): void {
    const memory = { initial: 5, maximum: this.maxPages };
    this.policy = loadPolicySync(this.module, memory, this.table as Record<string, HostBuiltin>);
    this.policy.setData(this.data);
  }
}

function describe(err: unknown): string {
  if (err instanceof RangeError) return `policy evaluation ran out of memory (${err.message})`;
  if (err instanceof Error) return err.message;
  if (typeof err === "object" && err && "message" in err) return String((err as { message: unknown }).message);
  return String(err);
}

import type { CompiledPolicy } from "../policy/compile.js";
import type { RawDocumentResult } from "../policy/runner.js";

/** What a policy worker is started with. */
export interface PolicyWorkerData {
  compiled: CompiledPolicy;
  data: Record<string, unknown>;
  /** Wasm memory cap, in bytes (the JS heap is capped by the worker's resourceLimits). */
  maxMemoryBytes: number;
  /** For messages: the memory budget as the parent states it. */
  memoryBudget: string;
}

export interface FileJob {
  documents: unknown[];
  context: { environment: string; file: string };
}

export type PolicyRequest =
  | { id: number; kind: "files"; namespaces: string[]; now?: bigint; files: FileJob[] }
  | { id: number; kind: "pr"; namespaces: string[]; now?: bigint; pr: unknown };

/**
 * Per file: the raw results, or why this file could not be evaluated (the others still are). `budget` marks a file
 * whose evaluation ran out of the memory budget: the parent fails the whole call, as it does on expiry.
 */
export type FileOutcome = { raw: RawDocumentResult[] } | { error: string; budget?: true };

export type PolicyResponse =
  | { id: number; kind: "files"; outcomes: FileOutcome[] }
  | { id: number; kind: "pr"; result?: RawDocumentResult; error?: string; budget?: true };

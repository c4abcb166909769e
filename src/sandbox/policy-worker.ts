/** Worker thread entry: one wasm policy instance, evaluating what the parent sends (see policy-sandbox.ts). */
import { parentPort, workerData } from "node:worker_threads";
import { EvaluationError, PolicyRunner } from "../policy/runner.js";
import type { FileOutcome, PolicyRequest, PolicyResponse, PolicyWorkerData } from "./protocol.js";

const init = workerData as PolicyWorkerData;
const runner = new PolicyRunner(init.compiled, { data: init.data, maxMemoryBytes: init.maxMemoryBytes });

/** An evaluation that ran out of wasm memory hit the budget: say so in the budget's words, and mark it. */
function reason(err: EvaluationError): { error: string; budget?: true } {
  return /out of memory|opa_malloc/i.test(err.message)
    ? { error: `policy evaluation exceeded its memory budget of ${init.memoryBudget} (${err.message})`, budget: true }
    : { error: err.message };
}

function handle(req: PolicyRequest): PolicyResponse {
  const now = req.now;
  runner.beginBatch(now === undefined ? undefined : () => now);
  if (req.kind === "pr") {
    try {
      return { id: req.id, kind: "pr", result: runner.evaluatePr(req.pr, req.namespaces) };
    } catch (err) {
      if (!(err instanceof EvaluationError)) throw err;
      return { id: req.id, kind: "pr", ...reason(err) };
    }
  }
  const outcomes = req.files.map((f): FileOutcome => {
    try {
      return { raw: runner.evaluateFile(f.documents, req.namespaces, f.context) };
    } catch (err) {
      if (!(err instanceof EvaluationError)) throw err;
      return reason(err);
    }
  });
  return { id: req.id, kind: "files", outcomes };
}

parentPort!.on("message", (req: PolicyRequest) => parentPort!.postMessage(handle(req)));
parentPort!.postMessage({ ready: true });

/** Worker thread entry of the check pool (check-pool.ts): one engine, with its own wasm instance, per thread. */
import { parentPort, workerData } from "node:worker_threads";
import { Engine } from "../gate/engine.js";
import type { PoolRequest, PoolWorkerData } from "./check-pool.js";

const init = workerData as PoolWorkerData;
const engine = Engine.assemble(init.config, init.compiled, init.inputs);

parentPort!.on("message", (req: PoolRequest) => {
  const verdict = engine.check(req.environment, req.files, { now: () => init.now });
  parentPort!.postMessage({ id: req.id, verdict });
});

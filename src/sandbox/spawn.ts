import type { ResourceLimits, Worker } from "node:worker_threads";

export interface WorkerStart {
  workerData?: unknown;
  resourceLimits?: ResourceLimits;
}

/**
 * Starts the worker module `name` that sits next to the module whose `import.meta.url` is `base`. From dist/ that
 * is compiled JavaScript (`name.js`); from the TypeScript sources (ts-jest) it is `name.ts`, which plain Node cannot
 * load, so the thread first registers ts-loader.mjs (transpiles .ts, maps `.js` specifiers to `.ts`).
 */
export function startWorker(base: string, name: string, options: WorkerStart = {}): Worker {
  // node:worker_threads on first use (it loads node:net and more): a small CLI run starts no thread.
  const { Worker } = process.getBuiltinModule("node:worker_threads");
  if (!base.endsWith(".ts")) return new Worker(new URL(`./${name}.js`, base), options);
  const loader = new URL("./ts-loader.mjs", import.meta.url).href;
  const entry = new URL(`./${name}.ts`, base).href;
  const boot =
    `require("node:module").register(${JSON.stringify(loader)});` +
    `import(${JSON.stringify(entry)}).catch((e) => { setImmediate(() => { throw e; }); });`;
  return new Worker(boot, { ...options, eval: true });
}

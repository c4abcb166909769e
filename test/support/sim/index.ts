/**
 * A local GitHub API simulator: a real HTTP server on 127.0.0.1 with in-memory
 * repositories, validating every request against GitHub's OpenAPI description
 * and GraphQL schema. Used by the demo, end-to-end tests and the benchmark.
 */
import type { AddressInfo } from "node:net";
import { startServer } from "./server.js";
import { SimState } from "./state.js";
import type { Simulator, SimulatorOptions } from "./types.js";

export type * from "./types.js";
export { deliver, payloads, signPayload } from "./webhooks.js";

export async function createSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const state = new SimState(opts.appId ?? 4242, opts.appSlug ?? "stagegate");
  const server = await startServer(state, opts.latencyMs ?? 0);
  const { port } = server.address() as AddressInfo;
  state.url = `http://127.0.0.1:${port}`;
  return {
    url: state.url,
    appId: state.appId,
    violations: state.violations,
    get requests() {
      return state.requests;
    },
    resetRequests() {
      state.requests = [];
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
    createRepo: (fullName, o) => state.createRepo(fullName, o),
    repo: (fullName) => state.repos.get(fullName.toLowerCase()),
  };
}

/**
 * The real Stagegate server wired to the GitHub API simulator, with the sample
 * GitOps repository loaded: shared by `npm run demo`, the end-to-end test and
 * the API benchmark. No credentials, no network (everything on 127.0.0.1).
 */
import { generateKeyPairSync } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { createSimulator, deliver, type SimCheckRun, type SimRepo, type Simulator } from "../test/support/sim/index.js";
import { loadServer, type RunningServer } from "./product.js";

export const DEMO_SECRET = "stagegate-demo-webhook-secret";

export interface Stack {
  sim: Simulator;
  app: RunningServer;
  secret: string;
  /** Delivers a webhook signed with the app's secret, as GitHub does. */
  deliver(event: string, payload: object): Promise<{ status: number; body: string; deliveryId: string }>;
  close(): Promise<void>;
}

export interface StackOptions {
  /** Simulated GitHub API round trip. */
  latencyMs?: number;
  logLevel?: "trace" | "debug" | "info" | "warn" | "error" | "fatal";
  /** Run the start-up recovery scan (off by default: a fresh simulator has nothing left in progress). */
  recoverOnStart?: boolean;
  /** Checks start `in_progress` only after this long (the server's default: 1000 ms). */
  startAfterMs?: number;
}

/** Starts the simulator and the real app pointed at it (throwaway RSA key; the simulator accepts any app JWT). */
export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const { startServer } = await loadServer();
  const sim = await createSimulator({ latencyMs: opts.latencyMs ?? 0 });
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  let app: RunningServer;
  try {
    app = await startServer({
      port: 0,
      host: "127.0.0.1",
      appId: sim.appId,
      privateKey: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
      webhookSecret: DEMO_SECRET,
      baseUrl: sim.url,
      logLevel: opts.logLevel ?? "warn",
      recoverOnStart: opts.recoverOnStart ?? false,
      ...(opts.startAfterMs === undefined ? {} : { startAfterMs: opts.startAfterMs }),
      // Nothing of the caller's environment (a real GHE_HOST, REDIS_URL …) leaks into the stack.
      env: {},
    });
  } catch (err) {
    await sim.close();
    throw err;
  }
  return {
    sim,
    app,
    secret: DEMO_SECRET,
    deliver: (event, payload) => deliver(app.webhookUrl, event, payload, DEMO_SECRET),
    close: async () => {
      await app.close();
      await sim.close();
    },
  };
}

/** Directory of the sample repository (examples/gitops), from demo/ or its build in .build/demo. */
export function exampleDir(): string {
  const candidates = [
    fileURLToPath(new URL("../examples/gitops", import.meta.url)),
    fileURLToPath(new URL("../../examples/gitops", import.meta.url)),
    join(process.cwd(), "examples", "gitops"),
  ];
  const found = candidates.find((d) => existsSync(join(d, ".github", "stagegate.yml")));
  if (!found) throw new Error(`examples/gitops not found (looked in ${candidates.join(", ")})`);
  return found;
}

/** Every file of the sample repository, by repository path. */
export function exampleFiles(): Record<string, string> {
  const root = exampleDir();
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile()) out[relative(root, full).split("\\").join("/")] = readFileSync(full, "utf8");
    }
  };
  walk(root);
  return out;
}

/** The newest run of each name on a commit (GitHub and branch protection use the latest). */
export function latestRuns(repo: SimRepo, sha: string): Map<string, SimCheckRun> {
  const out = new Map<string, SimCheckRun>();
  for (const run of repo.checkRuns(sha)) {
    const prev = out.get(run.name);
    if (!prev || run.id > prev.id) out.set(run.name, run);
  }
  return out;
}

/**
 * Polls the simulator until the named checks on `sha` are completed. Bounded
 * by a number of attempts, not a deadline assertion; throws saying what is
 * still missing.
 */
export async function waitForChecks(
  repo: SimRepo,
  sha: string,
  names: string[],
  opts: { attempts?: number; intervalMs?: number } = {},
): Promise<Map<string, SimCheckRun>> {
  const attempts = opts.attempts ?? 4800; // ~2 min at 25 ms: room for a cold policy compile on a loaded machine
  const interval = opts.intervalMs ?? 25;
  for (let i = 0; i < attempts; i++) {
    const runs = latestRuns(repo, sha);
    if (names.every((n) => runs.get(n)?.status === "completed")) return runs;
    await new Promise((r) => setTimeout(r, interval));
  }
  const runs = latestRuns(repo, sha);
  const state = names.map((n) => `${n}: ${runs.get(n)?.status ?? "absent"}`).join(", ");
  throw new Error(`checks on ${sha.slice(0, 7)} did not complete (${state})`);
}

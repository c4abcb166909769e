/**
 * Issue 13, in-process (no REDIS_URL): the real server answers a verified delivery at once and does its work in
 * the background, still as work in hand (a graceful shutdown waits for it). GitHub is the simulator behind a gate
 * that holds every request until opened, so "answered before the work has posted anything" is a fact of ordering,
 * not of timing.
 */
import { generateKeyPairSync } from "node:crypto";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { waitForChecks } from "../../demo/harness.js";
import { baseFiles, WEB, webViolating } from "../../demo/story.js";
import { INTERRUPTED_TITLE } from "../../src/pipeline/shutdown.js";
import { startServer, type RunningServer } from "../../src/server.js";
import { createSimulator, deliver, payloads, type Simulator, type SimRepo } from "../support/sim/index.js";
import { PROD, SLOW, STAGING } from "./stack.js";

const SECRET = "ack-test-secret";
const pem = generateKeyPairSync("rsa", { modulusLength: 2048 })
  .privateKey.export({ type: "pkcs1", format: "pem" })
  .toString();

/** A proxy in front of the simulator that holds every request until `open()`. */
interface Gate {
  url: string;
  /** Requests that arrived while closed. */
  held(): number;
  open(): void;
  /** Rejects when a request could not be forwarded: the test stops there, with the cause. */
  failed: Promise<never>;
  close(): Promise<void>;
}

async function gateTo(target: string): Promise<Gate> {
  let opened = false;
  let held = 0;
  const waiting: Array<() => void> = [];
  let fail!: (err: Error) => void;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  failed.catch(() => {}); // not unhandled when no test is waiting on it
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const forward = () => {
        const headers = { ...req.headers };
        delete headers.host;
        delete headers.connection;
        const out = request(new URL(req.url ?? "/", target), { method: req.method, headers }, (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        });
        out.on("error", (err) => {
          fail(new Error(`the gate could not forward ${req.method} ${req.url} to the simulator: ${String(err)}`));
          res.writeHead(502).end(String(err));
        });
        out.end(Buffer.concat(chunks));
      };
      if (opened) return forward();
      held += 1;
      waiting.push(forward);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    held: () => held,
    open: () => {
      opened = true;
      for (const f of waiting.splice(0)) f();
    },
    failed,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Polls (nothing timed is asserted) until `done()` holds. */
async function until(done: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 12_000; i++) {
    if (await done()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`gave up waiting for ${what}`);
}

interface Setup {
  sim: Simulator;
  gate: Gate;
  app: RunningServer;
  repo: SimRepo;
  sha: string;
  payload: object;
}

let seq = 0;
async function setUp(): Promise<Setup> {
  const sim = await createSimulator();
  const gate = await gateTo(sim.url);
  seq += 1;
  const repo = sim.createRepo(`acme/ack-${seq}`, { files: baseFiles(), installationId: 400 + seq });
  repo.createBranch("change", "main");
  repo.commit("change", { [WEB]: webViolating() }, { message: "change", author: "alice" });
  const pr = repo.openPullRequest({ head: "change", base: "main", title: "change", author: "alice" });
  const app = await startServer({
    port: 0,
    host: "127.0.0.1",
    appId: sim.appId,
    privateKey: pem,
    webhookSecret: SECRET,
    baseUrl: gate.url,
    logLevel: "fatal",
    recoverOnStart: false,
    // In-process: no REDIS_URL (nor anything else of the caller's environment).
    env: {},
  });
  return { sim, gate, app, repo, sha: pr.headSha, payload: payloads.pullRequest(repo, pr.number, "opened") };
}

async function inFlight(app: RunningServer): Promise<{ phase: string; inFlight: number }> {
  return (await fetch(`${app.url}/live`)).json() as Promise<{ phase: string; inFlight: number }>;
}

describe("in-process webhook answers", () => {
  test(
    "a verified delivery is answered before its work has posted anything; the work then completes",
    async () => {
      const { sim, gate, app, repo, sha, payload } = await setUp();
      try {
        // A wrong signature still gets its error, and nothing of it reaches GitHub.
        const forged = await deliver(app.webhookUrl, "pull_request", payload, "not-the-secret");
        expect(forged.status).toBe(400);

        const res = await deliver(app.webhookUrl, "pull_request", payload, SECRET);
        expect(res.status).toBe(202);
        expect(JSON.parse(res.body)).toEqual({ message: "accepted", deliveryId: res.deliveryId });
        // Answered while GitHub has answered nothing: no check run exists yet, and the work is in hand.
        expect(repo.checkRuns()).toEqual([]);
        expect(sim.requests).toEqual([]);
        expect((await inFlight(app)).inFlight).toBeGreaterThan(0);
        // The work goes on after the answer: it reaches GitHub (and waits at the gate).
        await until(() => gate.held() > 0, "the delivery's work to ask GitHub");

        gate.open();
        const runs = await Promise.race([waitForChecks(repo, sha, [PROD, STAGING]), gate.failed]);
        expect(runs.get(PROD)!.conclusion).toBe("failure");
        expect(runs.get(STAGING)!.conclusion).toBe("success");
        await until(async () => (await inFlight(app)).inFlight === 0, "no work in hand");
        expect(sim.violations).toEqual([]);
      } finally {
        await app.close();
        await gate.close();
        await sim.close();
      }
    },
    SLOW,
  );

  test(
    "a graceful shutdown waits for work whose delivery was already answered",
    async () => {
      const { sim, gate, app, repo, sha, payload } = await setUp();
      try {
        const res = await deliver(app.webhookUrl, "pull_request", payload, SECRET);
        expect(res.status).toBe(202);
        await until(() => gate.held() > 0, "the delivery's work to ask GitHub");

        const stopping = app.shutdown(120_000);
        expect(await inFlight(app)).toMatchObject({ phase: "draining" });
        expect(repo.checkRuns()).toEqual([]);
        gate.open();
        await expect(Promise.race([stopping, gate.failed])).resolves.toEqual({ finished: true, interrupted: 0 });
        // Finished within the grace period: the real verdict, nothing left in progress or interrupted.
        const runs = await waitForChecks(repo, sha, [PROD, STAGING], { attempts: 1 });
        expect(runs.get(PROD)!.conclusion).toBe("failure");
        expect(runs.get(PROD)!.output.title).not.toBe(INTERRUPTED_TITLE);
        expect(repo.checkRuns().filter((r) => r.status !== "completed")).toEqual([]);
        expect(sim.violations).toEqual([]);
      } finally {
        await gate.close();
        await sim.close();
      }
    },
    SLOW,
  );
});

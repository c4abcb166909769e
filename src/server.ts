/**
 * The production entry (`npm start` → `node dist/server.js`): Stagegate's
 * Probot app behind a plain Node HTTP server. `startServer()` is also what the
 * demo and the end-to-end test run against the GitHub API simulator.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { existsSync, realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createNodeMiddleware, createProbot } from "probot";
import { withRuntime } from "./app.js";
import { clientOverrides } from "./github/client-class.js";
import { createRuntime } from "./pipeline/runtime.js";
import { graceFromEnv, shutdown } from "./pipeline/shutdown.js";
import { closeWorkQueues } from "./queue/index.js";
import { webhookIntake } from "./queue/webhook-intake.js";

type LogLevel = "trace" | "debug" | "info" | "warn" | "error" | "fatal";

export interface ServerOptions {
  /** Default: PORT, else 3000. 0 picks a free port. */
  port?: number;
  /** Default: HOST, else localhost (the Docker image sets 0.0.0.0). */
  host?: string;
  /** Default: APP_ID. */
  appId?: number | string;
  /** PEM. Default: PRIVATE_KEY or PRIVATE_KEY_PATH (read by Probot). */
  privateKey?: string;
  /** Default: WEBHOOK_SECRET. Required: deliveries are verified with it. */
  webhookSecret?: string;
  /** GitHub API root. Default: https://api.github.com, or GHE_PROTOCOL://GHE_HOST/api/v3. */
  baseUrl?: string;
  /** Default: LOG_LEVEL, else info. */
  logLevel?: LogLevel;
  /** Default: WEBHOOK_PATH, else /api/github/webhooks. */
  webhookPath?: string;
  /** In-flight evaluations get this long after SIGTERM. Default: STAGEGATE_SHUTDOWN_GRACE_SECONDS, else 25 s. */
  shutdownGraceMs?: number;
  /**
   * On start, complete and re-evaluate the check runs an earlier process left in progress.
   * Default: true unless STAGEGATE_RECOVER_ON_START=false.
   */
  recoverOnStart?: boolean;
  /** Runs start `in_progress` only if the evaluation takes longer. Default: STAGEGATE_START_AFTER_MS, else 1000. */
  startAfterMs?: number;
  /** Where the defaults come from; process.env unless given. */
  env?: NodeJS.ProcessEnv;
}

export interface RunningServer {
  /** http://host:port of the server. */
  url: string;
  /** Where GitHub delivers webhooks. */
  webhookUrl: string;
  /** Settles when the start-up recovery has run (at once when it is off). */
  recovered: Promise<{ repositories: number; pulls: number; runs: number } | undefined>;
  /**
   * Graceful stop: `/ready` turns false and webhooks are refused (503), in-flight evaluations get the grace
   * period, check runs still in progress are completed as failures inviting a re-run, then the port closes.
   */
  shutdown(graceMs?: number): Promise<{ finished: boolean; interrupted: number }>;
  /** Closes the port at once (tests); in-flight work is not waited for. */
  close(): Promise<void>;
}

const LEVELS = new Set(["trace", "debug", "info", "warn", "error", "fatal", "silent"]);

/** Starts the app; rejects with every missing setting named when it cannot run safely. */
export async function startServer(opts: ServerOptions = {}): Promise<RunningServer> {
  const env = opts.env ?? process.env;
  const port = opts.port ?? parsePort(env.PORT);
  const host = opts.host ?? (env.HOST || "localhost");
  const webhookPath = opts.webhookPath ?? (env.WEBHOOK_PATH || "/api/github/webhooks");
  const logLevel = opts.logLevel ?? parseLevel(env.LOG_LEVEL);
  const graceMs = opts.shutdownGraceMs ?? graceFromEnv(env.STAGEGATE_SHUTDOWN_GRACE_SECONDS);
  const recoverOnStart = opts.recoverOnStart ?? env.STAGEGATE_RECOVER_ON_START !== "false";
  const startedAtMs = Date.now();

  const secret = opts.webhookSecret ?? env.WEBHOOK_SECRET;
  const appId = Number(opts.appId ?? env.APP_ID);
  const missing = [
    !Number.isInteger(appId) || appId <= 0 ? "APP_ID (the GitHub App's numeric id)" : "",
    !opts.privateKey && !env.PRIVATE_KEY && !env.PRIVATE_KEY_PATH
      ? "PRIVATE_KEY or PRIVATE_KEY_PATH (the App's PEM key)"
      : "",
    // Probot would fall back to the public "development" secret: refuse instead.
    !secret ? "WEBHOOK_SECRET (the App's webhook secret; deliveries are verified with it)" : "",
  ].filter(Boolean);
  if (missing.length) throw new Error(`Stagegate cannot start; set ${missing.join(", ")}. See .env.example.`);

  // createProbot reads PRIVATE_KEY / PRIVATE_KEY_PATH, GHE_HOST, REDIS_URL, LOG_FORMAT …; explicit options win.
  const overrides: Record<string, unknown> = { webhookPath };
  if (opts.appId !== undefined) overrides.appId = Number(opts.appId);
  if (opts.privateKey !== undefined) overrides.privateKey = opts.privateKey;
  if (opts.webhookSecret !== undefined) overrides.secret = opts.webhookSecret;
  if (opts.baseUrl !== undefined) overrides.baseUrl = opts.baseUrl;
  if (logLevel) overrides.logLevel = logLevel;
  // A check that evaluates within a second is created completed: one write instead of two.
  const runtime = createRuntime({ startAfterMs: opts.startAfterMs ?? msFromEnv(env.STAGEGATE_START_AFTER_MS, 1000) });
  // Requests counted for /metrics; reads never queued behind writes, which are paced across replicas with REDIS_URL.
  const redis = env.REDIS_URL ? { url: env.REDIS_URL, prefix: env.STAGEGATE_REDIS_PREFIX } : undefined;
  Object.assign(overrides, clientOverrides(runtime.metrics.github, { sharedThrottle: Boolean(redis), redis }));
  const probot = createProbot({ env, overrides });

  const middleware = await createNodeMiddleware(withRuntime(runtime), { probot, webhooksPath: webhookPath });
  const { lifecycle } = runtime;
  // In-process, a delivery is answered once verified and its work goes on in the background; with Redis, Probot's
  // middleware answers once the work is enqueued (durably: a crash after the answer loses nothing).
  const intake = redis ? undefined : webhookIntake(probot, lifecycle);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method === "GET" && PLAIN_ROUTES.has(path)) {
      if (path === "/metrics") {
        runtime.metrics.registry.metrics().then(
          (text) => res.writeHead(200, { "content-type": runtime.metrics.registry.contentType }).end(text),
          () => res.writeHead(500).end(),
        );
        return;
      }
      if (path === "/ping" || path === "/healthz") {
        // Probot's own liveness answer, kept for existing probes.
        res.writeHead(200, { "content-type": "text/plain" }).end("PONG");
        return;
      }
      // Ready: this replica takes webhooks. Live: the process answers; true while draining
      // too, so an orchestrator does not kill it during its grace period.
      const ok = path !== "/ready" || lifecycle.phase === "ready";
      res.writeHead(ok ? 200 : 503, { "content-type": "application/json" });
      res.end(
        JSON.stringify({ status: ok ? "ok" : "unavailable", phase: lifecycle.phase, inFlight: lifecycle.inFlight }),
      );
      return;
    }
    if (req.method === "POST" && path === webhookPath && !lifecycle.accepting) {
      // Stopping: no new work. GitHub does not redeliver on its own; the delivery shows as failed in the app's
      // "Recent Deliveries" and can be redelivered, and a load balancer following /ready has moved traffic away.
      probot.log.warn({ deliveryId: req.headers["x-github-delivery"] }, "webhook refused: shutting down");
      res.writeHead(503, { "content-type": "application/json", "retry-after": "10" });
      res.end(JSON.stringify({ message: "Stagegate is shutting down; redeliver to another replica" }));
      return;
    }
    if (req.method === "POST" && path === webhookPath && intake) {
      intake(req, res).catch((err: unknown) => {
        probot.log.error({ err }, "webhook intake failed");
        if (!res.headersSent) res.writeHead(500).end();
      });
      return;
    }
    // A delivery being handled is work in hand: a graceful shutdown waits for its answer too.
    if (req.method === "POST") lifecycle.track(new Promise<void>((resolve) => res.once("close", resolve)));
    Promise.resolve(
      middleware(req, res, () => {
        res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ message: "Not Found" }));
      }),
    ).catch((err: unknown) => {
      probot.log.error({ err }, "request failed");
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port: bound } = server.address() as AddressInfo;
  const shown = host === "0.0.0.0" || host === "::" ? "localhost" : host.includes(":") ? `[${host}]` : host;
  const url = `http://${shown}:${bound}`;
  probot.log.info({ url, webhookPath }, "Stagegate listening");
  lifecycle.markReady();
  const recovered = recoverOnStart
    ? runtime.recover!(startedAtMs).then(
        (found) => {
          if (found.runs > 0) probot.log.info(found, "recovered check runs left in progress");
          return found;
        },
        (err: unknown) => {
          probot.log.error({ err }, "start-up recovery failed");
          return undefined;
        },
      )
    : Promise.resolve(undefined);
  // Graceful: answers in progress are sent first (idle keep-alive connections are closed at once).
  const closePort = (graceful: boolean) =>
    new Promise<void>((resolve, reject) => {
      server.close((err) => (err ? reject(err) : resolve()));
      if (graceful) server.closeIdleConnections();
      else server.closeAllConnections();
    });
  return {
    url,
    webhookUrl: `${url}${webhookPath}`,
    recovered,
    shutdown: async (grace = graceMs) => {
      // With Redis: stop taking jobs and let running ones finish (what is left is retried by another replica).
      const queues = closeWorkQueues().catch((err: unknown) => probot.log.error({ err }, "closing the work queue"));
      const result = await shutdown(runtime, grace, probot.log);
      await Promise.race([queues, new Promise((r) => setTimeout(r, 1000).unref())]);
      await closePort(result.finished);
      return result;
    },
    close: async () => {
      runtime.stop();
      lifecycle.markStopped();
      await closePort(false);
    },
  };
}

const PLAIN_ROUTES = new Set(["/ping", "/healthz", "/live", "/ready", "/metrics"]);

function parsePort(value: string | undefined): number {
  if (!value) return 3000;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new Error(`PORT must be an integer from 0 to 65535, got "${value}"`);
  return n;
}

function msFromEnv(value: string | undefined, fallback: number): number {
  if (!value) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0)
    throw new Error(`STAGEGATE_START_AFTER_MS must be milliseconds >= 0, got "${value}"`);
  return n;
}

function parseLevel(value: string | undefined): LogLevel | undefined {
  if (!value) return "info";
  if (!LEVELS.has(value)) throw new Error(`LOG_LEVEL must be one of ${[...LEVELS].join(", ")}, got "${value}"`);
  return value === "silent" ? ("silent" as LogLevel) : (value as LogLevel);
}

function isEntry(): boolean {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntry()) {
  // Probot's convention (and .env.example's): settings in ./.env; variables already set win.
  if (existsSync(".env")) process.loadEnvFile(".env");
  startServer()
    .then((running) => {
      const stop = (signal: string) => {
        process.stderr.write(`Stagegate: ${signal} received, finishing in-flight evaluations\n`);
        running.shutdown().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once("SIGTERM", () => stop("SIGTERM"));
      process.once("SIGINT", () => stop("SIGINT"));
    })
    .catch((err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    });
}

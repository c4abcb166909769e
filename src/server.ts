/**
 * The production entry (`npm start` → `node dist/server.js`): Stagegate's
 * Probot app behind a plain Node HTTP server. `startServer()` is also what the
 * demo and the end-to-end test run against the GitHub API simulator.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createNodeMiddleware, createProbot } from "probot";
import stagegate from "./app.js";

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
  /** Where the defaults come from; process.env unless given. */
  env?: NodeJS.ProcessEnv;
}

export interface RunningServer {
  /** http://host:port of the server. */
  url: string;
  /** Where GitHub delivers webhooks. */
  webhookUrl: string;
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
  const probot = createProbot({ env, overrides });

  const middleware = await createNodeMiddleware(stagegate, { probot, webhooksPath: webhookPath });
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    // Liveness for Docker/Kubernetes probes, as Probot's own server offers.
    if (req.method === "GET" && (req.url === "/ping" || req.url === "/healthz")) {
      res.writeHead(200, { "content-type": "text/plain" }).end("PONG");
      return;
    }
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
  return {
    url,
    webhookUrl: `${url}${webhookPath}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function parsePort(value: string | undefined): number {
  if (!value) return 3000;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new Error(`PORT must be an integer from 0 to 65535, got "${value}"`);
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
  startServer()
    .then((running) => {
      const stop = (signal: string) => {
        process.stderr.write(`Stagegate: ${signal} received, closing\n`);
        running.close().then(
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

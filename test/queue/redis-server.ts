/**
 * A real redis-server for a suite, on a free port, with nothing persisted.
 * The binary comes from PATH (the Debian package `redis-server`; `.ci/run` installs it when missing).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { Redis } from "ioredis";

export interface RedisServer {
  url: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export async function startRedis(): Promise<RedisServer> {
  if (spawnSync("redis-server", ["--version"]).error) {
    throw new Error(
      "redis-server is not on PATH: the queue tests start a real Redis. Install it with " +
        "`apt-get install -y redis-server` (.ci/run installs it when missing).",
    );
  }
  const port = await freePort();
  const child: ChildProcess = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: "ignore" },
  );
  const url = `redis://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  // Ready once it answers PING; ioredis retries the connection while the server starts.
  const probe = new Redis(url, { maxRetriesPerRequest: 50, retryStrategy: () => 50 });
  try {
    await probe.ping();
  } finally {
    probe.disconnect();
  }
  return {
    url,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

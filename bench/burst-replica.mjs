// One Stagegate replica for the burst benchmarks, in its own process so its
// memory is its own: the real server (dist/) pointed at the simulator the
// parent runs. Settings come from the environment the parent gives it
// (REDIS_URL included, read by Probot and by the work queue as in production).
// Messages: "rss" (after a full GC when --expose-gc) and "stop".
// BENCH_SERVER: another build of the product (default: this checkout's dist/).
const { startServer } = await import(process.env.BENCH_SERVER ?? new URL("../dist/server.js", import.meta.url).href);

const app = await startServer({
  port: 0,
  host: "127.0.0.1",
  appId: Number(process.env.BENCH_APP_ID),
  privateKey: process.env.BENCH_PRIVATE_KEY,
  webhookSecret: process.env.BENCH_WEBHOOK_SECRET,
  baseUrl: process.env.BENCH_SIM_URL,
  logLevel: process.env.BENCH_LOG_LEVEL || "fatal",
  recoverOnStart: false,
});

process.on("message", async (msg) => {
  if (msg === "rss") {
    if (globalThis.gc) {
      globalThis.gc();
      await new Promise((r) => setImmediate(r));
      globalThis.gc();
    }
    process.send({ rss: process.memoryUsage().rss });
  } else if (msg === "stop") {
    await app.shutdown(5_000).catch(() => {});
    process.exit(0);
  }
});
process.send({ webhookUrl: app.webhookUrl });

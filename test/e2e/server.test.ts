/** The production entry's settings and its plain HTTP routes (no GitHub involved). */
import { generateKeyPairSync } from "node:crypto";
import { startServer } from "../../src/server.js";

const pem = generateKeyPairSync("rsa", { modulusLength: 2048 })
  .privateKey.export({ type: "pkcs1", format: "pem" })
  .toString();

describe("startServer", () => {
  test("refuses to start without app id, key and webhook secret, naming each", async () => {
    await expect(startServer({ env: {}, port: 0 })).rejects.toThrow(
      /APP_ID.*PRIVATE_KEY or PRIVATE_KEY_PATH.*WEBHOOK_SECRET/,
    );
    await expect(startServer({ env: { APP_ID: "12", PRIVATE_KEY: pem }, port: 0 })).rejects.toThrow(
      /^Stagegate cannot start; set WEBHOOK_SECRET/,
    );
    await expect(
      startServer({ env: { APP_ID: "12", PRIVATE_KEY: pem, WEBHOOK_SECRET: "s", PORT: "http" } }),
    ).rejects.toThrow(/PORT must be an integer/);
    await expect(
      startServer({
        env: { APP_ID: "12", PRIVATE_KEY: pem, WEBHOOK_SECRET: "s", LOG_LEVEL: "loud" } as unknown as NodeJS.ProcessEnv,
        port: 0,
      }),
    ).rejects.toThrow(/LOG_LEVEL must be one of/);
  });

  test("reads the standard environment; answers /ping, rejects GET on the webhook path and unknown paths", async () => {
    const env: NodeJS.ProcessEnv = {
      APP_ID: "12",
      PRIVATE_KEY: pem,
      WEBHOOK_SECRET: "s",
      PORT: "0",
      HOST: "127.0.0.1",
      LOG_LEVEL: "fatal",
      WEBHOOK_PATH: "/hooks",
      // No GitHub here: the start-up scan of check runs left in progress would ask api.github.com.
      STAGEGATE_RECOVER_ON_START: "false",
    };
    const app = await startServer({ env });
    try {
      expect(app.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(app.webhookUrl).toBe(`${app.url}/hooks`);
      const ping = await fetch(`${app.url}/ping`);
      expect(ping.status).toBe(200);
      expect(await ping.text()).toBe("PONG");
      expect((await fetch(app.webhookUrl)).status).toBe(404);
      expect((await fetch(`${app.url}/nope`)).status).toBe(404);
      const noJson = await fetch(app.webhookUrl, {
        method: "POST",
        headers: { "content-type": "text/plain" },
        body: "x",
      });
      expect(noJson.status).toBe(415);
    } finally {
      await app.close();
    }
  });
});

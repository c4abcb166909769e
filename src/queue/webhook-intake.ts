import type { IncomingMessage, ServerResponse } from "node:http";
import type { Probot } from "probot";
import type { Lifecycle } from "../pipeline/lifecycle.js";

/** GitHub caps a webhook payload at 25 MB; anything larger is not a delivery. */
const MAX_BODY_BYTES = 25 * 2 ** 20;
const REQUIRED = ["x-github-event", "x-hub-signature-256", "x-github-delivery"] as const;

/**
 * The in-process webhook intake: a delivery is verified (its signature against the webhook secret), answered
 * 202 at once, and handed to the app in the background as in-flight work, which a graceful shutdown waits for
 * and `/ready`'s `inFlight` counts. GitHub gives a delivery 10 s; without a shared queue the work behind one
 * (an evaluation waiting for GitHub's pacing) can take much longer, so the answer must not wait for it. A
 * delivery that fails verification gets its error status and reaches no handler.
 */
export function webhookIntake(probot: Probot, lifecycle: Lifecycle) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const answer = (status: number, body: object): void =>
      void res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (!/^\s*application\/json\s*(?:;|$)/.test(req.headers["content-type"] ?? "")) {
      req.resume();
      return answer(415, { error: 'Unsupported "Content-Type" header value. Must be "application/json"' });
    }
    const missing = REQUIRED.filter((h) => typeof req.headers[h] !== "string");
    if (missing.length > 0) {
      req.resume();
      return answer(400, { error: `Required headers missing: ${missing.join(", ")}` });
    }
    const name = req.headers["x-github-event"] as string;
    const id = req.headers["x-github-delivery"] as string;
    const body = await readBody(req);
    if (body === undefined) return answer(413, { error: `Payload over ${MAX_BODY_BYTES} bytes` });
    const signature = req.headers["x-hub-signature-256"] as string;
    const verified = await probot.webhooks.verify(body, signature).catch(() => false);
    if (!verified) {
      probot.log.warn({ deliveryId: id, event: name }, "webhook refused: signature does not match");
      return answer(400, { error: "signature does not match event payload and secret" });
    }
    let payload: unknown;
    try {
      payload = JSON.parse(body);
    } catch {
      return answer(400, { error: "Error: Invalid JSON" });
    }
    if (!lifecycle.accepting) {
      // A shutdown began while the body was read: refused as the server refuses a delivery that arrives then.
      res.writeHead(503, { "content-type": "application/json", "retry-after": "10" });
      return void res.end(JSON.stringify({ message: "Stagegate is shutting down; redeliver to another replica" }));
    }
    // Tracked before the answer goes out: a shutdown that begins meanwhile still waits for this work.
    const work = lifecycle.track(probot.receive({ id, name, payload } as Parameters<Probot["receive"]>[0]));
    // Handlers log their own failures; what escapes them is logged here with the delivery.
    work.catch((err: unknown) => probot.log.error({ err, deliveryId: id, event: name }, "webhook failed"));
    answer(202, { message: "accepted", deliveryId: id });
  };
}

/** The request body as text; undefined past the size cap (the rest is discarded). */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.once("error", reject);
    req.once("end", () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString("utf8")));
  });
}

/**
 * Probot's throttling queues GraphQL reads with writes, one a second; the server's client class lets reads go at
 * once while writes stay a second apart. Observed as the order in which GitHub (the simulator) receives them.
 */
import { generateKeyPairSync } from "node:crypto";
import { pino } from "pino";
import { Probot } from "probot";
import { clientClass } from "../../src/github/client-class.js";
import { useNock } from "../handlers/harness.js";
import { productionRepo } from "../handlers/scenarios.js";

useNock();

const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});

test("GraphQL reads submitted behind three writes do not wait for them; the writes stay one at a time", async () => {
  const fx = productionRepo();
  const probot = new Probot({
    appId: fx.appId,
    privateKey,
    log: pino({ level: "silent" }),
    Octokit: clientClass(undefined, { sharedThrottle: false }),
  });
  const gh = await probot.auth(fx.installationId);
  const query = "query($owner: String!, $repo: String!) { repository(owner: $owner, name: $repo) { id } }";
  const writes = [1, 2, 3].map((i) =>
    gh.rest.checks.create({ owner: fx.owner, repo: fx.repo, name: `w${i}`, head_sha: fx.sha.head }),
  );
  const reads = [1, 2, 3].map(() => gh.graphql(query, { owner: fx.owner, repo: fx.repo }));
  await Promise.all([...writes, ...reads]);

  const order = fx.requests.filter((r) => r.startsWith("POST /graphql") || r.includes("/check-runs"));
  const writeAt = order.map((r, i) => (r.includes("/check-runs") ? i : -1)).filter((i) => i >= 0);
  const lastRead = order.map((r) => r.startsWith("POST /graphql")).lastIndexOf(true);
  expect(writeAt).toHaveLength(3);
  // Every read reached GitHub before the second write (Probot's default sends them after all three).
  expect(lastRead).toBeLessThan(writeAt[1]);
  expect(fx.created.map((c) => c.name)).toEqual(["w1", "w2", "w3"]);
});

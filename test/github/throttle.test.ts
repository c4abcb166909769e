/**
 * Probot's throttling queues GraphQL reads with writes, one a second; the server's client class lets reads go at
 * once while writes stay a second apart. Observed as the order in which GitHub (the simulator) receives them.
 */
import { generateKeyPairSync } from "node:crypto";
import { pino } from "pino";
import { Probot } from "probot";
import { clientClass } from "../../src/github/client-class.js";
import { readsFirstThrottle } from "../../src/github/throttle.js";
import { closePacers, DEFAULT_PACE, type WritePace } from "../../src/github/shared-pacing.js";
import { startRedis } from "../queue/redis-server.js";
import { useNock } from "../handlers/harness.js";
import { productionRepo } from "../handlers/scenarios.js";

useNock();

// A second between every write, so the order of arrivals shows what waited.
const strict: WritePace = { ...DEFAULT_PACE, burst: 0 };

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
    Octokit: clientClass(undefined, { sharedThrottle: false, pace: strict }),
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

test("replicas sharing Redis pace their writes together (a second apart across both); reads do not wait", async () => {
  const redis = await startRedis();
  try {
    const fx = productionRepo();
    const arrivals: Array<{ what: string; at: number }> = [];
    fx.override = (method, path) => {
      arrivals.push({ what: `${method} ${path}`, at: Date.now() });
      return undefined;
    };
    const opts = { sharedThrottle: true, redis: { url: redis.url, prefix: "pacing-test" }, pace: strict };
    const replica = () =>
      new Probot({
        appId: fx.appId,
        privateKey,
        log: pino({ level: "silent" }),
        Octokit: clientClass(undefined, opts),
      });
    const [a, b] = await Promise.all([replica().auth(fx.installationId), replica().auth(fx.installationId)]);
    const query = "query($owner: String!, $repo: String!) { repository(owner: $owner, name: $repo) { id } }";
    const write = (gh: typeof a, i: number) =>
      gh.rest.checks.create({ owner: fx.owner, repo: fx.repo, name: `w${i}`, head_sha: fx.sha.head });
    const writes = [write(a, 1), write(b, 2), write(a, 3), write(b, 4)];
    const read = b.graphql(query, { owner: fx.owner, repo: fx.repo });
    await Promise.all([...writes, read]);

    const order = arrivals.filter((r) => r.what === "POST /graphql" || r.what.endsWith("/check-runs"));
    const writeAt = order.filter((r) => r.what.endsWith("/check-runs")).map((r) => r.at);
    expect(writeAt).toHaveLength(4);
    // The read reached GitHub before the second write.
    expect(order.findIndex((r) => r.what === "POST /graphql")).toBeLessThan(2);
    // Slots a second apart on Redis's clock, whichever replica wrote (arrival allows for jitter in transit;
    // unshared, each replica's first write would arrive together).
    for (let i = 1; i < writeAt.length; i++) expect(writeAt[i] - writeAt[i - 1]).toBeGreaterThanOrEqual(800);
  } finally {
    closePacers();
    await redis.stop();
  }
}, 30_000);

test("replicas sharing Redis share one burst allowance, then one write a second", async () => {
  const redis = await startRedis();
  try {
    const fx = productionRepo();
    const writeAt: number[] = [];
    fx.override = (method, path) => {
      if (method === "POST" && path.endsWith("/check-runs")) writeAt.push(Date.now());
      return undefined;
    };
    const pace: WritePace = { intervalMs: 1000, burst: 3, gapMs: 100 };
    const opts = { sharedThrottle: true, redis: { url: redis.url, prefix: "burst-test" }, pace };
    const replica = () =>
      new Probot({
        appId: fx.appId,
        privateKey,
        log: pino({ level: "silent" }),
        Octokit: clientClass(undefined, opts),
      });
    const [a, b] = await Promise.all([replica().auth(fx.installationId), replica().auth(fx.installationId)]);
    const write = (gh: typeof a, i: number) =>
      gh.rest.checks.create({ owner: fx.owner, repo: fx.repo, name: `w${i}`, head_sha: fx.sha.head });
    // A read on each first: tokens fetched and modules loaded, so no first-request stall bunches the writes.
    await Promise.all([a, b].map((gh) => gh.rest.repos.get({ owner: fx.owner, repo: fx.repo })));
    await Promise.all([write(a, 1), write(b, 2), write(a, 3), write(b, 4), write(a, 5)]);

    expect(writeAt).toHaveLength(5);
    // Three share the burst (a gap apart); the fourth and fifth wait for the sustained pace, whichever replica.
    for (let i = 1; i < 3; i++) expect(writeAt[i] - writeAt[i - 1]).toBeGreaterThanOrEqual(60);
    expect(writeAt[3] - writeAt[0]).toBeGreaterThanOrEqual(800);
    expect(writeAt[4] - writeAt[3]).toBeGreaterThanOrEqual(800);
  } finally {
    closePacers();
    await redis.stop();
  }
}, 30_000);

test("writes are paced per installation: one installation's writes do not hold up another's", async () => {
  const { global } = readsFirstThrottle().groups;
  const order: string[] = [];
  const write = (installation: string, name: string) =>
    global.key(installation).schedule({}, async () => void order.push(name), { method: "POST", url: "/repos/a/b/x" });
  await Promise.all([write("1", "1a"), write("1", "1b"), write("2", "2a")]);
  expect(order).toEqual(["1a", "2a", "1b"]);
});

test("a secondary rate limit holds the installation's writes as long as GitHub asks, then the write is retried", async () => {
  const fx = productionRepo();
  const writeAt: Array<{ name: string; at: number; limited: boolean }> = [];
  let limited = 0;
  fx.override = (method, path, body) => {
    if (method !== "POST" || !path.endsWith("/check-runs")) return undefined;
    const name = String((body as { name?: string }).name);
    const limit = name === "w1" && limited++ === 0;
    writeAt.push({ name, at: Date.now(), limited: limit });
    return limit ? [403, { message: "You have exceeded a secondary rate limit." }, { "retry-after": "2" }] : undefined;
  };
  const probot = new Probot({
    appId: fx.appId,
    privateKey,
    log: pino({ level: "silent" }),
    Octokit: clientClass(undefined, { sharedThrottle: false }),
  });
  const gh = await probot.auth(fx.installationId);
  const write = (name: string) =>
    gh.rest.checks.create({ owner: fx.owner, repo: fx.repo, name, head_sha: fx.sha.head });
  await write("w1");
  await write("w2");

  expect(writeAt.map((w) => `${w.name}${w.limited ? " (limited)" : ""}`)).toEqual(["w1 (limited)", "w1", "w2"]);
  expect(fx.created.map((c) => c.name)).toEqual(["w1", "w2"]);
  // The retry waited GitHub's two seconds; the next write kept the sustained pace, not the burst's quarter second.
  expect(writeAt[1].at - writeAt[0].at).toBeGreaterThanOrEqual(1_900);
  expect(writeAt[2].at - writeAt[1].at).toBeGreaterThanOrEqual(900);
}, 30_000);

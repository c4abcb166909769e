/**
 * Probot with the real app, its octokit answered through nock (Probot's documented test pattern) by the GitHub
 * simulator in-process: every request is validated against GitHub's OpenAPI description and GraphQL schema.
 */
import { generateKeyPairSync } from "node:crypto";
import { Writable } from "node:stream";
import nock from "nock";
import { pino } from "pino";
import { Probot, ProbotOctokit } from "probot";
import stagegate from "../../src/app.js";
import type { SimGitHub } from "../support/github.js";
import { productionRepo } from "./scenarios.js";

// The app recognises its own check runs by APP_ID instead of asking GET /app.
process.env.APP_ID = "123";

const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});

export interface Harness {
  probot: Probot;
  fx: SimGitHub;
  /** Every structured log line the app wrote. */
  logs: Array<Record<string, any>>;
  /** Delivers an event; `id` defaults to a fresh delivery id. */
  receive(name: string, payload: Record<string, any>, id?: string): Promise<void>;
}

/**
 * No retries (a 500 must reach the app at once) and no throttling. Probot
 * replaces `throttle` options given to `defaults({…})` when it builds the
 * installation client, which would space every write a second apart; a
 * function default applies to each instance last.
 */
const NoRetryOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { enabled: false },
}));

let deliveries = 0;
/** Repositories of the running test: GitHub must have accepted every request the app made. */
const live: SimGitHub[] = [];

/** `app` defaults to the production app; a test may pass `withRuntime(…)` to drive its clock or shutdown. */
export async function startApp(
  fx: SimGitHub = productionRepo(),
  app: (probot: Probot) => void = stagegate,
): Promise<Harness> {
  const logs: Array<Record<string, any>> = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split("\n")) if (line.trim()) logs.push(JSON.parse(line));
      done();
    },
  });
  const probot = new Probot({
    appId: fx.appId,
    privateKey,
    log: pino({ level: "debug" }, sink),
    Octokit: NoRetryOctokit,
  });
  await probot.load(app);
  track(fx);
  return {
    probot,
    fx,
    logs,
    receive: (name, payload, id = `delivery-${++deliveries}`) =>
      probot.receive({ id, name, payload } as Parameters<Probot["receive"]>[0]),
  };
}

/** Checks after the test that GitHub accepted every request the app made to `fx`. */
export function track(fx: SimGitHub): void {
  live.push(fx);
}

/** Call from a suite: no real network, and each test starts with no interceptors. */
export function useNock(): void {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => {
    nock.cleanAll();
    const unrouted = live.splice(0).flatMap((fx) => fx.unrouted);
    // A request GitHub would reject (or the simulator cannot answer) fails the evaluation closed and would
    // hide what is being tested.
    expect(unrouted).toEqual([]);
  });
  afterAll(() => nock.enableNetConnect());
}

/**
 * The real server's operational surface: /live, /ready and /metrics mean what they say, and a graceful shutdown
 * refuses new webhooks, lets in-flight evaluations finish, and leaves no check run in progress.
 */
import { startStack, waitForChecks, type Stack } from "../../demo/harness.js";
import { baseFiles, WEB, webViolating } from "../../demo/story.js";
import { payloads, type SimRepo } from "../support/sim/index.js";
import { ACCEPTED, PROD, SLOW, STAGING } from "./stack.js";

let seq = 0;
function openPr(stack: Stack, installationId: number): { repo: SimRepo; sha: string; payload: object } {
  seq += 1;
  const repo = stack.sim.createRepo(`acme/lifecycle-${seq}`, { files: baseFiles(), installationId });
  repo.createBranch("change", "main");
  repo.commit("change", { [WEB]: webViolating() }, { message: "change", author: "alice" });
  const pr = repo.openPullRequest({ head: "change", base: "main", title: "change", author: "alice" });
  return { repo, sha: pr.headSha, payload: payloads.pullRequest(repo, pr.number, "opened") };
}

/** Polls (no timing asserted) until `done()` holds. */
async function until(done: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 12_000; i++) {
    if (await done()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("server lifecycle", () => {
  test(
    "/live and /ready answer while serving; /metrics counts evaluations and GitHub requests",
    async () => {
      const stack = await startStack({ logLevel: "fatal" });
      try {
        for (const path of ["/live", "/ready", "/ping"]) {
          const res = await fetch(`${stack.app.url}${path}`);
          expect(res.status).toBe(200);
        }
        expect(await (await fetch(`${stack.app.url}/ready`)).json()).toMatchObject({ phase: "ready", inFlight: 0 });

        const { repo, sha, payload } = openPr(stack, 301);
        expect(ACCEPTED).toContain((await stack.deliver("pull_request", payload)).status);
        await waitForChecks(repo, sha, [PROD, STAGING]);

        const res = await fetch(`${stack.app.url}/metrics`);
        expect(res.status).toBe(200);
        expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
        // The app counts a check once GitHub has answered its completion, a moment after the simulator recorded it.
        let text = await res.text();
        await until(async () => {
          text = await (await fetch(`${stack.app.url}/metrics`)).text();
          return /kind="verdict"/.test(text);
        }, "the verdict counted");
        // Concrete URLs (paginated requests) are folded into route templates: the label set stays bounded.
        expect(text).not.toMatch(/route="\/repos\/acme\//);
        expect(text).toMatch(/stagegate_evaluations_total\{conclusion="failure",kind="verdict"\} 1/);
        expect(text).toMatch(/stagegate_webhook_to_completed_seconds_count \d+/);
        expect(text).toMatch(/stagegate_evaluations_in_flight 0/);
        expect(text).toMatch(/stagegate_github_requests_total\{method="POST",route="\/graphql",status="200"\} \d+/);
        const checkRunCreates = 'method="POST",route="/repos/{owner}/{repo}/check-runs",status="201"';
        expect(text).toContain(`stagegate_github_requests_total{${checkRunCreates}}`);
        expect(stack.sim.violations).toEqual([]);
      } finally {
        await stack.close();
      }
    },
    SLOW,
  );

  test(
    "SIGTERM path: not ready, webhooks refused with 503, in-flight evaluations finish, nothing left in progress",
    async () => {
      const stack = await startStack({ logLevel: "fatal", latencyMs: 40, startAfterMs: 0 });
      try {
        const first = openPr(stack, 302);
        const delivery = stack.deliver("pull_request", first.payload);
        // An evaluation in flight: its runs exist and are not completed yet.
        await until(() => first.repo.checkRuns().some((r) => r.status === "in_progress"), "a run in progress");

        const stopping = stack.app.shutdown(120_000);
        const ready = await fetch(`${stack.app.url}/ready`);
        expect(ready.status).toBe(503);
        expect(await ready.json()).toMatchObject({ phase: "draining" });
        expect((await fetch(`${stack.app.url}/live`)).status).toBe(200);
        const second = openPr(stack, 303);
        const refused = await stack.deliver("pull_request", second.payload);
        expect(refused.status).toBe(503);

        await expect(stopping).resolves.toEqual({ finished: true, interrupted: 0 });
        expect(ACCEPTED).toContain((await delivery).status);
        const runs = first.repo.checkRuns();
        expect(runs.length).toBeGreaterThan(0);
        expect(runs.filter((r) => r.status !== "completed")).toEqual([]);
        expect(second.repo.checkRuns()).toEqual([]);
        expect(stack.sim.violations).toEqual([]);
      } finally {
        await stack.sim.close();
      }
    },
    SLOW,
  );

  test(
    "a grace period too short: the runs in progress are completed as failures that invite a re-run",
    async () => {
      const stack = await startStack({ logLevel: "fatal", latencyMs: 40, startAfterMs: 0 });
      try {
        const { repo, payload } = openPr(stack, 304);
        // The port closes under this delivery: its connection may be cut.
        const delivery = stack.deliver("pull_request", payload).catch(() => undefined);
        await until(() => repo.checkRuns().some((r) => r.status === "in_progress"), "a run in progress");
        const result = await stack.app.shutdown(0);
        expect(result.finished).toBe(false);
        await delivery;
        // A run whose creation GitHub answered only after the shutdown is completed as soon as the answer arrives.
        await until(() => repo.checkRuns().every((r) => r.status === "completed"), "every run completed");
        const runs = repo.checkRuns();
        expect(runs.some((r) => r.conclusion === "failure" && /re-run this check/.test(r.output.title ?? ""))).toBe(
          true,
        );
      } finally {
        await stack.sim.close();
      }
    },
    SLOW,
  );
});

/**
 * End to end: the real HTTP server (src/server.ts) receives signed webhooks
 * over HTTP and talks to the GitHub API simulator, which rejects any request
 * GitHub would reject (51 annotations, oversized summaries, unknown GraphQL
 * fields …) and records it as a violation.
 */
import { deliver, payloads, type SimCheckRun, type SimRepo } from "../support/sim/index.js";
import { waitForChecks } from "../../demo/harness.js";
import { baseFiles, WEB, WEB_FIXED, webViolating, WORKER, workerBumped } from "../../demo/story.js";
import { ACCEPTED, PROD, SLOW, STAGING, stack, useStack } from "./stack.js";

let repoSeq = 0;
useStack();

function newRepo(): SimRepo {
  repoSeq += 1;
  return stack.sim.createRepo(`acme/gitops-${repoSeq}`, { files: baseFiles(), installationId: 100 + repoSeq });
}

/** Opens a PR from a new branch carrying `files`, and delivers `pull_request.opened`. */
async function openPr(repo: SimRepo, branch: string, files: Record<string, string>, title: string) {
  repo.createBranch(branch, "main");
  repo.commit(branch, files, { message: title, author: "alice" });
  const pr = repo.openPullRequest({ head: branch, base: "main", title, author: "alice" });
  const res = await stack.deliver("pull_request", payloads.pullRequest(repo, pr.number, "opened"));
  expect(ACCEPTED).toContain(res.status);
  return pr;
}

/** 1-based line of the first line of `text` containing `needle`. */
function lineOf(text: string, needle: string): number {
  const i = text.split("\n").findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`"${needle}" not in the file`);
  return i + 1;
}

function failures(run: SimCheckRun) {
  return run.annotations.filter((a) => a.annotation_level === "failure");
}

describe("webhook signatures", () => {
  test(
    "unsigned and wrongly signed deliveries are rejected and create nothing",
    async () => {
      const repo = newRepo();
      repo.createBranch("sneaky", "main");
      repo.commit("sneaky", { [WEB]: webViolating() });
      const pr = repo.openPullRequest({ head: "sneaky", base: "main", title: "unsigned", author: "mallory" });
      const payload = payloads.pullRequest(repo, pr.number, "opened");
      stack.sim.resetRequests();

      const unsigned = await fetch(stack.app.webhookUrl, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": "pull_request",
          "x-github-delivery": "d-unsigned",
        },
        body: JSON.stringify(payload),
      });
      expect(unsigned.status).toBeGreaterThanOrEqual(400);
      expect(unsigned.status).toBeLessThan(500);

      const forged = await deliver(stack.app.webhookUrl, "pull_request", payload, "not-the-secret");
      expect(forged.status).toBeGreaterThanOrEqual(400);
      expect(forged.status).toBeLessThan(500);

      // Rejected before any handler runs, and this suite runs first, so no other evaluation can be in flight.
      expect(stack.sim.requests).toEqual([]);
      expect(repo.checkRuns()).toEqual([]);

      // The same payload, properly signed, is acted on: the rejection was the signature's doing.
      const genuine = await stack.deliver("pull_request", payload);
      expect(ACCEPTED).toContain(genuine.status);
      const runs = await waitForChecks(repo, pr.headSha, [PROD, STAGING]);
      expect(runs.get(PROD)!.conclusion).toBe("failure");
    },
    SLOW,
  );
});

describe("a pull request into production", () => {
  test(
    "violations fail the production check with annotations on the offending lines; a fixing push turns it green",
    async () => {
      const repo = newRepo();
      const bad = webViolating();
      const pr = await openPr(repo, "web-1.5", { [WEB]: bad }, "web: release 1.5.0");

      const runs = await waitForChecks(repo, pr.headSha, [PROD, STAGING]);
      const prod = runs.get(PROD)!;
      expect(prod.conclusion).toBe("failure");
      expect(prod.output.title).toBeTruthy();
      expect(prod.output.summary).toContain(repo.branchSha("main")!.slice(0, 7)); // the policy revision it used

      const failed = failures(prod);
      expect(failed.length).toBeGreaterThanOrEqual(3);
      const lines = bad.split("\n").length;
      for (const a of prod.annotations) {
        expect(a.path).toBe(WEB);
        expect(a.start_line).toBeGreaterThanOrEqual(1);
        expect(a.end_line).toBeLessThanOrEqual(lines);
        expect(a.message.length).toBeGreaterThan(0);
      }
      // Our own rule (policy/main.rego) points at spec.replicas; the library's at privileged and the image tag.
      const at = (line: number) =>
        failed
          .filter((a) => a.start_line === line)
          .map((a) => a.message)
          .join("\n");
      expect(at(lineOf(bad, "replicas: 1"))).toMatch(/replica/i);
      expect(at(lineOf(bad, "privileged: true"))).toMatch(/privileged/i);
      expect(failed.some((a) => a.start_line === lineOf(bad, "image: ghcr.io/acme/web:latest"))).toBe(true);

      // Staging's manifests did not change: still a green check that branch protection can require.
      const staging = runs.get(STAGING)!;
      expect(staging.conclusion).toBe("success");
      expect(staging.output.title).toMatch(/no staging manifests changed/i);

      // The fix.
      const before = pr.headSha;
      repo.commit(
        "web-1.5",
        { [WEB]: WEB_FIXED },
        { message: "web: pin 1.5.0, two replicas, restricted pod", author: "alice" },
      );
      expect(pr.headSha).not.toBe(before);
      const res = await stack.deliver("pull_request", payloads.pullRequest(repo, pr.number, "synchronize", { before }));
      expect(ACCEPTED).toContain(res.status);
      const fixed = await waitForChecks(repo, pr.headSha, [PROD, STAGING]);
      expect(fixed.get(PROD)!.conclusion).toBe("success");
      expect(failures(fixed.get(PROD)!)).toEqual([]);
      expect(fixed.get(STAGING)!.conclusion).toBe("success");
      // The failing run stays on the old head only.
      expect(repo.checkRuns(before).find((r) => r.name === PROD)?.conclusion).toBe("failure");
    },
    SLOW,
  );
});

describe("a pull request into staging only", () => {
  test(
    "staging reports its warnings without blocking; production says nothing of it changed",
    async () => {
      const repo = newRepo();
      const pr = await openPr(repo, "worker-bump", { [WORKER]: workerBumped() }, "worker: busybox 1.37");

      const runs = await waitForChecks(repo, pr.headSha, [PROD, STAGING]);
      const staging = runs.get(STAGING)!;
      expect(staging.conclusion).toBe("success"); // mode: warn
      expect(staging.annotations.length).toBeGreaterThan(0);
      for (const a of staging.annotations) expect(a.path).toBe(WORKER);
      const prod = runs.get(PROD)!;
      expect(prod.conclusion).toBe("success");
      expect(prod.output.title).toMatch(/no production manifests changed/i);
      expect(prod.annotations).toEqual([]);
    },
    SLOW,
  );
});

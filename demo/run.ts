/**
 * `npm run demo`: the real Stagegate app against a local GitHub API simulator
 * (no credentials, no network), replaying a short story and printing what a
 * user would see on the pull request. Exits 1 if anything unexpected happens,
 * including any request GitHub would have rejected.
 */
import type { SimCheckRun, SimRepo } from "../test/support/sim/index.js";
import { payloads } from "../test/support/sim/index.js";
import { startStack, waitForChecks, type Stack } from "./harness.js";
import { baseFiles, WEB, WEB_FIXED, webViolating, WORKER, workerBumped } from "./story.js";

const PROD = "stagegate / production";
const STAGING = "stagegate / staging";
const SUMMARY_LINES = 14;

const out = (line = "") => process.stdout.write(`${line}\n`);
const problems: string[] = [];

function expectConclusion(step: string, runs: Map<string, SimCheckRun>, name: string, want: string): void {
  const got = runs.get(name)?.conclusion ?? "absent";
  if (got !== want) problems.push(`${step}: expected ${name} to be ${want}, got ${got}`);
}

/** A check run as the PR's checks tab shows it: conclusion, title, summary (abridged), annotations. */
function printRun(run: SimCheckRun): void {
  const mark = run.conclusion === "success" ? "✔" : run.conclusion === "failure" ? "✖" : "•";
  out(`   ${mark} ${run.name} — ${run.conclusion ?? run.status}`);
  out(`     ${run.output.title ?? ""}`);
  const summary = (run.output.summary ?? "").split("\n").filter((l) => l.trim() !== "");
  for (const line of summary.slice(0, SUMMARY_LINES)) out(`     │ ${line}`);
  if (summary.length > SUMMARY_LINES) out(`     │ … ${summary.length - SUMMARY_LINES} more line(s) on GitHub`);
  if (run.annotations.length) {
    out(`     Annotations (${run.annotations.length}):`);
    const width = Math.max(...run.annotations.map((a) => `${a.path}:${a.start_line}`.length));
    for (const a of run.annotations) {
      const where = `${a.path}:${a.start_line}`.padEnd(width);
      out(`       ${where}  ${a.annotation_level.padEnd(7)}  ${a.message.split("\n")[0]}`);
    }
  }
  out();
}

/** Delivers the webhook; returns when it was sent. */
async function deliverPr(
  stack: Stack,
  repo: SimRepo,
  number: number,
  action: "opened" | "synchronize",
  before?: string,
): Promise<number> {
  const sent = performance.now();
  const res = await stack.deliver("pull_request", payloads.pullRequest(repo, number, action, before ? { before } : {}));
  // 202: the app is still working after the webhook middleware's 9 s (a cold policy compile); GitHub counts it
  // delivered.
  out(
    `   → GitHub delivers a signed pull_request.${action} webhook: HTTP ${res.status}${res.status === 202 ? " (accepted, still processing)" : ""}`,
  );
  if (res.status !== 200 && res.status !== 202)
    problems.push(`pull_request.${action} delivery answered ${res.status}: ${res.body}`);
  return sent;
}

async function show(repo: SimRepo, sha: string, sent: number): Promise<Map<string, SimCheckRun>> {
  const runs = await waitForChecks(repo, sha, [PROD, STAGING]);
  out(
    `   Checks on commit ${sha.slice(0, 7)}, completed ${((performance.now() - sent) / 1000).toFixed(1)} s ` +
      `after the webhook:`,
  );
  out();
  for (const name of [PROD, STAGING]) printRun(runs.get(name)!);
  return runs;
}

async function main(): Promise<number> {
  const started = performance.now();
  const level = process.env.LOG_LEVEL as "trace" | "debug" | "info" | "warn" | "error" | "fatal" | undefined;
  const stack = await startStack({ logLevel: level ?? "warn" });
  try {
    const repo = stack.sim.createRepo("acme/gitops", { files: baseFiles() });
    out("Stagegate demo — the real app, a simulated GitHub");
    out(`   app:        ${stack.app.webhookUrl}  (verifies webhook signatures)`);
    out(`   GitHub API: ${stack.sim.url}  (local simulator; checks every request against GitHub's API description)`);
    out(
      `   repository: ${repo.fullName} — .github/stagegate.yml gates envs/staging (mode: warn) and ` +
        `envs/production (mode: enforce)`,
    );
    out();

    out(`1) alice opens a pull request into main: "web: release 1.5.0", changing ${WEB}`);
    repo.createBranch("web-1.5", "main");
    repo.commit("web-1.5", { [WEB]: webViolating() }, { message: "web: release 1.5.0", author: "alice" });
    const pr = repo.openPullRequest({ head: "web-1.5", base: "main", title: "web: release 1.5.0", author: "alice" });
    const first = await show(repo, pr.headSha, await deliverPr(stack, repo, pr.number, "opened"));
    expectConclusion("step 1", first, PROD, "failure");
    expectConclusion("step 1", first, STAGING, "success");

    out(`2) alice pushes a fix to the same branch: image pinned to 1.5.0, 2 replicas, team label, restricted pod`);
    const before = pr.headSha;
    repo.commit(
      "web-1.5",
      { [WEB]: WEB_FIXED },
      { message: "web: pin 1.5.0, two replicas, restricted pod", author: "alice" },
    );
    const second = await show(repo, pr.headSha, await deliverPr(stack, repo, pr.number, "synchronize", before));
    expectConclusion("step 2", second, PROD, "success");
    expectConclusion("step 2", second, STAGING, "success");
    out(`   PR #${pr.number} can merge: branch protection requires "${PROD}", which is green.`);
    out();

    out(`3) bob opens a pull request that only touches staging: "worker: busybox 1.37", changing ${WORKER}`);
    repo.createBranch("worker-bump", "main");
    repo.commit("worker-bump", { [WORKER]: workerBumped() }, { message: "worker: busybox 1.37", author: "bob" });
    const pr2 = repo.openPullRequest({
      head: "worker-bump",
      base: "main",
      title: "worker: busybox 1.37",
      author: "bob",
    });
    const third = await show(repo, pr2.headSha, await deliverPr(stack, repo, pr2.number, "opened"));
    expectConclusion("step 3", third, STAGING, "success");
    expectConclusion("step 3", third, PROD, "success");

    const rest = stack.sim.requests.filter((r) => !r.graphql).length;
    const gql = stack.sim.requests.length - rest;
    out(
      `GitHub API: ${stack.sim.requests.length} requests in all (${rest} REST, ${gql} GraphQL), ` +
        `${stack.sim.violations.length} rejected by the simulator.`,
    );
    for (const v of stack.sim.violations) problems.push(`simulator violation: ${v.method} ${v.path}: ${v.message}`);
  } catch (err) {
    problems.push(err instanceof Error ? err.message : String(err));
  } finally {
    await stack.close();
  }
  out(`Finished in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
  if (problems.length) {
    out();
    out("Unexpected:");
    for (const p of problems) out(`   - ${p}`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`demo failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);

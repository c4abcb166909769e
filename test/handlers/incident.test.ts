/**
 * Issue 16, end to end on the simulator: a gated merge into production, then a force push of a rewritten history
 * (and, apart, a direct push) — the app answers the push event itself with a failing check on the new head and one
 * incident issue naming the last gated commit; `/gate restore` on that issue opens a restore pull request for an
 * allowed user only.
 */
import { startApp, useNock, type Harness } from "./harness.js";
import { BAD_WEB, configWith, GOOD_WEB } from "./repo-content.js";
import { directoryRepo, productionRepo, PROD_CHECK, STAGING_CHECK, WEB } from "./scenarios.js";
import { pullRequest } from "./payloads.js";
import type { SimGitHub } from "../support/github.js";
import { forcePush } from "../support/sim/rewrite.js";
import { payloads } from "../support/sim/webhooks.js";

useNock();

const CONFIG = configWith(`  staging:
    branches: [staging]
    mode: warn
  production:
    branches: [production]
    paths: ["envs/production/**"]
    freeze:
      allowed: { users: [carol] }
`);

const incidents = (fx: SimGitHub) =>
  fx.repository.issues().filter((i) => !i.isPullRequest && i.labels.includes("stagegate:incident"));

/** PR #7 into production passes its gate and is merged; the app sees the merge's push. */
async function gatedMerge(): Promise<{ fx: SimGitHub; app: Harness; merged: string }> {
  const fx = productionRepo({ config: CONFIG });
  fx.repository.setPermission("carol", "write");
  fx.repository.setPermission("mallory", "write");
  const app = await startApp(fx);
  await app.receive("pull_request", pullRequest(fx, 7, "opened"));
  expect(fx.runsNamed(PROD_CHECK).find((r) => r.headSha === fx.sha.head)?.conclusion).toBe("success");
  const merged = fx.repository.mergePullRequest(7);
  await app.receive("push", payloads.push(fx.repository, "production", { before: fx.sha.prod, sender: "alice" }));
  return { fx, app, merged };
}

async function comment(app: Harness, issue: number, user: string, body: string) {
  const c = app.fx.repository.addComment(issue, user, body);
  await app.receive("issue_comment", payloads.issueComment(app.fx.repository, c.id, "created"));
  return app.fx.repository.comments(issue).filter((x) => x.appId === app.fx.appId && x.id > c.id);
}

describe("incident response, branch per environment", () => {
  test("a gated merge is no incident", async () => {
    const { fx, merged } = await gatedMerge();
    expect(incidents(fx)).toEqual([]);
    expect(fx.runsNamed(PROD_CHECK).filter((r) => r.headSha === merged)).toEqual([]);
  });

  test("force push: a failing check, one issue naming the last gated commit, restore by an allowed user", async () => {
    const { fx, app, merged } = await gatedMerge();
    const rewritten = forcePush(fx.repository, "production", fx.sha.prod, { [WEB]: BAD_WEB }, { author: "mallory" });
    const push = payloads.push(fx.repository, "production", { before: merged, sender: "mallory" });
    expect(push.forced).toBe(true);
    await app.receive("push", push, "force-push-1");

    const check = fx.runsNamed(PROD_CHECK).filter((r) => r.headSha === rewritten);
    expect(check.map((r) => [r.conclusion, r.output.title])).toEqual([
      ["failure", "Incident: history of production rewritten; not a gated state"],
    ]);
    const [issue] = incidents(fx);
    expect(issue.labels).toEqual(["stagegate:incident", "stagegate:incident:production"]);
    expect(issue.title).toBe("Incident: production: history of `production` rewritten (force push) by mallory");
    expect(issue.body).toContain(`**Last gated commit: [\`${merged.slice(0, 7)}\`]`);
    expect(issue.body).toContain(`(\`${merged}\`): it is the merge of #7`);
    expect(issue.body).toContain("**Commits dropped** (2)");
    expect(issue.body).toContain("**Ungated commits added** (1)");
    expect(issue.body).toContain("/gate freeze production <reason>");
    expect(check[0].detailsUrl).toContain(`/issues/${issue.number}`);

    // The same push delivered again: still one issue and one check.
    await app.receive("push", push, "force-push-1");
    await app.receive("push", push, "force-push-2");
    expect(incidents(fx)).toHaveLength(1);
    expect(fx.runsNamed(PROD_CHECK).filter((r) => r.headSha === rewritten)).toHaveLength(1);

    // Someone with write access who may not freeze production: refused, nothing changes.
    const branches = [...fx.repository.branches.keys()].sort();
    const refused = await comment(app, issue.number, "mallory", "/gate restore production");
    expect(refused.map((c) => c.body)).toEqual([
      "@mallory cannot restore `production`: needs to be one of @carol (environments.production.freeze.allowed). " +
        "Nothing was changed.",
    ]);
    expect([...fx.repository.branches.keys()].sort()).toEqual(branches);
    expect([...fx.repository.pulls.values()].filter((p) => p.state === "open")).toEqual([]);

    // An allowed user: a restore pull request whose tree is the last gated commit's, on top of the current head.
    const replies = await comment(app, issue.number, "carol", "/gate restore production");
    expect(replies.map((c) => c.body)).toEqual([expect.stringMatching(/^Opened the restore pull request: /)]);
    const [restore] = [...fx.repository.pulls.values()].filter((p) => p.state === "open");
    expect(restore.baseRef).toBe("production");
    const head = fx.repository.git.commits.get(restore.headSha)!;
    expect(head.treeSha).toBe(fx.repository.git.commits.get(merged)!.treeSha);
    expect(head.parents).toEqual([rewritten]);
    expect(fx.repository.branchSha("production")).toBe(rewritten); // nothing force-pushed
  });

  test("a direct push of an ungated commit is reported without the rewrite wording", async () => {
    const { fx, app, merged } = await gatedMerge();
    const direct = fx.repository.commit("production", { [WEB]: GOOD_WEB + "# hotfix\n" }, { author: "mallory" });
    const push = payloads.push(fx.repository, "production", { before: merged, sender: "mallory" });
    expect(push.forced).toBe(false);
    await app.receive("push", push);

    expect(
      fx
        .runsNamed(PROD_CHECK)
        .filter((r) => r.headSha === direct)
        .map((r) => [r.conclusion, r.output.title]),
    ).toEqual([["failure", "Incident: 1 ungated commit(s) on production"]]);
    const [issue] = incidents(fx);
    expect(issue.title).toBe("Incident: production: 1 ungated commit(s) pushed to `production` by mallory");
    expect(issue.body).not.toMatch(/rewritten|dropped/i);
    expect(issue.body).toContain(`(\`${merged}\`): it is the merge of #7`);
  });

  test("/gate doctor on the incident issue lists every missing setting", async () => {
    const { fx, app, merged } = await gatedMerge();
    fx.repository.commit("production", { [WEB]: BAD_WEB }, { author: "mallory" });
    await app.receive("push", payloads.push(fx.repository, "production", { before: merged, sender: "mallory" }));
    const [issue] = incidents(fx);
    const [report] = await comment(app, issue.number, "carol", "/gate doctor production");
    expect(report.body).toContain("Stagegate doctor: 7 setting(s) to change");
    expect(report.body).toContain("| ❌ | `stagegate / production` required from Stagegate | not required |");
    expect(report.body).toContain("| ❌ | force pushes blocked |");
    expect(fx.requests).toContain("GET /repos/acme/gitops/branches/production/protection");
    expect(fx.requests).toContain("GET /repos/acme/gitops/rules/branches/production?per_page=100");
  });

  test("commands on an issue the app did not open are left alone", async () => {
    const fx = productionRepo({ config: CONFIG });
    const app = await startApp(fx);
    const other = fx.repository.createIssue({ title: "question", body: "hi" });
    const before = fx.requests.length;
    expect(await comment(app, other.number, "carol", "/gate restore production")).toEqual([]);
    expect(fx.requests.length).toBe(before);
  });
});

describe("incident response, directory per environment", () => {
  test("a direct push under an environment's paths is that environment's incident only", async () => {
    const fx = directoryRepo({ README: "x" } as never);
    const app = await startApp(fx);
    const before = fx.repository.branchSha("main")!;
    const direct = fx.repository.commit("main", { [WEB]: BAD_WEB }, { author: "mallory" });
    await app.receive("push", payloads.push(fx.repository, "main", { before, sender: "mallory" }));
    expect(
      fx
        .runsNamed(PROD_CHECK)
        .filter((r) => r.headSha === direct)
        .map((r) => r.conclusion),
    ).toEqual(["failure"]);
    expect(fx.runsNamed(STAGING_CHECK).filter((r) => r.headSha === direct)).toEqual([]);
    expect(incidents(fx).map((i) => i.labels[1])).toEqual(["stagegate:incident:production"]);
  });

  test("a direct push that touches no environment is no incident", async () => {
    const fx = directoryRepo({ README: "x" } as never);
    const app = await startApp(fx);
    const before = fx.repository.branchSha("main")!;
    fx.repository.commit("main", { "README.md": "# docs\n" }, { author: "mallory" });
    await app.receive("push", payloads.push(fx.repository, "main", { before, sender: "mallory" }));
    expect(incidents(fx)).toEqual([]);
  });
});

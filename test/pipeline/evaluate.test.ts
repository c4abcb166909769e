/**
 * The pipeline's edge cases, driven through the real app: config states, fail closed, idempotency, test merges,
 * batching.
 */
import { startApp, useNock } from "../handlers/harness.js";
import { pullRequest } from "../handlers/payloads.js";
import { BAD_WEB, GOOD_WEB, MANY_POLICY, manyKeys } from "../handlers/repo-content.js";
import { CONFIG_CHECK, productionRepo, PROD_CHECK, WEB } from "../handlers/scenarios.js";

useNock();

describe("config on the default branch", () => {
  test("a repository without .github/stagegate.yml gets no check run at all", async () => {
    const { fx, receive } = await startApp(productionRepo({ config: null, change: { [WEB]: BAD_WEB } }));
    await receive("pull_request", pullRequest(fx, 7, "opened"));
    expect(fx.requests.filter((r) => r.includes("check-runs"))).toEqual([]);
    expect(fx.created).toEqual([]);
    // It looked for an organization default before giving up.
    expect(fx.graphqlRepos).toContain("acme/.github");
  });

  test("an invalid config fails `stagegate / config` at file:line and posts no environment check", async () => {
    const invalid = "version: 1\nenvironments:\n  production:\n    branches: [production]\n    mode: sometimes\n";
    const { fx, receive } = await startApp(productionRepo({ config: invalid, change: { [WEB]: BAD_WEB } }));
    await receive("pull_request", pullRequest(fx, 7, "opened"));

    expect(fx.created.map((c) => c.name)).toEqual([CONFIG_CHECK]);
    const [run] = fx.runsNamed(CONFIG_CHECK);
    const done = fx.completion(run.id);
    expect(done.conclusion).toBe("failure");
    expect(done.output.title).toMatch(/^Invalid \.github\/stagegate\.yml/);
    expect(done.output.summary).toContain(".github/stagegate.yml:5:");
    expect(done.output.summary).toContain(fx.sha.main.slice(0, 7));
    expect(done.output.annotations).toEqual([
      expect.objectContaining({ path: ".github/stagegate.yml", start_line: 5, annotation_level: "failure" }),
    ]);
    expect(fx.pending()).toEqual([]);
  });
});

describe("fail closed", () => {
  test("GitHub 500 on the content read after the run was created: completed as failure with a clear title", async () => {
    const fx = productionRepo({ change: { [WEB]: BAD_WEB } });
    fx.override = (method, path, body) =>
      method === "POST" && path === "/graphql" && String(body.query).includes(fx.sha.merge)
        ? [500, { message: "Server Error" }]
        : undefined;
    const { receive, logs } = await startApp(fx);
    await receive("pull_request", pullRequest(fx, 7, "opened"), "d-500");

    const [run] = fx.runsNamed(PROD_CHECK);
    const done = fx.completion(run.id);
    expect(done.conclusion).toBe("failure");
    expect(done.output.title).toMatch(/^Stagegate could not evaluate this change: /);
    expect(done.output.summary).toContain("d-500");
    expect(fx.pending()).toEqual([]);
    expect(logs).toContainEqual(expect.objectContaining({ msg: "evaluation failed", deliveryId: "d-500", pr: 7 }));
  });

  test("a changed manifest that cannot be read at the evaluated commit is a failure, not a silent pass", async () => {
    const fx = productionRepo({ change: { [WEB]: GOOD_WEB } });
    // Listed as changed, but no blob at the merge commit (a submodule, say).
    const listed = [WEB, "envs/production/submodule.yaml"].map((filename) => {
      return { sha: "0".repeat(40), filename, status: "modified", additions: 1, deletions: 1, changes: 2 };
    });
    fx.override = (method, path) =>
      method === "GET" && path === "/repos/acme/gitops/pulls/7/files" ? [200, listed] : undefined;
    const { receive } = await startApp(fx);
    await receive("pull_request", pullRequest(fx, 7, "opened"));
    const [run] = fx.runsNamed(PROD_CHECK);
    expect(fx.completion(run.id).conclusion).toBe("failure");
    expect(fx.annotationsOf(run.id)).toContainEqual(
      expect.objectContaining({ path: "envs/production/submodule.yaml", start_line: 1, annotation_level: "failure" }),
    );
  });

  test("GitHub 500 before any run exists: nothing is left in progress and no exception escapes", async () => {
    const fx = productionRepo({ change: { [WEB]: BAD_WEB } });
    fx.override = (method, path) =>
      method === "GET" && path === "/repos/acme/gitops/pulls/7" ? [500, { message: "Server Error" }] : undefined;
    const { receive, logs } = await startApp(fx);
    await expect(receive("pull_request", pullRequest(fx, 7, "opened"), "d-early")).resolves.toBeUndefined();
    expect(fx.created).toEqual([]);
    expect(logs).toContainEqual(expect.objectContaining({ msg: "evaluation failed", deliveryId: "d-early" }));
  });

  test("a policy that does not compile fails the check instead of passing unverified", async () => {
    const fx = productionRepo({
      mainFiles: { "policy/main.rego": "package main\n\ndeny contains msg if {\n" },
      change: { [WEB]: GOOD_WEB },
    });
    const { receive } = await startApp(fx);
    await receive("pull_request", pullRequest(fx, 7, "opened"));
    const [run] = fx.runsNamed(PROD_CHECK);
    const done = fx.completion(run.id);
    expect(done.conclusion).toBe("failure");
    expect(done.output.title).toMatch(/^Stagegate could not evaluate this change/);
    expect(fx.pending()).toEqual([]);
  });
});

describe("idempotency", () => {
  test("the same delivery received twice creates one check run", async () => {
    const { fx, receive } = await startApp(productionRepo({ change: { [WEB]: BAD_WEB } }));
    const payload = pullRequest(fx, 7, "opened");
    await receive("pull_request", payload, "same-id");
    await receive("pull_request", payload, "same-id");
    expect(fx.createdNamed(PROD_CHECK)).toHaveLength(1);
    expect(fx.updates.filter((u) => u.body.status === "completed")).toHaveLength(1);
  });

  test("another delivery for the same sha creates a fresh check run rather than appending", async () => {
    const { fx, receive } = await startApp(productionRepo({ change: { [WEB]: BAD_WEB } }));
    await receive("pull_request", pullRequest(fx, 7, "opened"), "first");
    await receive("pull_request", pullRequest(fx, 7, "reopened"), "second");
    const runs = fx.runsNamed(PROD_CHECK);
    expect(runs.map((r) => r.externalId)).toEqual([`first:${PROD_CHECK}`, `second:${PROD_CHECK}`]);
    expect(runs.map((r) => fx.completion(r.id).conclusion)).toEqual(["failure", "failure"]);
    // Each run got its own annotations; none were appended to the first.
    expect(runs.map((r) => fx.annotationsOf(r.id).length)).toEqual([2, 2]);
  });
});

describe("what would land", () => {
  test("mergeable: contents are read at the test merge commit", async () => {
    const { fx, receive } = await startApp(productionRepo({ change: { [WEB]: BAD_WEB } }));
    await receive("pull_request", pullRequest(fx, 7, "opened"));
    expect(fx.graphqlReads.filter((r) => r.path === WEB)).toEqual([{ sha: fx.sha.merge, path: WEB }]);
  });

  test("conflicting: the summary names the conflicting files and the head commit is evaluated", async () => {
    const fx = productionRepo({ change: { [WEB]: BAD_WEB, "envs/production/api.yaml": GOOD_WEB } });
    // production moved on since the PR branched: web.yaml changed on both sides.
    fx.repository.commit("production", { [WEB]: `${GOOD_WEB}# hotfix\n`, "envs/production/db.yaml": GOOD_WEB });
    const { receive } = await startApp(fx);
    await receive("pull_request", pullRequest(fx, 7, "opened"));

    expect(fx.requests).toContain(`GET /repos/acme/gitops/compare/${fx.sha.head}...production?per_page=100`);
    const [run] = fx.runsNamed(PROD_CHECK);
    const done = fx.completion(run.id);
    expect(done.output.summary).toContain("conflicts with `production`");
    expect(done.output.summary).toContain(`\`${WEB}\``);
    expect(done.output.summary).not.toContain("api.yaml"); // changed only by the PR: not a conflict
    expect(fx.graphqlReads.filter((r) => r.path.startsWith("envs/")).map((r) => r.sha)).toEqual([
      fx.sha.head,
      fx.sha.head,
    ]);
    expect(done.conclusion).toBe("failure");
  });
});

describe("annotations", () => {
  test("more than 50 findings: several updates of at most 50, the conclusion only on the last", async () => {
    const file = "envs/production/many.yaml";
    const fx = productionRepo({ mainFiles: { "policy/main.rego": MANY_POLICY }, change: { [file]: manyKeys(120) } });
    const { receive } = await startApp(fx);
    await receive("pull_request", pullRequest(fx, 7, "opened"));

    const [run] = fx.runsNamed(PROD_CHECK);
    const updates = fx.updatesOf(run.id);
    expect(updates.map((u) => u.output.annotations?.length ?? 0)).toEqual([50, 50, 20]);
    expect(updates.map((u) => u.conclusion ?? null)).toEqual([null, null, "failure"]);
    expect(updates.map((u) => u.status ?? null)).toEqual([null, null, "completed"]);
    // Key i sits on line 6 + i.
    const lines = fx
      .annotationsOf(run.id)
      .map((a) => a.start_line)
      .sort((a, b) => a - b);
    expect(lines).toEqual(Array.from({ length: 120 }, (_, i) => 6 + i));
  });
});

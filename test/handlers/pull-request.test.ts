import { pullRequest } from "./payloads.js";
import { startApp, useNock } from "./harness.js";
import { BAD_LINES, BAD_WEB, BRANCH_CONFIG, GOOD_WEB } from "./repo-content.js";
import { directoryRepo, productionRepo, PROD_CHECK, STAGING_CHECK, WEB } from "./scenarios.js";

useNock();

describe("pull_request", () => {
  test("opened with a violating manifest: in_progress, then failure with annotations on the exact lines", async () => {
    const { fx, receive, logs } = await startApp(productionRepo({ change: { [WEB]: BAD_WEB } }));
    await receive("pull_request", pullRequest(fx, 7, "opened"), "d-open");

    expect(fx.created).toHaveLength(1);
    const created = fx.created[0];
    expect(created).toMatchObject({
      name: PROD_CHECK,
      head_sha: fx.sha.head,
      status: "in_progress",
      external_id: `d-open:${PROD_CHECK}`,
    });

    const [run] = fx.runsNamed(PROD_CHECK);
    const done = fx.completion(run.id);
    expect(done.conclusion).toBe("failure");
    expect(done.output.title).toMatch(/^2 failures in 1 file/);
    // The revision of config and policies is the default branch's commit.
    expect(done.output.summary).toContain(fx.sha.main.slice(0, 7));
    expect(done.output.summary).toContain("acme/min-replicas");

    const annotations = fx.annotationsOf(run.id);
    expect(annotations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: WEB,
          start_line: BAD_LINES.replicas,
          annotation_level: "failure",
          title: "acme/min-replicas",
        }),
        expect.objectContaining({
          path: WEB,
          start_line: BAD_LINES.owner,
          annotation_level: "failure",
          title: "acme/owner-label",
        }),
      ]),
    );
    expect(annotations).toHaveLength(2);
    expect(fx.pending()).toEqual([]);
    expect(fx.unrouted).toEqual([]);
    // One structured decision line, with the delivery id.
    expect(logs.filter((l) => l.msg === "decision")).toEqual([
      expect.objectContaining({
        environment: "production",
        conclusion: "failure",
        sha: fx.sha.head,
        deliveryId: "d-open",
        policyRevision: fx.sha.main,
        pr: 7,
      }),
    ]);
  });

  test("the fixed manifest passes", async () => {
    const { fx, receive } = await startApp(productionRepo({ change: { [WEB]: GOOD_WEB.replace("1.4.0", "1.4.1") } }));
    await receive("pull_request", pullRequest(fx, 7, "synchronize"));
    const [run] = fx.runsNamed(PROD_CHECK);
    const done = fx.completion(run.id);
    expect(done.conclusion).toBe("success");
    expect(done.output.annotations ?? []).toEqual([]);
    expect(fx.graphqlReads).toContainEqual({ sha: fx.sha.merge, path: WEB });
  });

  test("a PR touching no production manifest still gets a green check, so branch protection can require it", async () => {
    const { fx, receive } = await startApp(productionRepo());
    await receive("pull_request", pullRequest(fx, 7, "opened"));
    const [run] = fx.runsNamed(PROD_CHECK);
    const done = fx.completion(run.id);
    expect(done.conclusion).toBe("success");
    expect(done.output.title).toBe("No production manifests changed");
    // Nothing to read: no manifest content fetched at the head or merge commit.
    expect(fx.graphqlReads.filter((r) => r.sha !== fx.sha.main)).toEqual([]);
  });

  test.each([
    ["warn", /warn mode, not blocking/],
    ["shadow", /shadow mode/],
  ])("mode %s shows the findings without blocking", async (mode, title) => {
    const { fx, receive } = await startApp(productionRepo({ config: BRANCH_CONFIG(mode), change: { [WEB]: BAD_WEB } }));
    await receive("pull_request", pullRequest(fx, 7, "opened"));
    const [run] = fx.runsNamed(PROD_CHECK);
    const done = fx.completion(run.id);
    expect(done.conclusion).toBe("success");
    expect(done.output.title).toMatch(title);
    expect(
      fx
        .annotationsOf(run.id)
        .map((a) => a.start_line)
        .sort(),
    ).toEqual([BAD_LINES.owner, BAD_LINES.replicas].sort());
  });

  test.each(["reopened", "ready_for_review"])("%s is evaluated", async (action) => {
    const { fx, receive } = await startApp(productionRepo({ change: { [WEB]: BAD_WEB } }));
    await receive("pull_request", pullRequest(fx, 7, action));
    expect(fx.runsNamed(PROD_CHECK).map((r) => r.conclusion)).toEqual(["failure"]);
  });

  test("directory layout: a PR into main gets a check per environment, green where none of its files changed", async () => {
    const { fx, receive } = await startApp(directoryRepo({ [WEB]: BAD_WEB }));
    await receive("pull_request", pullRequest(fx, 5, "opened"));
    expect(fx.created.map((c) => c.name).sort()).toEqual(["stagegate / policy", PROD_CHECK, STAGING_CHECK]);
    const [prod] = fx.runsNamed(PROD_CHECK);
    const [staging] = fx.runsNamed(STAGING_CHECK);
    expect(fx.completion(prod.id).conclusion).toBe("failure");
    // Nothing to evaluate for staging: created completed, in one request.
    expect(fx.updatesOf(staging.id)).toEqual([]);
    expect(fx.createdNamed(STAGING_CHECK)).toEqual([
      expect.objectContaining({
        status: "completed",
        conclusion: "success",
        output: expect.objectContaining({ title: "No staging manifests changed" }),
      }),
    ]);
  });

  test("directory layout: a PR that only deletes a production manifest is still judged for production (gates apply)", async () => {
    const fx = directoryRepo({ [WEB]: null });
    const { receive } = await startApp(fx);
    await receive("pull_request", pullRequest(fx, 5, "opened"));
    const [prod] = fx.runsNamed(PROD_CHECK);
    // Evaluated (in_progress, then completed with the gates), not posted green at once.
    expect(fx.createdNamed(PROD_CHECK)[0].status).toBe("in_progress");
    expect(fx.completion(prod.id).output.summary).toContain("### Gates");
    expect(fx.createdNamed(STAGING_CHECK)[0]).toMatchObject({ status: "completed", conclusion: "success" });
  });

  test("config and policies come from the default branch even when the PR changes them", async () => {
    const weakened = BRANCH_CONFIG("shadow");
    const { fx, receive } = await startApp(
      productionRepo({
        change: { [WEB]: BAD_WEB, ".github/stagegate.yml": weakened, "policy/main.rego": "package main\n" },
      }),
    );
    await receive("pull_request", pullRequest(fx, 7, "opened"));

    const [run] = fx.runsNamed(PROD_CHECK);
    expect(fx.completion(run.id).conclusion).toBe("failure"); // the PR's shadow mode and emptied policy did not apply
    const policyReads = fx.graphqlReads.filter((r) => r.path.startsWith(".github/") || r.path.startsWith("policy/"));
    expect(policyReads.length).toBeGreaterThanOrEqual(2);
    expect(new Set(policyReads.map((r) => r.sha))).toEqual(new Set([fx.sha.main]));
    expect(fx.treeReads.every((sha) => sha === fx.sha.main)).toBe(true);
    // The only reads at the PR's commits are its manifests.
    expect(fx.graphqlReads.filter((r) => r.sha !== fx.sha.main)).toEqual([{ sha: fx.sha.merge, path: WEB }]);
  });

  test("a burst of pushes coalesces: the first evaluation and one follow-up for the newest delivery", async () => {
    const { fx, receive } = await startApp(productionRepo({ change: { [WEB]: BAD_WEB } }));
    await Promise.all(["d1", "d2", "d3"].map((id) => receive("pull_request", pullRequest(fx, 7, "synchronize"), id)));
    expect(fx.createdNamed(PROD_CHECK).map((c) => c.external_id)).toEqual([`d1:${PROD_CHECK}`, `d3:${PROD_CHECK}`]);
    expect(fx.pending()).toEqual([]);
  });

  test("edited without a base change does nothing", async () => {
    const { fx, receive } = await startApp(productionRepo({ change: { [WEB]: BAD_WEB } }));
    await receive("pull_request", pullRequest(fx, 7, "edited", { changes: { title: { from: "old" } } }));
    expect(fx.requests).toEqual([]);
  });

  test(
    "edited with a new base: evaluated against the new base, the old base's run superseded (cancelled, " +
      "never passing)",
    async () => {
      const fx = productionRepo({ change: { [WEB]: BAD_WEB } });
      const old = fx.seedRun({
        name: STAGING_CHECK,
        head_sha: fx.sha.head,
        status: "completed",
        conclusion: "success",
        external_id: `earlier:${STAGING_CHECK}`,
      });
      const { receive } = await startApp(fx);
      await receive(
        "pull_request",
        pullRequest(fx, 7, "edited", {
          changes: { base: { ref: { from: "staging" }, sha: { from: fx.sha.staging } } },
        }),
      );

      expect(fx.created.map((c) => c.name)).toEqual([PROD_CHECK]);
      const [prod] = fx.runsNamed(PROD_CHECK);
      expect(fx.completion(prod.id).conclusion).toBe("failure");
      const superseded = fx.completion(old.id);
      expect(superseded.conclusion).toBe("cancelled");
      expect(superseded.output.title).toBe("Superseded: the base branch changed from staging to production");
      expect(fx.pending()).toEqual([]);
    },
  );
});

import { checkRun, checkSuite, pullRequestReview } from "./payloads.js";
import { startApp, useNock } from "./harness.js";
import { BAD_WEB } from "./repo-content.js";
import { openPull, productionRepo, PROD_CHECK, WEB } from "./scenarios.js";

useNock();

const OTHER_APP = 999;

describe("re-runs of our own checks", () => {
  test.each(["rerequested", "requested_action"] as const)(
    "check_run.%s for our app id re-evaluates the PR",
    async (action) => {
      const fx = productionRepo({ change: { [WEB]: BAD_WEB } });
      const { receive } = await startApp(fx);
      await receive(
        "check_run",
        checkRun(fx, { action, headSha: fx.sha.head, appId: fx.appId, pulls: [7] }),
        "d-rerun",
      );
      expect(fx.created).toEqual([
        expect.objectContaining({ name: PROD_CHECK, head_sha: fx.sha.head, external_id: `d-rerun:${PROD_CHECK}` }),
      ]);
      expect(fx.runsNamed(PROD_CHECK).map((r) => r.conclusion)).toEqual(["failure"]);
    },
  );

  test.each(["rerequested", "requested_action"] as const)(
    "check_run.%s for another app's check does nothing",
    async (action) => {
      const fx = productionRepo({ change: { [WEB]: BAD_WEB } });
      const { receive } = await startApp(fx);
      await receive(
        "check_run",
        checkRun(fx, { action, headSha: fx.sha.head, appId: OTHER_APP, pulls: [7], name: "ci / build" }),
      );
      expect(fx.requests).toEqual([]);
    },
  );

  test("check_suite.rerequested for our app re-evaluates; for another app, nothing", async () => {
    const fx = productionRepo({ change: { [WEB]: BAD_WEB } });
    const { receive } = await startApp(fx);
    await receive("check_suite", checkSuite(fx, { headSha: fx.sha.head, appId: OTHER_APP, pulls: [7] }));
    expect(fx.requests).toEqual([]);
    await receive("check_suite", checkSuite(fx, { headSha: fx.sha.head, appId: fx.appId, pulls: [7] }));
    expect(fx.created.map((c) => c.name)).toEqual([PROD_CHECK]);
    expect(fx.pending()).toEqual([]);
  });

  test("a fork's PR (no pull_requests in the payload) is found among open PRs by head sha", async () => {
    const fx = productionRepo({ change: { [WEB]: BAD_WEB }, forkOwner: "mallory" });
    fx.sha.other = openPull(fx, 8, { from: "production", base: "production", change: { "README.md": "# 8\n" } }).head;
    const { receive } = await startApp(fx);
    await receive(
      "check_run",
      checkRun(fx, { action: "rerequested", headSha: fx.sha.head, appId: fx.appId, pulls: [] }),
    );

    expect(fx.requests).toContain("GET /repos/acme/gitops/pulls?state=open&per_page=100");
    // #7 only, not #8
    expect(fx.created).toEqual([expect.objectContaining({ name: PROD_CHECK, head_sha: fx.sha.head })]);
    expect(fx.runsNamed(PROD_CHECK).map((r) => r.conclusion)).toEqual(["failure"]);
  });
});

describe("pull_request_review", () => {
  test.each(["submitted", "dismissed"] as const)("%s re-evaluates the PR", async (action) => {
    const fx = productionRepo({ change: { [WEB]: BAD_WEB } });
    const { receive } = await startApp(fx);
    await receive("pull_request_review", pullRequestReview(fx, 7, action));
    expect(fx.created.map((c) => [c.name, c.head_sha])).toEqual([[PROD_CHECK, fx.sha.head]]);
    expect(fx.runsNamed(PROD_CHECK).map((r) => r.conclusion)).toEqual(["failure"]);
  });
});

import { mergeGroup } from "./payloads.js";
import { startApp, useNock } from "./harness.js";
import { freezeMarker } from "../../src/gather/freeze-marker.js";
import { BAD_WEB, GOOD_WEB } from "./repo-content.js";
import { productionRepo, PROD_CHECK, WEB } from "./scenarios.js";
import type { SimGitHub } from "../support/github.js";

useNock();

/** The merge queue's commit on top of production, with `web` as production's web.yaml. */
function queue(fx: SimGitHub, web: string): string {
  const branch = "gh-readonly-queue/production/pr-1";
  fx.repository.createBranch(branch, "production");
  return fx.repository.commit(branch, { [WEB]: web });
}

describe("merge_group", () => {
  test("checks_requested posts the same check names on the group's head sha, evaluating its content", async () => {
    const fx = productionRepo();
    const GROUP = queue(fx, BAD_WEB);
    const { receive } = await startApp(fx);
    await receive("merge_group", mergeGroup(fx, "checks_requested", { headSha: GROUP, baseRef: "production" }));

    expect(fx.requests).toContain(`GET /repos/acme/gitops/compare/${fx.sha.prod}...${GROUP}?per_page=100`);
    expect(fx.created).toEqual([expect.objectContaining({ name: PROD_CHECK, head_sha: GROUP, status: "in_progress" })]);
    const [run] = fx.runsNamed(PROD_CHECK);
    expect(fx.completion(run.id).conclusion).toBe("failure");
    expect(fx.graphqlReads.filter((r) => r.path === WEB)).toEqual([{ sha: GROUP, path: WEB }]);
    expect(fx.pending()).toEqual([]);
  });

  test("a frozen environment fails the merge group's check, so the queue does not merge into it", async () => {
    const fx = productionRepo();
    const GROUP = queue(fx, `${GOOD_WEB}# bumped\n`);
    fx.repository.createIssue({
      number: 12,
      title: "Freeze: production",
      body: freezeMarker({ environment: "production", by: "alice", reason: "incident 123" }),
      labels: ["stagegate:freeze:production"],
      author: "stagegate[bot]",
      appId: fx.appId,
    });
    const { receive } = await startApp(fx);
    await receive("merge_group", mergeGroup(fx, "checks_requested", { headSha: GROUP, baseRef: "production" }));
    const [run] = fx.runsNamed(PROD_CHECK);
    const done = fx.completion(run.id);
    expect(done.conclusion).toBe("failure");
    expect(done.output.summary).toMatch(/frozen .*by @alice: incident 123/);
  });

  test("destroyed cancels our runs still in progress on the group's sha, and only those", async () => {
    const fx = productionRepo();
    const GROUP = queue(fx, `${GOOD_WEB}# queued\n`);
    const running = fx.seedRun({ name: PROD_CHECK, head_sha: GROUP, status: "in_progress", conclusion: null });
    const done = fx.seedRun({
      name: "stagegate / staging",
      head_sha: GROUP,
      status: "completed",
      conclusion: "success",
    });
    const foreign = fx.seedRun({
      name: "ci / build",
      head_sha: GROUP,
      status: "in_progress",
      conclusion: null,
      app: { id: 999 },
    });
    const { receive } = await startApp(fx);
    await receive("merge_group", mergeGroup(fx, "destroyed", { headSha: GROUP, baseRef: "production" }));

    expect(fx.updates.map((u) => u.id)).toEqual([running.id]);
    expect(fx.completion(running.id)).toMatchObject({
      status: "completed",
      conclusion: "cancelled",
      output: { title: "Merge group destroyed" },
    });
    expect(done.conclusion).toBe("success");
    expect(foreign.status).toBe("in_progress");
    expect(fx.pending()).toEqual([]);
  });
});

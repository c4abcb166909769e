/** The freeze scheduler's configs, cached by default-branch commit (issue 13). */
import { clientForInstallation } from "../../src/github/probot.js";
import { ConfigBySha } from "../../src/pipeline/freeze-scheduler.js";
import { startApp, useNock } from "../handlers/harness.js";
import { productionRepo } from "../handlers/scenarios.js";

useNock();

test("an unchanged default branch costs one request and no config read; a new commit reads it again", async () => {
  const fx = productionRepo();
  const { probot } = await startApp(fx);
  const repo = { owner: fx.owner, repo: fx.repo };
  const cache = new ConfigBySha();
  // One client per tick, as the scheduler builds them.
  const tick = async () => cache.get(await clientForInstallation(probot, fx.installationId, repo), fx.fullName);

  const first = await tick();
  expect(first?.branch).toBe("main");
  const afterFirst = fx.requests.length;
  const second = await tick();
  expect(second).toBe(first);
  const graphql = fx.requests.slice(afterFirst).filter((r) => r.startsWith("POST /graphql"));
  expect(graphql).toHaveLength(1);
  expect(
    fx.requests.slice(afterFirst).filter((r) => !r.startsWith("POST /graphql") && !r.includes("/access_tokens")),
  ).toEqual([]);

  fx.repository.commit("main", { "README.md": "# moved\n" });
  const third = await tick();
  expect(third).not.toBe(first);
  expect(third?.config).toEqual(first?.config);
});

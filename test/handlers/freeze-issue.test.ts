import { startApp, useNock } from "./harness.js";
import { envelope, promotingRepo as repo, PROD_CHECK } from "./scenarios.js";
import type { GitHubFixture } from "./github-fixture.js";

useNock();

describe("freeze issues", () => {
  const issueEvent = (fx: GitHubFixture, action: string, labels: string[]) => ({
    action,
    issue: { number: 12, title: "production frozen", state: action === "closed" ? "closed" : "open", labels: labels.map((name) => ({ name })), user: { login: "stagegate[bot]" } },
    ...envelope(fx),
  });

  test("closing a freeze issue re-evaluates the open PRs into that environment at once", async () => {
    const fx = repo();
    const { receive } = await startApp(fx);
    await receive("issues", issueEvent(fx, "closed", ["stagegate:freeze:production"]));
    expect(fx.runsNamed(PROD_CHECK)).toHaveLength(1);
  });

  test("closing any other issue does nothing", async () => {
    const fx = repo();
    const { receive } = await startApp(fx);
    await receive("issues", issueEvent(fx, "closed", ["bug"]));
    expect(fx.requests).toEqual([]);
  });
});

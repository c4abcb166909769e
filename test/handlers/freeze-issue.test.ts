import { startApp, useNock } from "./harness.js";
import { envelope, productionRepo, PROD_CHECK, PROMOTING_CONFIG } from "./scenarios.js";
import { BAD_WEB } from "./repo-content.js";
import type { GitHubFixture } from "./github-fixture.js";

useNock();

/** production may be unfrozen by carol only. */
const CONFIG = PROMOTING_CONFIG.replace(
  "    promote_from: staging\n",
  "    promote_from: staging\n    freeze:\n      allowed: { users: [carol] }\n",
);

function repo(): GitHubFixture & { writes: string[] } {
  const fx = productionRepo({ config: CONFIG, change: { "envs/production/web.yaml": BAD_WEB } }) as GitHubFixture & {
    writes: string[];
  };
  fx.writes = [];
  fx.override = (method, path, body) => {
    const m = /\/collaborators\/([^/]+)\/permission$/.exec(path);
    if (method === "GET" && m)
      return [200, { permission: m[1] === "mallory" || m[1] === "carol" ? "write" : "read", user: { login: m[1] } }];
    if (method === "PATCH" && path.endsWith("/issues/12"))
      return (fx.writes.push(`reopen ${body.state}`), [200, { number: 12, state: body.state }]);
    if (method === "POST" && path.endsWith("/issues/12/labels"))
      return (fx.writes.push(`label ${body.labels}`), [200, []]);
    if (method === "POST" && path.endsWith("/issues/12/comments"))
      return (fx.writes.push(`comment ${body.body}`), [201, { id: 1, html_url: "" }]);
    return undefined;
  };
  return fx;
}

const issueEvent = (
  fx: GitHubFixture,
  action: string,
  by: { login: string; type: string },
  labels: string[],
  removed?: string,
) => ({
  action,
  issue: {
    number: 12,
    title: "production frozen",
    state: action === "closed" ? "closed" : "open",
    labels: labels.map((name) => ({ name })),
    user: { login: "stagegate[bot]" },
  },
  ...(removed ? { label: { name: removed } } : {}),
  ...envelope(fx),
  sender: { ...by, id: 7 },
});

describe("freeze issues", () => {
  test("closed by someone allowed to unfreeze: the open PRs into that environment are re-evaluated at once", async () => {
    const fx = repo();
    const { receive } = await startApp(fx);
    await receive(
      "issues",
      issueEvent(fx, "closed", { login: "carol", type: "User" }, ["stagegate:freeze:production"]),
    );
    expect(fx.runsNamed(PROD_CHECK)).toHaveLength(1);
    expect(fx.writes).toEqual([]);
  });

  test("closed by someone else: reopened, with a reply naming who may unfreeze, and nothing re-evaluated", async () => {
    const fx = repo();
    const { receive } = await startApp(fx);
    await receive(
      "issues",
      issueEvent(fx, "closed", { login: "mallory", type: "User" }, ["stagegate:freeze:production"]),
    );
    expect(fx.writes[0]).toBe("reopen open");
    expect(fx.writes[1]).toMatch(/^comment @mallory cannot unfreeze `production`: needs to be one of @carol/);
    expect(fx.runsNamed(PROD_CHECK)).toHaveLength(0);
  });

  test("closed by the app itself (/gate unfreeze) re-evaluates; closed by another bot (a stale-issue bot) is reverted", async () => {
    const fx = repo();
    const { receive } = await startApp(fx);
    await receive(
      "issues",
      issueEvent(fx, "closed", { login: "stagegate[bot]", type: "Bot" }, ["stagegate:freeze:production"]),
    );
    expect(fx.runsNamed(PROD_CHECK)).toHaveLength(1);
    await receive(
      "issues",
      issueEvent(fx, "closed", { login: "stale[bot]", type: "Bot" }, ["stagegate:freeze:production"]),
    );
    expect(fx.writes[0]).toBe("reopen open");
  });

  test("the freeze label removed by someone else is put back", async () => {
    const fx = repo();
    const { receive } = await startApp(fx);
    await receive(
      "issues",
      issueEvent(fx, "unlabeled", { login: "mallory", type: "User" }, [], "stagegate:freeze:production"),
    );
    expect(fx.writes[0]).toBe("label stagegate:freeze:production");
  });

  test("closing any other issue does nothing", async () => {
    const fx = repo();
    const { receive } = await startApp(fx);
    await receive("issues", issueEvent(fx, "closed", { login: "mallory", type: "User" }, ["bug"]));
    expect(fx.requests).toEqual([]);
  });
});

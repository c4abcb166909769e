import { startApp, useNock } from "./harness.js";
import { envelope, productionRepo, PROD_CHECK, PROMOTING_CONFIG } from "./scenarios.js";
import { BAD_WEB } from "./repo-content.js";
import type { SimGitHub } from "../support/github.js";

useNock();

/** production may be unfrozen by carol only. */
const CONFIG = PROMOTING_CONFIG.replace(
  "    promote_from: staging\n",
  "    promote_from: staging\n    freeze:\n      allowed: { users: [carol] }\n",
);

/** PR #7 into production, and issue #12 freezing production (closed, as the events below report it). */
function repo(): SimGitHub {
  const fx = productionRepo({ config: CONFIG, change: { "envs/production/web.yaml": BAD_WEB } });
  fx.repository.setPermission("mallory", "write");
  fx.repository.setPermission("carol", "write");
  fx.repository.createIssue({
    number: 12,
    title: "production frozen",
    labels: ["stagegate:freeze:production"],
    author: "stagegate[bot]",
    appId: fx.appId,
  }).state = "closed";
  return fx;
}

/** What the app wrote on issue #12, in order: `reopen <state>`, `label <names>`, `comment <body>`. */
function writes(fx: SimGitHub): string[] {
  return fx.bodies.flatMap(({ request, body }) => {
    if (request === "PATCH /repos/acme/gitops/issues/12") return [`reopen ${body.state}`];
    if (request === "POST /repos/acme/gitops/issues/12/labels") return [`label ${body.labels}`];
    if (request === "POST /repos/acme/gitops/issues/12/comments") return [`comment ${body.body}`];
    return [];
  });
}

const issueEvent = (
  fx: SimGitHub,
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
    expect(writes(fx)).toEqual([]);
  });

  test("closed by someone else: reopened, with a reply naming who may unfreeze, and nothing re-evaluated", async () => {
    const fx = repo();
    const { receive } = await startApp(fx);
    await receive(
      "issues",
      issueEvent(fx, "closed", { login: "mallory", type: "User" }, ["stagegate:freeze:production"]),
    );
    expect(writes(fx)[0]).toBe("reopen open");
    expect(writes(fx)[1]).toMatch(/^comment @mallory cannot unfreeze `production`: needs to be one of @carol/);
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
    expect(writes(fx)[0]).toBe("reopen open");
  });

  test("the freeze label removed by someone else is put back", async () => {
    const fx = repo();
    const { receive } = await startApp(fx);
    await receive(
      "issues",
      issueEvent(fx, "unlabeled", { login: "mallory", type: "User" }, [], "stagegate:freeze:production"),
    );
    expect(writes(fx)[0]).toBe("label stagegate:freeze:production");
  });

  test("closing any other issue does nothing", async () => {
    const fx = repo();
    const { receive } = await startApp(fx);
    await receive("issues", issueEvent(fx, "closed", { login: "mallory", type: "User" }, ["bug"]));
    expect(fx.requests).toEqual([]);
  });
});

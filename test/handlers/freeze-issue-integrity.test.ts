import { freezeMarker, freezeRecord } from "../../src/gather/freeze-marker.js";
import type { SimGitHub } from "../support/github.js";
import { startApp, useNock } from "./harness.js";
import { pullRequest } from "./payloads.js";
import { configWith, GOOD_WEB } from "./repo-content.js";
import { envelope, productionRepo, PROD_CHECK, WEB } from "./scenarios.js";

useNock();

/** production may be unfrozen by carol only; PR #7 into production is otherwise clean. */
const CONFIG = configWith(`  production:
    branches: [production]
    paths: ["envs/production/**"]
    freeze:
      allowed: { users: [carol] }
`);
const LABEL = "stagegate:freeze:production";
const MARK = { environment: "production", by: "carol", reason: "incident 123" };

/** Issue #12: carol's freeze of production, as `/gate freeze` leaves it (issue, label, body marker, record). */
function frozenRepo(): SimGitHub {
  const fx = productionRepo({ config: CONFIG, change: { [WEB]: GOOD_WEB.replace("web:1.4.0", "web:1.5.0") } });
  fx.repository.setPermission("mallory", "write");
  fx.repository.setPermission("carol", "write");
  fx.repository.createIssue({
    number: 12,
    title: "Freeze: production (incident 123)",
    body: `Every merge into production is stopped.\n\n${freezeMarker(MARK)}`,
    labels: [LABEL],
    author: fx.state.botLogin,
    appId: fx.appId,
  });
  fx.repository.addComment(12, fx.state.botLogin, freezeRecord(MARK, "close this issue."), fx.appId);
  return fx;
}

/** An `issues` event on #12 as GitHub sends it (the issue as it is now in the simulator). */
function issueEvent(fx: SimGitHub, action: string, by: string, extra: Record<string, unknown> = {}) {
  const i = fx.repository.issue(12);
  return {
    action,
    issue: {
      number: 12,
      title: i.title,
      body: i.body,
      state: i.state,
      html_url: `https://github.com/${fx.fullName}/issues/12`,
      labels: i.labels.map((name) => ({ name })),
      user: { login: fx.state.botLogin, type: "Bot" },
      performed_via_github_app: { id: fx.appId },
    },
    ...envelope(fx),
    sender: { login: by, type: by.endsWith("[bot]") ? "Bot" : "User", id: 7 },
    ...extra,
  };
}

const latest = (fx: SimGitHub) => fx.runsNamed(PROD_CHECK).at(-1)?.conclusion;
const evaluate = (fx: SimGitHub) => pullRequest(fx, 7, "synchronize");
/** The app's writes on issues: `POST /issues` (a new one), labels and comments, by issue number. */
const issueWrites = (fx: SimGitHub) =>
  fx.bodies.flatMap(({ request, body }) => {
    const m = /^(POST|PATCH) \/repos\/acme\/gitops\/issues(?:\/(\d+)(?:\/(\w+))?)?$/.exec(request);
    if (!m) return [];
    return [`${m[1]} ${m[2] ?? "new"} ${m[3] ?? ""} ${JSON.stringify(body)}`.replace(/ {2}/, " ")];
  });

describe("issue 11 item 6: a writer cannot lift a manual freeze without closing its issue", () => {
  test("issue 11 item 6: editing the freeze issue's body (its marker) does not lift the freeze", async () => {
    const fx = frozenRepo();
    const { receive } = await startApp(fx);
    const before = fx.repository.issue(12).body;
    fx.repository.issue(12).body = freezeMarker({ ...MARK, environment: "staging" });
    await receive("issues", issueEvent(fx, "edited", "mallory", { changes: { body: { from: before } } }));
    await receive("pull_request", evaluate(fx));
    expect(latest(fx)).toBe("failure");
    expect(issueWrites(fx).join("\n")).toMatch(/Editing this issue does not change or lift the freeze of `production`/);
  });

  test("issue 11 item 6: renaming the freeze label does not lift the freeze, and the label is put back", async () => {
    const fx = frozenRepo();
    const { receive } = await startApp(fx);
    fx.repository.issue(12).labels.splice(0, 1, "whatever");
    await receive("label", {
      action: "edited",
      label: { name: "whatever" },
      changes: { name: { from: LABEL } },
      ...envelope(fx),
      sender: { login: "mallory", type: "User", id: 7 },
    });
    expect(fx.repository.issue(12).labels).toContain(LABEL);
    fx.repository.issue(12).labels.splice(0); // and deleted outright: the record still holds
    await receive("pull_request", evaluate(fx));
    expect(latest(fx)).toBe("failure");
  });

  test("issue 11 item 6: transferring the freeze issue away opens the freeze again", async () => {
    const fx = frozenRepo();
    const { receive } = await startApp(fx);
    const event = issueEvent(fx, "transferred", "mallory", {
      changes: { new_issue: { html_url: "https://github.com/acme/elsewhere/issues/1" } },
    });
    fx.repository.issueMap.delete(12);
    await receive("issues", event);
    const opened = fx.repository.issues().filter((i) => !i.isPullRequest && i.state === "open");
    expect(opened.map((i) => [i.labels, i.appId])).toEqual([[[LABEL], fx.appId]]);
    expect(fx.repository.comments(opened[0].number).map((c) => c.body)).toEqual([
      expect.stringMatching(/^\*\*Freeze record:\*\* `production` frozen by @carol: incident 123/),
    ]);
    expect(latest(fx)).toBe("failure");
  });

  test("a transfer by someone allowed to unfreeze lifts the freeze", async () => {
    const fx = frozenRepo();
    const { receive } = await startApp(fx);
    const event = issueEvent(fx, "transferred", "carol");
    fx.repository.issueMap.delete(12);
    await receive("issues", event);
    expect(issueWrites(fx)).toEqual([]);
    expect(latest(fx)).toBe("success");
  });

  test("editing or deleting the app's record: the freeze holds and the record is posted again", async () => {
    const fx = frozenRepo();
    const { receive } = await startApp(fx);
    const [record] = fx.repository.comments(12);
    const was = record.body;
    record.body = "nothing to see";
    record.updatedAt = new Date(Date.parse(record.createdAt) + 1000).toISOString();
    fx.repository.issue(12).body = "";
    fx.repository.issue(12).labels.splice(0);
    await receive("issue_comment", {
      ...issueEvent(fx, "edited", "mallory"),
      comment: { id: record.id, body: record.body, performed_via_github_app: { id: fx.appId } },
      changes: { body: { from: was } },
    });
    expect(fx.repository.comments(12).map((c) => c.body)).toEqual([
      "nothing to see",
      expect.stringMatching(/^\*\*Freeze record:\*\* `production` frozen by @carol: incident 123/),
    ]);
    expect(latest(fx)).toBe("failure");
  });
});

describe("issue 11 item 9: restoring a freeze label re-evaluates", () => {
  test("issue 11 item 9: a PR evaluated while the label was off is re-evaluated when it comes back", async () => {
    const fx = frozenRepo();
    const { receive } = await startApp(fx);
    fx.repository.issue(12).labels.splice(0); // removed (its unlabeled event lost, or not yet handled)
    await receive("pull_request", evaluate(fx));
    fx.repository.issue(12).labels.push(LABEL);
    await receive("issues", issueEvent(fx, "labeled", fx.state.botLogin, { label: { name: LABEL } }));
    expect(fx.runsNamed(PROD_CHECK)).toHaveLength(2);
    expect(latest(fx)).toBe("failure");
  });
});

import { push } from "./payloads.js";
import { startApp, useNock } from "./harness.js";
import { envelope, promotingRepo as repo, PROD_CHECK } from "./scenarios.js";
import type { SimGitHub } from "../support/github.js";

useNock();

const status = (fx: SimGitHub, branch: string) => ({
  id: 1,
  sha: fx.sha.staging,
  context: "argocd/staging",
  state: "success",
  description: "synced",
  target_url: null,
  branches: [{ name: branch, commit: { sha: fx.sha.staging, url: "" }, protected: false }],
  commit: { sha: fx.sha.staging },
  ...envelope(fx),
});

const checkRunCompleted = (fx: SimGitHub, appId: number, branch: string) => ({
  action: "completed",
  check_run: {
    id: 77,
    name: "argocd/staging",
    head_sha: fx.sha.staging,
    status: "completed",
    conclusion: "success",
    app: { id: appId, slug: "argo" },
    check_suite: { id: 5, head_branch: branch, head_sha: fx.sha.staging },
    pull_requests: [],
  },
  ...envelope(fx),
});

describe("the source stage reports", () => {
  test("a status on the staging branch re-evaluates the open PRs into production", async () => {
    const fx = repo();
    const { receive } = await startApp(fx);
    await receive("status", status(fx, "staging"));
    expect(fx.runsNamed(PROD_CHECK).map((r) => r.conclusion)).toEqual(["failure"]);
    expect(fx.pending()).toEqual([]);
  });

  test("another app's check run completing on staging does too; our own never does", async () => {
    const fx = repo();
    const { receive } = await startApp(fx);
    await receive("check_run", checkRunCompleted(fx, fx.appId, "staging"));
    expect(fx.requests.filter((r) => !r.includes("access_tokens"))).toEqual([]);
    await receive("check_run", checkRunCompleted(fx, 555, "staging"));
    expect(fx.runsNamed(PROD_CHECK)).toHaveLength(1);
  });

  test("a status on a branch that is no source stage re-evaluates nothing", async () => {
    const fx = repo();
    const { receive } = await startApp(fx);
    await receive("status", status(fx, "feature-1"));
    expect(fx.created).toEqual([]);
  });

  test("a push to staging re-evaluates the PRs promoted from it", async () => {
    const fx = repo();
    const { receive } = await startApp(fx);
    await receive("push", push(fx, "staging", fx.sha.staging, ["envs/production/api.yaml"]));
    expect(fx.runsNamed(PROD_CHECK).map((r) => r.conclusion)).toEqual(["failure"]);
  });
});

/**
 * A check whose evaluation finishes before `startAfterMs` is created completed, annotations included, in one write;
 * one with more than 50 annotations is created with the first batch and completed with the last. The delay here is
 * far longer than any evaluation, so nothing depends on timing.
 */
import { withRuntime } from "../../src/app.js";
import { startApp, useNock } from "../handlers/harness.js";
import { pullRequest } from "../handlers/payloads.js";
import { BAD_WEB, MANY_POLICY, manyKeys } from "../handlers/repo-content.js";
import { productionRepo, PROD_CHECK, WEB } from "../handlers/scenarios.js";

useNock();

const deferred = () => withRuntime({ startAfterMs: 600_000 });

test("a quick evaluation: one create, completed, with its annotations, and no update", async () => {
  const fx = productionRepo({ change: { [WEB]: BAD_WEB } });
  const { receive } = await startApp(fx, deferred());
  await receive("pull_request", pullRequest(fx, 7, "opened"));
  const [created] = fx.createdNamed(PROD_CHECK);
  expect(created).toMatchObject({ status: "completed", conclusion: "failure" });
  expect(created.output.annotations.length).toBeGreaterThan(0);
  expect(fx.updates).toEqual([]);
  expect(fx.pending()).toEqual([]);
});

test("120 annotations: created with the first 50, then 50, then completed with the last 20", async () => {
  const file = "envs/production/many.yaml";
  const fx = productionRepo({ mainFiles: { "policy/main.rego": MANY_POLICY }, change: { [file]: manyKeys(120) } });
  const { receive } = await startApp(fx, deferred());
  await receive("pull_request", pullRequest(fx, 7, "opened"));
  const [created] = fx.createdNamed(PROD_CHECK);
  expect(created.status).toBe("in_progress");
  expect(created.output.annotations).toHaveLength(50);
  const [run] = fx.runsNamed(PROD_CHECK);
  const updates = fx.updatesOf(run.id);
  expect(updates.map((u) => u.output.annotations?.length ?? 0)).toEqual([50, 20]);
  expect(updates.map((u) => u.status ?? null)).toEqual([null, "completed"]);
  expect(fx.annotationsOf(run.id)).toHaveLength(70);
  expect(fx.pending()).toEqual([]);
});

test("an evaluation that fails before any run started posts its checks failing, in one write each", async () => {
  const fx = productionRepo({ change: { [WEB]: BAD_WEB } });
  fx.override = (method, path, body) =>
    method === "POST" && path === "/graphql" && String(body.query).includes(fx.sha.merge)
      ? [500, { message: "Server Error" }]
      : undefined;
  const { receive } = await startApp(fx, deferred());
  await receive("pull_request", pullRequest(fx, 7, "opened"), "d-x");
  const [created] = fx.createdNamed(PROD_CHECK);
  expect(created).toMatchObject({ status: "completed", conclusion: "failure" });
  expect(created.output.title).toMatch(/^Stagegate could not evaluate this change/);
  expect(fx.updates).toEqual([]);
});

/** `mode: shadow`: green, says what would have failed, and no failure- or warning-level annotations. */
import { startApp, useNock } from "../handlers/harness.js";
import { pullRequest } from "../handlers/payloads.js";
import { BAD_WEB, BRANCH_CONFIG, GOOD_WEB } from "../handlers/repo-content.js";
import { productionRepo, PROD_CHECK, WEB } from "../handlers/scenarios.js";

useNock();

test("a shadow check that would fail is green, titled so, with notice annotations only", async () => {
  const { fx, receive } = await startApp(
    productionRepo({ config: BRANCH_CONFIG("shadow"), change: { [WEB]: BAD_WEB } }),
  );
  await receive("pull_request", pullRequest(fx, 7, "opened"));
  const [run] = fx.runsNamed(PROD_CHECK);
  const done = fx.completion(run.id);
  expect(done.conclusion).toBe("success");
  expect(done.output.title).toMatch(/^Would fail if enforced: .*shadow mode/);
  expect(done.output.summary).toMatch(
    /^\*\*Shadow mode:\*\* this check never blocks\. Enforced, it would have \*\*failed/,
  );
  const levels = new Set(fx.annotationsOf(run.id).map((a) => a.annotation_level));
  expect([...levels]).toEqual(["notice"]);
});

test("a shadow check that would pass says so", async () => {
  const { fx, receive } = await startApp(
    productionRepo({ config: BRANCH_CONFIG("shadow"), change: { [WEB]: GOOD_WEB } }),
  );
  await receive("pull_request", pullRequest(fx, 7, "opened"));
  const [run] = fx.runsNamed(PROD_CHECK);
  const done = fx.completion(run.id);
  expect(done.conclusion).toBe("success");
  expect(done.output.title).not.toMatch(/Would fail/);
  expect(done.output.summary).toContain("Enforced, it would have passed.");
});

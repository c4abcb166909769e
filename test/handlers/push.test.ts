import { push } from "./payloads.js";
import { startApp, useNock } from "./harness.js";
import { BAD_WEB, GOOD_WEB } from "./repo-content.js";
import { directoryRepo, openPull, productionRepo, PROD_CHECK, STAGING_CHECK, WEB } from "./scenarios.js";
import type { SimGitHub } from "../support/github.js";

useNock();

/** PR #7 into production (violating) and PR #8 into staging (head `other`). */
function twoPulls(): SimGitHub {
  const fx = productionRepo({ change: { [WEB]: BAD_WEB } });
  fx.sha.other = openPull(fx, 8, { from: "staging", base: "staging", change: { [WEB]: GOOD_WEB + "# 8\n" } }).head;
  return fx;
}

/** `check name@commit name` of every check run created. */
const checksOn = (fx: SimGitHub) =>
  fx.created.map((c) => `${c.name}@${Object.keys(fx.sha).find((k) => fx.sha[k] === c.head_sha) ?? c.head_sha}`).sort();

describe("push", () => {
  test.each([".github/stagegate.yml", "policy/main.rego"])(
    "to the default branch changing %s re-evaluates every open PR",
    async (path) => {
      const fx = twoPulls();
      const { receive } = await startApp(fx);
      await receive("push", push(fx, "main", fx.sha.main, [path]));

      expect(fx.requests).toContain("GET /repos/acme/gitops/pulls?state=open&per_page=100");
      expect(checksOn(fx)).toEqual([`${PROD_CHECK}@head`, `${STAGING_CHECK}@other`]);
      expect(fx.runsNamed(PROD_CHECK).map((r) => r.conclusion)).toEqual(["failure"]);
      expect(fx.pending()).toEqual([]);
    },
  );

  test("to the default branch changing only a README does nothing", async () => {
    const fx = twoPulls();
    const { receive } = await startApp(fx);
    await receive("push", push(fx, "main", fx.sha.main, ["README.md"]));
    expect(fx.requests.filter((r) => r.includes("/pulls"))).toEqual([]);
    expect(fx.requests.filter((r) => r.includes("check-runs"))).toEqual([]);
  });

  test("to an environment branch re-evaluates the open PRs into it", async () => {
    const fx = twoPulls();
    const { receive } = await startApp(fx);
    await receive("push", push(fx, "production", fx.sha.prod, ["envs/production/api.yaml"]));

    expect(fx.requests).toContain("GET /repos/acme/gitops/pulls?state=open&per_page=100&base=production");
    // The pushed commit itself came from no gated PR: an incident check on it (test/handlers/incident.test.ts).
    expect(checksOn(fx)).toEqual([`${PROD_CHECK}@head`, `${PROD_CHECK}@prod`]);
  });

  test("to a branch no environment maps to does nothing more than read the config", async () => {
    const fx = twoPulls();
    const { receive } = await startApp(fx);
    await receive("push", push(fx, "feature-9", fx.sha.other, [WEB]));
    expect(fx.requests.filter((r) => r.includes("/pulls") || r.includes("check-runs"))).toEqual([]);
  });

  test("a deleted branch or a tag is ignored without a request", async () => {
    const fx = twoPulls();
    const { receive } = await startApp(fx);
    await receive("push", { ...push(fx, "production", "0".repeat(40), []), deleted: true });
    await receive("push", { ...push(fx, "main", fx.sha.main, [".github/stagegate.yml"]), ref: "refs/tags/v1" });
    expect(fx.requests).toEqual([]);
  });

  test("in a repository without config, nothing is re-evaluated", async () => {
    const fx = productionRepo({ config: null });
    const { receive } = await startApp(fx);
    await receive("push", push(fx, "main", fx.sha.main, ["policy/main.rego"]));
    expect(fx.requests.filter((r) => r.includes("/pulls") || r.includes("check-runs"))).toEqual([]);
  });

  describe("directory per environment (one branch)", () => {
    test("a push to main touching only a README re-evaluates nothing", async () => {
      const fx = directoryRepo({ [WEB]: BAD_WEB });
      const { receive } = await startApp(fx);
      await receive("push", push(fx, "main", fx.sha.main, ["README.md"]));
      expect(fx.requests.filter((r) => r.includes("/pulls") || r.includes("check-runs"))).toEqual([]);
    });

    test("a push to main touching an environment's files re-evaluates the open PRs into main", async () => {
      const fx = directoryRepo({ [WEB]: BAD_WEB });
      const { receive } = await startApp(fx);
      await receive("push", push(fx, "main", fx.sha.main, ["envs/production/api.yaml"]));
      expect(fx.requests).toContain("GET /repos/acme/gitops/pulls?state=open&per_page=100&base=main");
      // main's commit came from no gated PR and touches production's files: an incident check on it.
      expect(checksOn(fx)).toEqual([`${PROD_CHECK}@head`, `${PROD_CHECK}@main`, `${STAGING_CHECK}@head`]);
    });
  });
});

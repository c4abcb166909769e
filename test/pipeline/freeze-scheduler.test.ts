import { recheck } from "../../src/pipeline/freeze-scheduler.js";
import { createAppState } from "../../src/handlers/context.js";
import { startApp, useNock } from "../handlers/harness.js";
import { BAD_WEB, configWith } from "../handlers/repo-content.js";
import { productionRepo, PROD_CHECK, WEB } from "../handlers/scenarios.js";

useNock();

/** production has a weekly window; PR #7 into production is open. */
const FROZEN_CONFIG = configWith(`  production:
    branches: [production]
    freeze:
      windows:
        - weekly: "Fri 16:00 - Mon 08:00"
          timezone: Europe/Berlin
          reason: weekend freeze
`);

/** The app's one installation lists this repository (GET /app/installations, GET /installation/repositories). */
const installedRepo = () => productionRepo({ config: FROZEN_CONFIG, change: { [WEB]: BAD_WEB } });

describe("freeze window re-check", () => {
  // Saturday noon in Berlin is inside the window; Tuesday is outside.
  const saturday = Date.parse("2026-11-28T11:00:00Z");
  const tuesday = Date.parse("2026-11-24T11:00:00Z");

  test("the first tick after a start re-evaluates the open PRs into environments with windows", async () => {
    const fx = installedRepo();
    const { probot } = await startApp(fx);
    await recheck(probot, createAppState(probot), undefined, saturday, probot.log);
    expect(fx.runsNamed(PROD_CHECK)).toHaveLength(1);
    expect(fx.pending()).toEqual([]);
  });

  test("a window that opened since the last tick re-evaluates; a quiet span does not", async () => {
    const fx = installedRepo();
    const { probot } = await startApp(fx);
    const state = createAppState(probot);
    await recheck(probot, state, tuesday, tuesday + 60_000, probot.log);
    expect(fx.runsNamed(PROD_CHECK)).toHaveLength(0);
    await recheck(probot, state, Date.parse("2026-11-27T14:59:00Z"), Date.parse("2026-11-27T15:01:00Z"), probot.log); // Fri 16:00 Berlin
    expect(fx.runsNamed(PROD_CHECK)).toHaveLength(1);
  });
});

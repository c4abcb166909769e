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

describe("issue 11 item 16: one failing installation or repository does not stop the others", () => {
  const saturday = Date.parse("2026-11-28T11:00:00Z");

  test("issue 11 item 16: an installation whose token is refused is skipped; the others are re-checked", async () => {
    const fx = installedRepo();
    // Installation 1 is listed before ours (2) and GitHub refuses its token (suspended, say).
    fx.state.createRepo("broken/gitops", { installationId: 1, files: { "README.md": "# broken\n" } });
    fx.override = (method, path) =>
      method === "POST" && path === "/app/installations/1/access_tokens" ? [403, { message: "suspended" }] : undefined;
    const { probot } = await startApp(fx);
    const report = await recheck(probot, createAppState(probot), new Map(), saturday, probot.log);
    expect(report.failedInstallations).toEqual([1]);
    expect(report.done).toEqual([fx.fullName]);
    expect(fx.runsNamed(PROD_CHECK)).toHaveLength(1);
  });

  test("issue 11 item 16: a failing repository is logged and skipped, and re-checked on the next tick", async () => {
    const fx = installedRepo();
    // Listed after the failing one, in the same installation.
    const gitops = fx.state.repos.get("acme/gitops")!;
    fx.state.repos.delete("acme/gitops");
    fx.state.createRepo("acme/other", { installationId: fx.installationId, files: { "README.md": "# other\n" } });
    fx.state.repos.set("acme/gitops", gitops);
    let down = true;
    fx.override = (method, path) =>
      down && path.startsWith("/repos/acme/gitops/pulls") ? [502, { message: "Server Error" }] : undefined;
    const { probot } = await startApp(fx);
    const state = createAppState(probot);
    const marks = new Map<string, number>();
    const first = await recheck(probot, state, marks, saturday, probot.log);
    expect(first.failedRepositories).toEqual(["acme/gitops"]);
    expect(first.done).toEqual(["acme/other"]);
    expect(fx.runsNamed(PROD_CHECK)).toHaveLength(0);
    // The next tick, five quiet minutes later: the failed repository is re-checked over the span it missed.
    down = false;
    const next = await recheck(probot, state, marks, saturday + 300_000, probot.log);
    expect(next.done).toEqual(["acme/other", "acme/gitops"]);
    expect(fx.runsNamed(PROD_CHECK)).toHaveLength(1);
    expect([...marks.keys()].sort()).toEqual(["acme/gitops", "acme/other"]);
  });
});

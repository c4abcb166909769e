import type { EnvironmentConfig } from "../config/types.js";
import { activeFreezes } from "../gate/freeze.js";
import type { FreezeFacts } from "../gate/pr-input.js";
import { FREEZE_LABEL, parseFreezeMarker } from "./freeze-marker.js";
import type { PullFacts } from "./pull-facts.js";

/** The reads freeze facts need: merge groups have no pull request, so not the whole PullFacts. */
export type FreezeReads = Pick<PullFacts, "openIssues">;

/** Scheduled windows (pure) and manual freeze issues (one read). */
export async function freezeFacts(
  facts: FreezeReads,
  env: EnvironmentConfig,
  appId: number,
  nowMs: number,
): Promise<FreezeFacts> {
  const active: FreezeFacts["active"] = activeFreezes(env.freeze.windows, nowMs).map((f) => ({
    kind: "schedule",
    reason: f.reason,
    until_ns: Number.isFinite(f.untilMs) ? f.untilMs * 1e6 : null,
    by: null,
    url: null,
    // The gate's message shows the end of the window in the window's own time zone.
    timezone: f.timezone,
    window: f.window.startsWith("cron") ? "cron" : "weekly",
  }));
  active.push(...(await manualFreezes(facts, env.name, appId)));
  return { frozen: active.length > 0, active };
}

/**
 * Active manual freezes of `environment`. Anyone with triage rights can add a
 * label, so only issues this app opened count.
 */
export async function manualFreezes(
  facts: FreezeReads,
  environment: string,
  appId: number,
): Promise<FreezeFacts["active"]> {
  const out: FreezeFacts["active"] = [];
  for (const issue of await facts.openIssues(FREEZE_LABEL(environment))) {
    if (issue.appId !== appId) continue;
    const marker = parseFreezeMarker(issue.body);
    // an app-made issue for another environment (label edited by hand) does not freeze this one
    if (marker && marker.environment !== environment) continue;
    out.push({
      kind: "manual",
      reason: marker?.reason || issue.title,
      until_ns: null,
      by: marker?.by ?? null,
      url: issue.url,
    });
  }
  return out;
}

import type { EnvironmentConfig } from "../config/types.js";
import type { IssueComment } from "../gate/access.js";
import { activeFreezes } from "../gate/freeze.js";
import type { FreezeFacts } from "../gate/pr-input.js";
import { freezeRecordOf, labelEnvironment, parseFreezeMarker } from "./freeze-marker.js";
import type { PullFacts } from "./pull-facts.js";

/**
 * The reads freeze facts need: every open issue (not by label: a label can be
 * renamed or deleted by anyone with triage rights) and the comments of the
 * ones this app opened. Merge groups have no pull request, so not the whole PullFacts.
 */
export type FreezeReads = Pick<PullFacts, "openIssues" | "issueComments">;

/** An open issue as the freeze derivation reads it. */
export interface FreezeIssue {
  number: number;
  title: string;
  body: string | null;
  url: string;
  labels?: string[];
}

/** What one open issue the app opened freezes. */
export interface ManualFreeze {
  issue: number;
  url: string;
  /** The environments it freezes; `every` when its record is gone and nothing else names one (fail closed). */
  environments: string[] | "every";
  by: string | null;
  reason: string;
  /** True when an unedited record comment by the app names the environments; false: edited, deleted or older. */
  recorded: boolean;
}

/** Scheduled windows (pure) and manual freeze issues. */
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

/** Active manual freezes of `environment`, as the freeze gate reads them. */
export async function manualFreezes(
  facts: FreezeReads,
  environment: string,
  appId: number,
): Promise<FreezeFacts["active"]> {
  return (await appFreezes(facts, appId))
    .filter((f) => freezes(f, environment))
    .map((f) => ({ kind: "manual", reason: f.reason, until_ns: null, by: f.by, url: f.url }));
}

/** Every open issue this app opened, with what it freezes. The app opens issues for nothing else. */
export async function appFreezes(facts: FreezeReads, appId: number): Promise<ManualFreeze[]> {
  const mine = (await facts.openIssues()).filter((i) => i.appId === appId);
  return Promise.all(mine.map(async (i) => freezeOfIssue(i, await facts.issueComments(i.number), appId)));
}

export const freezes = (f: ManualFreeze, environment: string): boolean =>
  f.environments === "every" || f.environments.includes(environment);

/**
 * What one issue the app opened freezes. Pure. The app's unedited record
 * comments decide; a person can edit the body, title and labels, and edit or
 * delete comments, so when no trusted record is left the freeze holds for
 * every environment anything on the issue names, or for every environment
 * when nothing does: tampering can never lift a freeze, only closing the issue
 * (by someone allowed to unfreeze) can.
 */
export function freezeOfIssue(issue: FreezeIssue, comments: IssueComment[], appId: number): ManualFreeze {
  const records = comments.flatMap((c) => {
    const mark = c.appId === appId ? freezeRecordOf(c.body) : undefined;
    return mark ? [{ mark, edited: c.edited }] : [];
  });
  const trusted = records.filter((r) => !r.edited).map((r) => r.mark);
  const base = { issue: issue.number, url: issue.url };
  if (trusted.length > 0) {
    const first = trusted[0];
    const environments = [...new Set(trusted.map((m) => m.environment))];
    return { ...base, environments, by: first.by || null, reason: first.reason || issue.title, recorded: true };
  }
  const body = parseFreezeMarker(issue.body);
  const named = [
    ...records.map((r) => r.mark.environment),
    ...(body ? [body.environment] : []),
    ...(issue.labels ?? []).flatMap((l) => labelEnvironment(l) ?? []),
  ];
  const environments = named.length > 0 ? [...new Set(named)] : ("every" as const);
  const reason =
    environments === "every"
      ? `the record of this freeze was edited or deleted, so it freezes every environment until it is closed`
      : body?.reason || issue.title;
  return { ...base, environments, by: body?.by || null, reason, recorded: false };
}

import type { StagegateConfig } from "../config/types.js";
import type { AccessFacts, IssueComment } from "./access.js";
import { authorize } from "./authorize.js";
import type { OverrideRecord } from "./verdict.js";

/**
 * Overrides live on GitHub only: each `/gate override` is recorded by a
 * comment FROM THE APP holding a machine-readable marker. Any replica, after
 * any restart, derives the same state by reading those comments back.
 */

export interface OverrideMark {
  environment: string;
  sha: string;
  by: string;
  reason: string;
  /** Said explicitly (`--break-freeze`): this override is meant to pass a frozen environment too. */
  breakFreeze?: boolean;
}

const MARKER = /<!-- stagegate:override (\{[^\n]*?\}) -->/g;

/** `<!-- stagegate:override {...} -->`; `<`, `>` and `--` are escaped so a reason can never close the HTML comment. */
export function overrideMarker(mark: OverrideMark): string {
  const fields = { environment: mark.environment, sha: mark.sha, by: mark.by, reason: mark.reason };
  const json = JSON.stringify(mark.breakFreeze ? { ...fields, break_freeze: true } : fields)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/--/g, "-\\u002d");
  return `<!-- stagegate:override ${json} -->`;
}

/** Every well-formed marker in a comment body; malformed ones are ignored. */
export function parseOverrideMarkers(body: string): OverrideMark[] {
  const out: OverrideMark[] = [];
  for (const m of body.matchAll(MARKER)) {
    try {
      const v = JSON.parse(m[1]) as Record<string, unknown>;
      if ([v.environment, v.sha, v.by, v.reason].every((x) => typeof x === "string" && x.length > 0)) {
        out.push({
          environment: v.environment as string,
          sha: v.sha as string,
          by: v.by as string,
          reason: v.reason as string,
          ...(v.break_freeze === true ? { breakFreeze: true } : {}),
        });
      }
    } catch {
      // not ours, or damaged: never trusted
    }
  }
  return out;
}

/** How every override record the app writes begins (see actions/override.ts). */
export const OVERRIDE_RECORD_PREFIX = "**Override of `";

/**
 * The override recorded by one app comment, or undefined. Only the comment
 * the override action writes counts: it starts with the record's fixed
 * heading, holds exactly one marker, and that marker is its last line. Text
 * the app echoes elsewhere (file paths in `/gate explain`, a reason) can
 * therefore never pass for a record, even when it contains marker syntax.
 */
export function overrideRecordOf(body: string): OverrideMark | undefined {
  if (!body.startsWith(OVERRIDE_RECORD_PREFIX)) return undefined;
  if (body.split("<!-- stagegate:override").length !== 2) return undefined;
  const lastLine = body.trimEnd().split("\n").pop() ?? "";
  const marks = parseOverrideMarkers(lastLine);
  return marks.length === 1 && lastLine.startsWith("<!-- stagegate:override ") && lastLine.endsWith(" -->")
    ? marks[0]
    : undefined;
}

/**
 * Markers for `environment` at `sha` in comments the app itself made, one per overrider (the first), in comment
 * order; an overrider who also said `--break-freeze` in any of their records breaks the freeze.
 */
export function overrideMarks(
  comments: IssueComment[],
  appId: number,
  environment: string,
  sha: string,
): OverrideMark[] {
  const seen = new Map<string, OverrideMark>();
  for (const c of comments) {
    if (c.appId !== appId) continue; // users cannot make comments through our app
    if (c.edited) continue; // maintainers can edit the app's comments: an edited record is not trusted
    const mark = overrideRecordOf(c.body);
    if (!mark || mark.environment !== environment || mark.sha !== sha) continue;
    const who = mark.by.toLowerCase();
    const first = seen.get(who);
    if (!first) seen.set(who, mark);
    else if (mark.breakFreeze && !first.breakFreeze) seen.set(who, { ...first, breakFreeze: true });
  }
  return [...seen.values()];
}

export interface OverrideQuery {
  pr: { number: number; headSha: string; author: string };
  /** The environment's name. */
  env: string;
  config: StagegateConfig;
  appId: number;
}

/**
 * The override in force for one environment on the PR's CURRENT head, or
 * undefined: each recorded overrider is re-checked as still authorized, and
 * `override.required` distinct ones are needed. It breaks a freeze only when
 * that many of them said `--break-freeze` and each may also freeze and
 * unfreeze the environment (`freeze.allowed`): a freeze is a decision of its
 * own, and an override is not a way around it.
 */
export async function deriveOverride(
  comments: { comments(issue: number): Promise<IssueComment[]> },
  access: AccessFacts,
  repo: { owner: string; repo: string },
  query: OverrideQuery,
): Promise<OverrideRecord | undefined> {
  const env = Object.hasOwn(query.config.environments, query.env) ? query.config.environments[query.env] : undefined;
  if (!env) return undefined;
  const marks = overrideMarks(await comments.comments(query.pr.number), query.appId, env.name, query.pr.headSha);
  if (marks.length === 0) return undefined;
  const valid: OverrideMark[] = [];
  for (const mark of marks) {
    const auth = await authorize(access, repo, mark.by, { kind: "override", env, prAuthor: query.pr.author });
    if (auth.ok) valid.push(mark);
  }
  const required = Math.max(1, env.override.required);
  if (valid.length === 0 || valid.length < required) return undefined;
  let breakers = 0;
  for (const mark of valid.filter((m) => m.breakFreeze)) {
    if ((await authorize(access, repo, mark.by, { kind: "freeze", env })).ok) breakers++;
  }
  return {
    by: valid.map((m) => m.by),
    reason: [...new Set(valid.map((m) => m.reason))].join("; "),
    ...(breakers >= required ? { breaksFreeze: true } : {}),
  };
}

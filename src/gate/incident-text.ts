import type { CommitFact } from "./incident-facts.js";
import type { Incident } from "./incident.js";

/**
 * What an incident says: the issue (one per environment and push, found
 * again by its marker), and the failing check on the new head. Pure.
 */

export const INCIDENT_LABEL = "stagegate:incident";
export const INCIDENT_ENV_LABEL = (env: string): string => `${INCIDENT_LABEL}:${env}`;

export interface IncidentMarker {
  environment: string;
  branch: string;
  before: string;
  after: string;
  forced: boolean;
  /** The last gated commit when one was found. */
  lastGated: string | null;
}

const MARKER = /<!-- stagegate:incident (\{[^<>]*?\}) -->/;
const SHA = /^[0-9a-f]{40}$/;

export function incidentMarker(m: IncidentMarker): string {
  return `<!-- stagegate:incident ${JSON.stringify(m).replace(/-(?=-)/g, "\\u002d")} -->`;
}

/** The marker of an incident issue's body; null when absent or malformed. */
export function parseIncidentMarker(body: string | null | undefined): IncidentMarker | null {
  const m = typeof body === "string" ? MARKER.exec(body.slice(0, 65536)) : null;
  if (!m) return null;
  try {
    const v = JSON.parse(m[1]) as Record<string, unknown>;
    const str = (k: string) => (typeof v[k] === "string" ? (v[k] as string) : undefined);
    const [environment, branch, before, after] = ["environment", "branch", "before", "after"].map(str);
    if (!environment || !branch || !before || !after || !SHA.test(after)) return null;
    const last = str("lastGated");
    return {
      environment,
      branch,
      before,
      after,
      forced: v.forced === true,
      lastGated: last && SHA.test(last) ? last : null,
    };
  } catch {
    return null;
  }
}

export function markerOf(incident: Incident): IncidentMarker {
  const { push } = incident;
  return {
    environment: incident.env,
    branch: push.branch,
    before: push.before,
    after: push.after,
    forced: push.forced,
    lastGated: incident.lastGated?.commit.sha ?? null,
  };
}

const short = (sha: string) => sha.slice(0, 7);
/** Commit titles are the pusher's words: no mentions, no markup that could break out of the list. */
const plain = (s: string) =>
  s
    .replace(/[`<>[\]]/g, "")
    .replace(/@/g, "@\u200b")
    .slice(0, 100);

export function incidentTitle(incident: Incident): string {
  const what = incident.push.forced
    ? `history of \`${incident.push.branch}\` rewritten (force push)`
    : `${incident.ungated.length} ungated commit(s) pushed to \`${incident.push.branch}\``;
  return `Incident: ${incident.env}: ${what} by ${incident.push.pusher}`.slice(0, 200);
}

export function incidentBody(incident: Incident, repoUrl: string, prefix: string): string {
  const { push, env, lastGated } = incident;
  const link = (sha: string) => `[\`${short(sha)}\`](${repoUrl}/commit/${sha})`;
  const list = (commits: CommitFact[], max = 50) =>
    commits
      .slice(-max)
      .reverse()
      .map((c) => `- ${link(c.sha)} ${plain(c.title)} (${plain(c.author)})`)
      .join("\n") + (commits.length > max ? `\n- … and ${commits.length - max} older` : "");
  const out: string[] = [];
  out.push(
    push.forced
      ? `**The history of \`${push.branch}\` was rewritten** (a force push): what \`${env}\` runs is no longer ` +
          `a state Stagegate passed.`
      : `**Commits that no gated pull request or merge group produced were pushed to \`${push.branch}\`**: ` +
          `what \`${env}\` runs is no longer a state Stagegate passed.`,
  );
  out.push(
    `\n- Pushed by: \`${plain(push.pusher)}\`` +
      `\n- Old head: ${/^0+$/.test(push.before) ? "(none: new branch)" : link(push.before)}` +
      `\n- New head: ${link(push.after)} ([compare](${repoUrl}/compare/${push.before}...${push.after}))`,
  );
  if (push.dropped.length) out.push(`\n**Commits dropped** (${push.dropped.length}):\n\n${list(push.dropped)}`);
  if (incident.ungated.length)
    out.push(`\n**Ungated commits added** (${incident.ungated.length}):\n\n${list(incident.ungated)}`);
  if (lastGated) {
    const e = lastGated.evidence;
    const why =
      e.kind === "check"
        ? `its \`stagegate / ${env}\` check passed`
        : `it is the merge of #${e.pull}, whose \`stagegate / ${env}\` check passed on ${link(e.headSha)}`;
    out.push(`\n**Last gated commit: ${link(lastGated.commit.sha)}** (\`${lastGated.commit.sha}\`): ${why}.`);
  } else {
    out.push(`\n**No gated commit was found** on \`${push.branch}\` or among the dropped commits.`);
  }
  const restore = lastGated
    ? `\`${prefix} restore ${env}\` here opens a pull request whose tree is ${short(lastGated.commit.sha)}'s, ` +
      `as a new commit on top of the current head (never a force push), so it goes through the gate.`
    : `\`${prefix} restore ${env} <sha>\` here, with a commit that passed the gate, opens a pull request that ` +
      `restores its tree as a new commit on top of the current head.`;
  out.push(
    `\n### What to do now\n\n` +
      `1. **Stop the rollout**: pause Argo CD auto-sync of the \`${env}\` application, or suspend the Flux ` +
      `Kustomization (see the README, "Incident response"). Stagegate does not talk to the cluster.\n` +
      `2. **Freeze merges**: \`${prefix} freeze ${env} <reason>\` here.\n` +
      `3. **Restore**: ${restore}\n` +
      `4. **Prevent it**: \`${prefix} doctor\` here lists the branch protection and ruleset settings to change.\n`,
  );
  out.push(incidentMarker(markerOf(incident)));
  return out.join("\n").slice(0, 60_000);
}

/** The failing (or, for `warn` environments, neutral) check on the new head. */
export function incidentCheckOutput(incident: Incident, issueUrl: string): { title: string; summary: string } {
  const { push, lastGated } = incident;
  const title = push.forced
    ? `Incident: history of ${push.branch} rewritten; not a gated state`
    : `Incident: ${incident.ungated.length} ungated commit(s) on ${push.branch}`;
  const last = lastGated ? `The last gated commit is \`${lastGated.commit.sha}\`.` : "No gated commit was found.";
  const summary =
    `This commit of \`${push.branch}\` did not pass Stagegate (pushed by \`${plain(push.pusher)}\`). ${last}\n\n` +
    `Incident issue, with what was dropped and added and how to restore: ${issueUrl}`;
  return { title: title.slice(0, 250), summary };
}

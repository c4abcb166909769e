import type { GatedHistory } from "./gated.js";
import { treePassed, type CommitFact, type Evidence, type HistoryFacts } from "./incident-facts.js";

/**
 * Whether a push to an environment's branch is an incident, and what the
 * responder needs: the commits it dropped (history rewritten), the commits it
 * added that no gated pull request or merge group produced, and the last
 * gated commit — the newest commit of the branch whose own tree passed.
 */

export interface PushFacts {
  branch: string;
  before: string;
  after: string;
  pusher: string;
  /** GitHub said `forced`, or the old head is no longer an ancestor of the new one. */
  forced: boolean;
  /** Commits the push added, oldest first. */
  added: CommitFact[];
  /** Commits of the old head that are no longer on the branch, oldest first (forced pushes). */
  dropped: CommitFact[];
  /** Where the history both heads share starts: the merge base (forced), else the old head; none for a new branch. */
  base?: string;
}

export interface LastGated {
  commit: CommitFact;
  evidence: Evidence;
}

export interface Incident {
  env: string;
  push: PushFacts;
  /** Added commits (concerning the environment) without evidence, oldest first. */
  ungated: CommitFact[];
  lastGated?: LastGated;
}

/** Older commits looked at, at most, when the last gated commit is not among the pushed or dropped ones. */
export const HISTORY_LIMIT = 30;

/**
 * The incident for one environment, or undefined when the push is clean. `concerns` narrows the added commits to
 * those that change the environment (directory per environment); a commit whose files are unknown concerns it.
 */
export async function assessPush(
  gated: GatedHistory,
  facts: HistoryFacts,
  push: PushFacts,
  concerns: (c: CommitFact) => boolean = () => true,
): Promise<Incident | undefined> {
  const ungated: CommitFact[] = [];
  for (const c of push.added) {
    if (concerns(c) && !(await gated.evidence(c.sha))) ungated.push(c);
  }
  if (!push.forced && ungated.length === 0) return undefined;
  return { env: gated.env, push, ungated, lastGated: await lastGated(gated, facts, push) };
}

/** Newest first: what the push added, then what it dropped, then the history both heads share. */
export async function lastGated(
  gated: GatedHistory,
  facts: HistoryFacts,
  push: PushFacts,
): Promise<LastGated | undefined> {
  const seen = new Set<string>();
  const look = async (commits: CommitFact[]): Promise<LastGated | undefined> => {
    for (const commit of commits) {
      if (seen.has(commit.sha)) continue;
      seen.add(commit.sha);
      const evidence = await gated.evidence(commit.sha);
      if (evidence && treePassed(evidence)) return { commit, evidence };
    }
    return undefined;
  };
  return (
    (await look([...push.added].reverse())) ??
    (await look([...push.dropped].reverse())) ??
    (push.base ? await look(await facts.history(push.base, HISTORY_LIMIT)) : undefined)
  );
}

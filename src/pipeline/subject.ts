import { COMPARE_FILE_CAP, MAX_PR_FILES, type GitHubClient } from "../github/client.js";
import type { ChangedFile, PullRequest } from "../github/types.js";

/** What gets evaluated and where its checks go: a PR's head, or a merge group's. */
export interface Subject {
  headSha: string;
  baseRef: string;
  /** The base branch's commit the change applies to (what the environment runs now, for rendered diffs). */
  baseSha?: string;
  /** Commit whose content is evaluated (the test merge commit when there is one). */
  contentSha: string;
  changed: string[];
  /** Every path the change affects: `changed` plus removed files and the old names of renamed ones. */
  touched: string[];
  /** GitHub lists at most this many changed files for the subject (3,000 for a PR, 300 for a compare). */
  listCap: number;
  note?: string;
  pr?: number;
  /** For pull requests: the facts PR-level gates and overrides are judged on. */
  pull?: { pr: PullRequest; files: ChangedFile[] };
}

/** The open PR's subject: its files, and the test merge commit when GitHub has one; undefined once closed. */
export async function pullSubject(client: GitHubClient, number: number): Promise<Subject | undefined> {
  let pr = await client.pullRequest(number);
  if (pr.state !== "open") return undefined;
  if (pr.mergeable === null) pr = await retryMergeable(client, pr);
  const { files, complete } = await client.pullRequestChanges(pr);
  const changed = files.filter((f) => f.status !== "removed").map((f) => f.path);
  // Deleting or moving an environment's files changes what it runs too: those paths count for targeting and gates.
  const touched = [...new Set(files.flatMap((f) => (f.previousPath ? [f.path, f.previousPath] : [f.path])))];
  const subject: Subject = {
    headSha: pr.headSha,
    baseRef: pr.baseRef,
    baseSha: pr.baseSha,
    contentSha: pr.headSha,
    changed,
    touched,
    // A complete change set has no cap; an incomplete one fails every environment (judge: limit/changed-files).
    listCap: complete ? Infinity : MAX_PR_FILES,
    pr: number,
    pull: { pr, files },
  };
  if (pr.mergeable && pr.mergeCommitSha) {
    subject.contentSha = pr.mergeCommitSha;
  } else if (pr.mergeable === false) {
    subject.note = await conflictNote(client, pr, changed);
  } else {
    subject.note = "GitHub had not computed the test merge commit yet, so the head commit was evaluated.";
  }
  return subject;
}

/** A merge queue's group commit: everything between the queue's base and the group's head. */
export async function groupSubject(
  client: GitHubClient,
  group: { headSha: string; baseSha: string; baseRef: string },
): Promise<Subject> {
  const diff = await client.compare(group.baseSha, group.headSha);
  return {
    headSha: group.headSha,
    baseRef: group.baseRef,
    baseSha: group.baseSha,
    contentSha: group.headSha,
    changed: diff.files,
    touched: diff.files,
    listCap: COMPARE_FILE_CAP,
  };
}

async function retryMergeable(client: GitHubClient, pr: PullRequest): Promise<PullRequest> {
  await new Promise((r) => setTimeout(r, 1500));
  return client.pullRequest(pr.number, { fresh: true });
}

/** Names the files both sides changed, which is where the conflict is. */
async function conflictNote(client: GitHubClient, pr: PullRequest, changed: string[]): Promise<string> {
  const onBase = await client.compare(pr.headSha, pr.baseRef).then((d) => new Set(d.files));
  const both = changed.filter((p) => onBase.has(p));
  const list = both.length ? both.map((p) => `\`${p}\``).join(", ") : "(GitHub did not say which files)";
  return (
    `**This pull request conflicts with \`${pr.baseRef}\`** in ${list}, so there is no test merge commit and the ` +
    `head commit was evaluated. Merge or rebase \`${pr.baseRef}\` into \`${pr.headRef}\`, resolve the conflicts ` +
    `and push; Stagegate re-evaluates the result.`
  );
}

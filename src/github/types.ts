/** Domain types for what Stagegate reads from and writes to GitHub. No octokit payloads past this layer. */
import type { ProbotOctokit } from "probot";

/** The octokit Probot hands each event; only src/github/ holds one. */
export type Octokit = InstanceType<typeof ProbotOctokit>;

export interface RepoId {
  owner: string;
  repo: string;
}

export interface PullRequest {
  number: number;
  title: string;
  body: string;
  author: string;
  authorAssociation: string;
  draft: boolean;
  state: "open" | "closed";
  baseRef: string;
  baseSha: string;
  headRef: string;
  headSha: string;
  /** The head lives in another repository (a fork). */
  fork: boolean;
  labels: string[];
  /** null while GitHub is still computing mergeability. */
  mergeable: boolean | null;
  /** The test merge commit, when GitHub has computed one. */
  mergeCommitSha: string | null;
  /** How many files the PR changes (GitHub gives it when one PR is read, not in lists). */
  changedFiles?: number;
}

export type FileStatus = "added" | "removed" | "modified" | "renamed" | "copied" | "changed" | "unchanged";

export interface ChangedFile {
  path: string;
  status: FileStatus;
  previousPath?: string;
  additions: number;
  deletions: number;
}

/** What a commit holds at a path (see github/entries.ts). */
export interface PathEntry {
  kind: "file" | "symlink" | "submodule" | "directory";
  /** Bytes (a symlink's: its target's length). */
  size: number;
  oid: string;
}

export interface TreeEntry {
  path: string;
  sha: string;
  size?: number;
}

export interface CheckRunRecord {
  id: number;
  name: string;
  headSha: string;
  status: "queued" | "in_progress" | "completed" | string;
  conclusion: string | null;
  externalId: string | null;
  appId: number | null;
}

export type CheckConclusion =
  "success" | "failure" | "neutral" | "cancelled" | "skipped" | "timed_out" | "action_required";

export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: "notice" | "warning" | "failure";
  message: string;
  title?: string;
  raw_details?: string;
}

export interface CheckOutput {
  title: string;
  summary: string;
  text?: string;
  annotations?: CheckAnnotation[];
}

export interface CheckAction {
  label: string;
  description: string;
  identifier: string;
}

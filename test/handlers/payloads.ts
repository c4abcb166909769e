/** Minimal webhook payloads with the fields GitHub sends and the app reads, from the simulated repository. */
import type { SimGitHub } from "../support/github.js";
import { pullJson } from "../support/sim/present.js";

type Payload = Record<string, any>;

function envelope(fx: SimGitHub): Payload {
  return {
    repository: {
      id: fx.repository.id,
      name: fx.repo,
      full_name: fx.fullName,
      owner: { login: fx.owner, id: 2, type: "Organization" },
      default_branch: fx.defaultBranch,
      private: false,
    },
    organization: { login: fx.owner, id: 2 },
    sender: { login: "alice", id: 3, type: "User" },
    installation: { id: fx.installationId },
  };
}

function pullOf(fx: SimGitHub, number: number): Payload {
  return pullJson(fx.repository, fx.repository.pull(number), true) as Payload;
}

/** The `pull_requests` entries of check-run and check-suite payloads. */
function pullRefs(fx: SimGitHub, numbers: number[]) {
  return numbers.map((n) => {
    const p = fx.repository.pull(n);
    return { number: n, head: { ref: p.headRef, sha: p.headSha }, base: { ref: p.baseRef, sha: p.baseSha } };
  });
}

export function pullRequest(fx: SimGitHub, number: number, action: string, extra: Payload = {}): Payload {
  return { action, number, pull_request: pullOf(fx, number), ...envelope(fx), ...extra };
}

export function pullRequestReview(fx: SimGitHub, number: number, action: "submitted" | "dismissed"): Payload {
  const pr = pullOf(fx, number);
  return {
    action,
    review: {
      id: 77,
      user: { login: "bob", id: 4 },
      body: null,
      commit_id: pr.head.sha,
      state: action === "dismissed" ? "dismissed" : "approved",
    },
    pull_request: pr,
    ...envelope(fx),
  };
}

export function checkRun(
  fx: SimGitHub,
  opts: {
    action: "rerequested" | "requested_action";
    headSha: string;
    appId: number;
    /** Numbers of the PRs GitHub lists on the run (none for a fork's). */
    pulls: number[];
    name?: string;
  },
): Payload {
  const pulls = pullRefs(fx, opts.pulls);
  return {
    action: opts.action,
    check_run: {
      id: 555,
      name: opts.name ?? "stagegate / production",
      head_sha: opts.headSha,
      status: "completed",
      conclusion: "failure",
      external_id: "old",
      app: { id: opts.appId, slug: "x" },
      pull_requests: pulls,
      check_suite: { id: 666, head_sha: opts.headSha, app: { id: opts.appId }, pull_requests: pulls },
    },
    ...(opts.action === "requested_action" ? { requested_action: { identifier: "rerun" } } : {}),
    ...envelope(fx),
  };
}

export function checkSuite(fx: SimGitHub, opts: { headSha: string; appId: number; pulls: number[] }): Payload {
  return {
    action: "rerequested",
    check_suite: {
      id: 666,
      head_sha: opts.headSha,
      head_branch: null,
      status: "completed",
      conclusion: "failure",
      app: { id: opts.appId, slug: "x" },
      pull_requests: pullRefs(fx, opts.pulls).map((p) => ({ ...p, head: { ...p.head, ref: "x" } })),
    },
    ...envelope(fx),
  };
}

/** A push of one commit that touched `changed` (as "modified"). */
export function push(fx: SimGitHub, branch: string, after: string, changed: string[]): Payload {
  return {
    ref: `refs/heads/${branch}`,
    before: "0".repeat(39) + "1",
    after,
    created: false,
    deleted: false,
    forced: false,
    base_ref: null,
    commits: [{ id: after, message: "change", added: [], removed: [], modified: changed, distinct: true }],
    head_commit: { id: after, message: "change", added: [], removed: [], modified: changed },
    pusher: { name: "alice" },
    ...envelope(fx),
  };
}

export function mergeGroup(
  fx: SimGitHub,
  action: "checks_requested" | "destroyed",
  opts: { headSha: string; baseRef: string },
): Payload {
  const baseSha = fx.repository.branchSha(opts.baseRef) ?? "";
  return {
    action,
    merge_group: {
      head_sha: opts.headSha,
      head_ref: `refs/heads/gh-readonly-queue/${opts.baseRef}/pr-1-${baseSha}`,
      base_sha: baseSha,
      base_ref: `refs/heads/${opts.baseRef}`,
      head_commit: { id: opts.headSha, message: "merge" },
    },
    ...(action === "destroyed" ? { reason: "dequeued" } : {}),
    ...envelope(fx),
  };
}

export function installation(fx: SimGitHub, action: "created" | "deleted"): Payload {
  const env = envelope(fx);
  delete env.repository;
  return {
    action,
    installation: { id: fx.installationId, account: { login: fx.owner, id: 2 }, app_id: fx.appId },
    repositories: [{ id: fx.repository.id, name: fx.repo, full_name: fx.fullName, private: false }],
    ...env,
  };
}

export function installationRepositories(fx: SimGitHub, action: "added" | "removed"): Payload {
  const env = envelope(fx);
  delete env.repository;
  const repos = [{ id: fx.repository.id, name: fx.repo, full_name: fx.fullName, private: false }];
  return {
    action,
    installation: { id: fx.installationId, account: { login: fx.owner, id: 2 } },
    repository_selection: "selected",
    repositories_added: action === "added" ? repos : [],
    repositories_removed: action === "removed" ? repos : [],
    ...env,
  };
}

/**
 * Webhook payloads shaped like the ones GitHub sends, built from simulator
 * state, and signed delivery over HTTP.
 */
import { createHmac, randomUUID } from "node:crypto";
import { checkRunJson, commentJson, issueJson, pullJson, repoJson, userJson } from "./present.js";
import { nodeId, type RepoState } from "./state.js";
import type { SimRepo } from "./types.js";

type Payload = Record<string, unknown>;

function internal(repo: SimRepo): RepoState {
  return repo as RepoState;
}

function envelope(repo: RepoState, sender: string | undefined): Payload {
  return {
    repository: repoJson(repo),
    organization: {
      login: repo.owner,
      id: userJson(repo.owner).id,
      node_id: userJson(repo.owner).node_id,
      url: `${repo.sim.url}/orgs/${repo.owner}`,
    },
    sender: userJson(sender ?? repo.owner, repo.sim.url),
    installation: {
      id: repo.installationId,
      node_id: nodeId("MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9u", repo.installationId),
    },
  };
}

export const payloads = {
  pullRequest(
    simRepo: SimRepo,
    number: number,
    action: "opened" | "synchronize" | "reopened" | "edited" | "closed" | "ready_for_review" | "labeled",
    opts: { before?: string; sender?: string; changes?: Record<string, unknown> } = {},
  ): Payload {
    const repo = internal(simRepo);
    const pr = repo.pull(number);
    const out: Payload = {
      action,
      number,
      pull_request: pullJson(repo, pr, true),
      ...envelope(repo, opts.sender ?? pr.author),
    };
    if (action === "synchronize") {
      out.before = opts.before ?? repo.git.commits.get(pr.headSha)?.parents[0] ?? pr.headSha;
      out.after = pr.headSha;
    }
    if (action === "edited") out.changes = opts.changes ?? {};
    return out;
  },

  /** `forced` defaults to what GitHub reports: the old head is no longer an ancestor of the new one. */
  push(simRepo: SimRepo, branch: string, opts: { before?: string; sender?: string; forced?: boolean } = {}): Payload {
    const repo = internal(simRepo);
    const after = repo.branchSha(branch) ?? "0".repeat(40);
    const head = repo.git.commits.get(after);
    const before = opts.before ?? head?.parents[0] ?? "0".repeat(40);
    const commits = head ? repo.git.commitsBetween(before === "0".repeat(40) ? undefined : before, after) : [];
    const commitPayload = (sha: string) => {
      const c = repo.git.commits.get(sha)!;
      const parent = c.parents[0] ? repo.git.commits.get(c.parents[0])!.files : new Map<string, string>();
      const added = [...c.files.keys()].filter((p) => !parent.has(p));
      const removed = [...parent.keys()].filter((p) => !c.files.has(p));
      const modified = [...c.files.keys()].filter((p) => parent.has(p) && parent.get(p) !== c.files.get(p));
      return {
        id: c.sha,
        tree_id: c.treeSha,
        distinct: true,
        message: c.message,
        timestamp: c.date,
        url: `https://github.com/${repo.fullName}/commit/${c.sha}`,
        author: { name: c.author.name, email: c.author.email, username: c.author.login },
        committer: { name: c.author.name, email: c.author.email, username: c.author.login },
        added,
        removed,
        modified,
      };
    };
    return {
      ref: `refs/heads/${branch}`,
      before,
      after,
      created: before === "0".repeat(40),
      deleted: !head,
      forced: opts.forced ?? (!!head && before !== "0".repeat(40) && !repo.git.ancestors(after).has(before)),
      base_ref: null,
      compare: `https://github.com/${repo.fullName}/compare/${before.slice(0, 12)}...${after.slice(0, 12)}`,
      commits: commits.map((c) => commitPayload(c.sha)),
      head_commit: head ? commitPayload(head.sha) : null,
      pusher: { name: opts.sender ?? repo.owner, email: `${opts.sender ?? repo.owner}@users.noreply.github.com` },
      ...envelope(repo, opts.sender),
    };
  },

  checkRun(
    simRepo: SimRepo,
    checkRunId: number,
    action: "created" | "completed" | "rerequested" | "requested_action",
    opts: { identifier?: string; sender?: string } = {},
  ): Payload {
    const repo = internal(simRepo);
    const run = repo.sim.checkRuns.get(checkRunId);
    if (!run || run.repo !== repo) throw new Error(`payloads.checkRun: no check run ${checkRunId} in ${repo.fullName}`);
    const json = checkRunJson(run);
    const branch = [...repo.branches].find(([, sha]) => sha === run.headSha)?.[0] ?? null;
    const out: Payload = {
      action,
      check_run: {
        ...json,
        check_suite: {
          id: json.check_suite.id,
          head_branch: branch,
          head_sha: run.headSha,
          status: run.status,
          conclusion: run.conclusion,
          app: json.app,
          pull_requests: json.pull_requests,
        },
      },
      ...envelope(repo, opts.sender),
    };
    if (action === "requested_action")
      out.requested_action = { identifier: opts.identifier ?? run.actions[0]?.identifier ?? "" };
    return out;
  },

  checkSuite(
    simRepo: SimRepo,
    headSha: string,
    action: "requested" | "rerequested" | "completed",
    opts: { sender?: string } = {},
  ): Payload {
    const repo = internal(simRepo);
    const branch = [...repo.branches].find(([, sha]) => sha === headSha)?.[0] ?? null;
    const api = `${repo.sim.url}/repos/${repo.fullName}`;
    const prs = [...repo.pulls.values()].filter((p) => p.state === "open" && p.headSha === headSha);
    return {
      action,
      check_suite: {
        id: userJson(`${repo.fullName}@${headSha}`).id,
        node_id: nodeId("CS_", userJson(headSha).id),
        head_branch: branch,
        head_sha: headSha,
        status: action === "completed" ? "completed" : "queued",
        conclusion: null,
        url: `${api}/check-suites/${userJson(headSha).id}`,
        before: repo.git.commits.get(headSha)?.parents[0] ?? null,
        after: headSha,
        pull_requests: prs.map((p) => ({
          url: `${api}/pulls/${p.number}`,
          id: p.id,
          number: p.number,
          head: { ref: p.headRef, sha: p.headSha },
          base: { ref: p.baseRef, sha: p.baseSha },
        })),
        app: { id: repo.sim.appId, slug: repo.sim.appSlug },
        head_commit: repo.git.commits.has(headSha)
          ? { id: headSha, message: repo.git.commits.get(headSha)!.message }
          : null,
      },
      ...envelope(repo, opts.sender),
    };
  },

  pullRequestReview(
    simRepo: SimRepo,
    number: number,
    action: "submitted" | "edited" | "dismissed",
    opts: { review?: number; sender?: string } = {},
  ): Payload {
    const repo = internal(simRepo);
    const pr = repo.pull(number);
    const r = pr.reviews[opts.review ?? pr.reviews.length - 1];
    if (!r) throw new Error(`payloads.pullRequestReview: PR #${number} has no review`);
    return {
      action,
      review: {
        id: r.id,
        node_id: nodeId("PRR_", r.id),
        user: userJson(r.user, repo.sim.url),
        body: r.body || null,
        commit_id: r.commitId,
        submitted_at: r.submittedAt,
        state: r.state.toLowerCase(),
        html_url: `https://github.com/${repo.fullName}/pull/${number}#pullrequestreview-${r.id}`,
        author_association: "MEMBER",
      },
      pull_request: pullJson(repo, pr, false),
      ...envelope(repo, opts.sender ?? r.user),
    };
  },

  issueComment(
    simRepo: SimRepo,
    commentId: number,
    action: "created" | "edited" | "deleted",
    opts: { sender?: string } = {},
  ): Payload {
    const repo = internal(simRepo);
    const c = repo.commentList.find((x) => x.id === commentId);
    if (!c) throw new Error(`payloads.issueComment: no comment ${commentId} in ${repo.fullName}`);
    return {
      action,
      issue: issueJson(repo, repo.issue(c.issueNumber)),
      comment: commentJson(repo, c),
      ...envelope(repo, opts.sender ?? c.author),
    };
  },

  mergeGroup(
    simRepo: SimRepo,
    opts: {
      baseRef: string;
      headSha: string;
      headRef?: string;
      action?: "checks_requested" | "destroyed";
      sender?: string;
    },
  ): Payload {
    const repo = internal(simRepo);
    const head = repo.git.commits.get(opts.headSha);
    const baseSha = repo.branchSha(opts.baseRef) ?? "";
    return {
      action: opts.action ?? "checks_requested",
      merge_group: {
        head_sha: opts.headSha,
        head_ref: opts.headRef ?? `refs/heads/gh-readonly-queue/${opts.baseRef}/pr-1-${baseSha}`,
        base_sha: baseSha,
        base_ref: `refs/heads/${opts.baseRef}`,
        head_commit: head
          ? {
              id: head.sha,
              tree_id: head.treeSha,
              message: head.message,
              timestamp: head.date,
              author: { name: head.author.name, email: head.author.email },
              committer: { name: head.author.name, email: head.author.email },
            }
          : null,
      },
      ...envelope(repo, opts.sender),
    };
  },

  installation(
    repos: SimRepo[],
    action: "created" | "deleted" | "suspend" | "unsuspend",
    opts: { sender?: string } = {},
  ): Payload {
    if (repos.length === 0) throw new Error("payloads.installation: give at least one repository");
    const first = internal(repos[0]);
    const env = envelope(first, opts.sender);
    delete env.repository;
    return {
      action,
      installation: {
        id: first.installationId,
        account: { ...userJson(first.owner, first.sim.url), type: "Organization" },
        app_id: first.sim.appId,
        app_slug: first.sim.appSlug,
        repository_selection: "selected",
        permissions: {
          checks: "write",
          contents: "read",
          issues: "write",
          pull_requests: "write",
          metadata: "read",
          statuses: "write",
        },
        events: [
          "check_run",
          "check_suite",
          "issue_comment",
          "merge_group",
          "pull_request",
          "pull_request_review",
          "push",
        ],
      },
      repositories: repos.map((r) => {
        const j = repoJson(internal(r));
        return { id: j.id, node_id: j.node_id, name: j.name, full_name: j.full_name, private: j.private };
      }),
      ...env,
    };
  },
};

/** `sha256=<hex>` as in `x-hub-signature-256`. */
export function signPayload(body: string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/** POSTs a signed delivery to the app, like GitHub does. */
export async function deliver(
  appUrl: string,
  event: string,
  payload: object,
  secret: string,
): Promise<{ status: number; body: string; deliveryId: string }> {
  const body = JSON.stringify(payload);
  const deliveryId = randomUUID();
  const res = await fetch(appUrl, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "user-agent": "GitHub-Hookshot/simulator",
      "x-github-event": event,
      "x-github-delivery": deliveryId,
      "x-github-hook-id": "1",
      "x-github-hook-installation-target-type": "integration",
      "x-hub-signature-256": signPayload(body, secret),
    },
    body,
  });
  return { status: res.status, body: await res.text(), deliveryId };
}

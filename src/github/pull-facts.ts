import type {
  ActivityRequest,
  CiReports,
  CommitDate,
  Comparison,
  IssueRecord,
  PullActivity,
  PullFacts,
} from "../gather/pull-facts.js";
import type { IssueComment, Permission } from "../gate/access.js";
import type { GitHubClient } from "./client.js";
import type { OpenIssue, OpenWork } from "./open-work.js";
import { readPullActivity, splitTeam } from "./pull-activity.js";

/** Pages of statuses or check runs read per commit (100 each): enough for any real source stage. */
const MAX_PAGES = 10;

/**
 * PullFacts read from GitHub. Each distinct read is made once per instance
 * (an instance lives for one evaluation), so gatherers may ask twice.
 */
export class GitHubPullFacts implements PullFacts {
  private readonly memo = new Map<string, Promise<unknown>>();

  constructor(
    private readonly client: GitHubClient,
    /**
     * The evaluation's listing of open work (`client.openWork()`) and the app it was read as: every open issue
     * comes from it instead of a request of its own.
     */
    private readonly listed?: { open: Promise<OpenWork>; appId: number },
  ) {}

  private once<T>(key: unknown[], fn: () => Promise<T>): Promise<T> {
    const k = JSON.stringify(key);
    let p = this.memo.get(k) as Promise<T> | undefined;
    if (!p) {
      p = fn();
      this.memo.set(k, p);
      // a failed read is not remembered: the next ask tries again
      p.catch(() => this.memo.delete(k));
    }
    return p;
  }

  private get repo() {
    return this.client.repo;
  }

  pullActivity(number: number, want: ActivityRequest): Promise<PullActivity> {
    return this.once(["activity", number, want.reviews, want.commits, want.teams], () =>
      readPullActivity(this.client, number, want),
    );
  }

  isTeamMember(team: string, login: string): Promise<boolean> {
    // The gateway's one membership lookup (memoised with the command and approval lookups of this delivery).
    const { org, slug } = splitTeam(team);
    return this.client.access.isTeamMember(org, slug, login);
  }

  permission(login: string): Promise<Permission> {
    // The gateway's memoised lookup: one request per login per delivery, shared with commands and overrides.
    return this.client.access.permission(login);
  }

  compare(base: string, head: string): Promise<Comparison | null> {
    return this.once(["compare", base, head], async () => {
      let data;
      try {
        ({ data } = await this.client.octokit.rest.repos.compareCommitsWithBasehead({
          ...this.repo,
          basehead: `${base}...${head}`,
          per_page: 100,
        }));
      } catch (err) {
        if ((err as { status?: number }).status === 404) return null;
        throw err;
      }
      const baseCommit = data.base_commit as typeof data.base_commit | undefined;
      return {
        aheadBy: data.ahead_by,
        behindBy: data.behind_by,
        base: baseCommit ? { sha: baseCommit.sha, committedAt: baseCommit.commit?.committer?.date ?? null } : null,
        commits: (data.commits ?? []).map((c) => ({
          sha: c.sha,
          parents: (c.parents ?? []).map((p) => p.sha),
          committedAt: c.commit?.committer?.date ?? null,
        })),
      };
    });
  }

  branchSha(branch: string): Promise<string | undefined> {
    return this.once(["branch", branch], () => this.client.branchSha(branch));
  }

  readFiles(ref: string, paths: string[]): Promise<Map<string, Uint8Array | undefined>> {
    return this.once(["files", ref, paths], () => this.client.readFiles(ref, paths));
  }

  lastCommitTouching(ref: string, path: string): Promise<CommitDate | null> {
    return this.once(["last-commit", ref, path], async () => {
      const { data } = await this.client.octokit.rest.repos.listCommits({ ...this.repo, sha: ref, path, per_page: 1 });
      const c = data[0];
      return c ? { sha: c.sha, committedAt: c.commit?.committer?.date ?? null } : null;
    });
  }

  ciReports(ref: string): Promise<CiReports> {
    return this.once(["ci", ref], async () => {
      // Every status, not the combined view: that keeps only the newest per context, from whoever posted it,
      // so a status from anyone would hide the trusted source's failure. Newest first; a page is 100.
      const pages = { statuses: 0, runs: 0 };
      const [statuses, runs] = await Promise.all([
        this.client.octokit.paginate(
          this.client.octokit.rest.repos.listCommitStatusesForRef,
          { ...this.repo, ref, per_page: 100 },
          (res, done) => {
            if (++pages.statuses >= MAX_PAGES) done();
            return res.data;
          },
        ),
        this.client.octokit.paginate(
          this.client.octokit.rest.checks.listForRef,
          { ...this.repo, ref, per_page: 100 },
          (res, done) => {
            if (++pages.runs >= MAX_PAGES) done();
            return res.data;
          },
        ),
      ]);
      return {
        sha: /^[0-9a-f]{40}$/.test(ref) ? ref : (runs[0]?.head_sha ?? null),
        statuses: statuses.map((s) => ({ context: s.context, state: s.state, creator: s.creator?.login ?? null })),
        checkRuns: runs.map((r) => ({
          id: r.id,
          name: r.name,
          headSha: r.head_sha,
          status: r.status,
          conclusion: r.conclusion,
          app: r.app?.slug ?? null,
        })),
      };
    });
  }

  openIssues(label?: string): Promise<IssueRecord[]> {
    const listed = this.listed;
    if (label === undefined && listed)
      return listed.open.then((o) => o.issues.map((i) => issueRecord(i, listed.appId)));
    return this.once(["issues", label ?? null], () => this.client.issues.openIssues(label));
  }

  issueComments(number: number): Promise<IssueComment[]> {
    return this.once(["comments", number], () => this.client.issues.issueComments(number));
  }
}

/** A listed issue as the gatherers read it: the listing was read with this app's token, so its own are `appId`'s. */
function issueRecord(i: OpenIssue, appId: number): IssueRecord {
  const { number, title, body, url, createdAt, labels } = i;
  return { number, title, body, appId: i.byThisApp ? appId : null, url, createdAt, labels };
}

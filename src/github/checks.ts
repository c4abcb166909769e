import type { Memo } from "./memo.js";
import type { CheckAction, CheckConclusion, CheckOutput, CheckRunRecord, Octokit, RepoId } from "./types.js";

/** Check runs: the app's only output on a commit. */
export class ChecksGateway {
  constructor(
    private readonly octokit: Octokit,
    private readonly repo: RepoId,
    private readonly memo: Memo,
  ) {}

  /**
   * Check runs on a commit (this app's when `appId` is given). Listed afresh
   * unless `reuse`: then an earlier listing by this client (one delivery)
   * serves — enough to find the runs an earlier delivery made.
   */
  list(sha: string, appId?: number, opts: { reuse?: boolean } = {}): Promise<CheckRunRecord[]> {
    const key = `check-runs:${sha}:${appId ?? ""}`;
    if (!opts.reuse) this.memo.forget(key);
    return this.memo.once(key, () => this.fetch(sha, appId));
  }

  private async fetch(sha: string, appId?: number): Promise<CheckRunRecord[]> {
    const runs = await this.octokit.paginate(this.octokit.rest.checks.listForRef, {
      ...this.repo,
      ref: sha,
      per_page: 100,
      filter: "all",
      ...(appId ? { app_id: appId } : {}),
    });
    return runs.map((r) => ({
      id: r.id,
      name: r.name,
      headSha: r.head_sha,
      status: r.status,
      conclusion: r.conclusion,
      externalId: r.external_id,
      appId: r.app?.id ?? null,
    }));
  }

  /** Creates a check run, `in_progress` — or already completed when a conclusion is given. */
  async create(input: {
    name: string;
    headSha: string;
    externalId: string;
    detailsUrl?: string;
    output?: CheckOutput;
    conclusion?: CheckConclusion;
  }): Promise<number> {
    const now = new Date().toISOString();
    const { data } = await this.octokit.rest.checks.create({
      ...this.repo,
      name: input.name,
      head_sha: input.headSha,
      external_id: input.externalId,
      started_at: now,
      ...(input.conclusion
        ? { status: "completed" as const, conclusion: input.conclusion, completed_at: now }
        : { status: "in_progress" as const }),
      ...(input.detailsUrl ? { details_url: input.detailsUrl } : {}),
      ...(input.output ? { output: input.output } : {}),
    });
    return data.id;
  }

  async update(
    id: number,
    input: { conclusion?: CheckConclusion; output: CheckOutput; actions?: CheckAction[] },
  ): Promise<void> {
    await this.octokit.rest.checks.update({
      ...this.repo,
      check_run_id: id,
      ...(input.conclusion
        ? { status: "completed", conclusion: input.conclusion, completed_at: new Date().toISOString() }
        : {}),
      output: input.output,
      ...(input.actions ? { actions: input.actions } : {}),
    });
  }
}

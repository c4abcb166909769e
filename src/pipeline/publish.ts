import type { GitHubClient } from "../github/client.js";
import type { CheckAnnotation, CheckConclusion, CheckOutput } from "../github/types.js";
import { chunkAnnotations } from "../report/check-run.js";
import type { InFlightRuns } from "./inflight-runs.js";

/**
 * Writes check runs: created `in_progress` right away, completed once with
 * every annotation — in requests of at most 50, the conclusion sent with the
 * last batch so a run is never seen completed with half its annotations.
 * Runs it leaves `in_progress` are tracked (`runs`) so a shutdown can complete them.
 */
export class CheckPublisher {
  constructor(
    private readonly client: GitHubClient,
    private readonly runs?: InFlightRuns,
  ) {}

  private get repo(): string {
    return `${this.client.repo.owner}/${this.client.repo.repo}`;
  }

  async start(
    name: string,
    headSha: string,
    externalId: string,
    output: CheckOutput = { title: "Evaluating…", summary: "Stagegate is evaluating this change." },
  ): Promise<number> {
    if (this.runs?.closed) throw new Error("Stagegate is shutting down");
    const id = await this.client.checks.create({ name, headSha, externalId, output });
    const tracked = await (this.runs?.add({
      repo: this.repo,
      id,
      name,
      headSha,
      fail: (title, summary) => this.client.checks.update(id, { conclusion: "failure", output: { title, summary } }),
    }) ?? true);
    if (!tracked) throw new Error("Stagegate is shutting down");
    return id;
  }

  /** False when a shutdown already completed run `id`: nothing more is written to it. */
  private owns(id: number): boolean {
    return this.runs ? this.runs.take(this.repo, id) : true;
  }

  /** A run with nothing to evaluate is created completed: one request instead of two. */
  async post(
    name: string,
    headSha: string,
    externalId: string,
    conclusion: CheckConclusion,
    output: CheckOutput,
  ): Promise<void> {
    await this.client.checks.create({
      name,
      headSha,
      externalId,
      conclusion,
      output: { title: output.title, summary: output.summary },
    });
  }

  /**
   * A run whose verdict is ready before it was started: created completed in one write when its annotations
   * fit in one request (50); otherwise created with the first batch, completed with the last.
   */
  async publish(
    name: string,
    headSha: string,
    externalId: string,
    conclusion: CheckConclusion,
    output: CheckOutput,
  ): Promise<void> {
    const batches = chunkAnnotations((output.annotations ?? []) as CheckAnnotation[]);
    const base = { title: output.title, summary: output.summary, ...(output.text ? { text: output.text } : {}) };
    if (batches.length <= 1) {
      const annotations = batches[0] ? { annotations: batches[0] as CheckAnnotation[] } : {};
      await this.client.checks.create({ name, headSha, externalId, conclusion, output: { ...base, ...annotations } });
      return;
    }
    const id = await this.start(name, headSha, externalId, { ...base, annotations: batches[0] as CheckAnnotation[] });
    await this.complete(id, conclusion, output, 1);
  }

  /** Completes run `id`, sending the annotations from batch `from` on (earlier ones went with its creation). */
  async complete(id: number, conclusion: CheckConclusion, output: CheckOutput, from = 0): Promise<void> {
    if (!this.owns(id)) return;
    const batches = chunkAnnotations((output.annotations ?? []) as CheckAnnotation[]).slice(from);
    const base = { title: output.title, summary: output.summary, ...(output.text ? { text: output.text } : {}) };
    for (let i = 0; i < batches.length - 1; i++) {
      await this.client.checks.update(id, { output: { ...base, annotations: batches[i] as CheckAnnotation[] } });
    }
    const last = batches[batches.length - 1];
    await this.client.checks.update(id, {
      conclusion,
      output: { ...base, ...(last ? { annotations: last as CheckAnnotation[] } : {}) },
    });
  }

  /** Fail closed: any error ends in a completed, failing run that says what went wrong. */
  async fail(id: number, title: string, detail: string): Promise<void> {
    if (!this.owns(id)) return;
    await this.client.checks.update(id, {
      conclusion: "failure",
      output: { title: title.slice(0, 255), summary: detail.slice(0, 65_000) },
    });
  }
}

/**
 * Check runs this process created `in_progress` and has not completed yet, so
 * that a shutdown can complete each one (as a failure inviting a re-run)
 * rather than leave a required check spinning forever.
 */
export interface OpenRun {
  repo: string;
  id: number;
  name: string;
  headSha: string;
  /** Completes the run as failed with this title and summary. */
  fail(title: string, summary: string): Promise<void>;
}

export class InFlightRuns {
  private readonly open = new Map<string, OpenRun>();
  private readonly abandoned = new Set<string>();
  /** Set by a shutdown: the open runs were completed with this, and any run created later is too. */
  private closedWith?: { title: string; summary: string };

  get closed(): boolean {
    return this.closedWith !== undefined;
  }

  /**
   * Tracks a run just created. False after a shutdown: a run whose creation was answered only then is
   * completed at once (failed), so it is not left in progress either.
   */
  async add(run: OpenRun): Promise<boolean> {
    if (!this.closedWith) {
      this.open.set(keyOf(run.repo, run.id), run);
      return true;
    }
    this.abandoned.add(keyOf(run.repo, run.id));
    await run.fail(this.closedWith.title, this.closedWith.summary);
    return false;
  }

  /** The run is being completed by its evaluation: false when shutdown already completed it. */
  take(repo: string, id: number): boolean {
    this.open.delete(keyOf(repo, id));
    return !this.abandoned.has(keyOf(repo, id));
  }

  has(repo: string, id: number): boolean {
    return this.open.has(keyOf(repo, id));
  }

  get size(): number {
    return this.open.size;
  }

  list(): OpenRun[] {
    return [...this.open.values()];
  }

  /** Completes every open run as failed; the evaluations that own them will write nothing more to them. */
  async abandonAll(title: string, summary: string, onError: (run: OpenRun, err: unknown) => void): Promise<number> {
    this.closedWith = { title, summary };
    const runs = this.list();
    for (const run of runs) {
      this.abandoned.add(keyOf(run.repo, run.id));
      this.open.delete(keyOf(run.repo, run.id));
    }
    await Promise.all(runs.map((run) => run.fail(title, summary).catch((err: unknown) => onError(run, err))));
    return runs.length;
  }
}

const keyOf = (repo: string, id: number) => `${repo}:${id}`;

/**
 * An evaluation's time budget (`limits.timeout_ms`). Policy evaluation in
 * wasm is synchronous and cannot be interrupted, so the budget is checked
 * between steps and raced against every GitHub call: a hung request or a
 * slow batch ends in a failing check ("timed out") rather than one that
 * stays in progress.
 */
export class Deadline {
  private readonly end: number;

  constructor(
    readonly budgetMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.end = now() + budgetMs;
  }

  check(what: string): void {
    if (this.now() > this.end)
      throw new DeadlineError(
        `evaluation timed out after ${Math.round(this.budgetMs / 1000)} s (limits.timeout_ms) while ${what}`,
      );
  }

  async race<T>(what: string, p: Promise<T>): Promise<T> {
    this.check(what);
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new DeadlineError(
              `evaluation timed out after ${Math.round(this.budgetMs / 1000)} s (limits.timeout_ms) while ${what}`,
            ),
          ),
        Math.max(0, this.end - this.now()),
      );
    });
    try {
      return await Promise.race([p, expired]);
    } finally {
      clearTimeout(timer);
    }
  }
}

export class DeadlineError extends Error {}

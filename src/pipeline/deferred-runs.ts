import type { CheckConclusion, CheckOutput } from "../github/types.js";
import type { CheckPublisher } from "./publish.js";

/**
 * The check runs of one evaluation, started `in_progress` only when the
 * evaluation takes longer than `delayMs`: one that finishes sooner is created
 * completed in one write (each write waits its turn in GitHub's one-per-second
 * write pacing, so a write saved is a second saved under a burst). With
 * `delayMs` 0 every run starts at once, as before.
 */
export class DeferredRuns {
  private readonly ids = new Map<string, number>();
  /** Names completed (or being completed) without an in_progress run. */
  private readonly claimed = new Set<string>();
  private starting?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private readonly deferred: boolean;

  constructor(
    private readonly publisher: CheckPublisher,
    private readonly headSha: string,
    private readonly names: string[],
    private readonly externalId: (name: string) => string,
    delayMs: number,
  ) {
    this.deferred = delayMs > 0;
    if (this.deferred) {
      this.timer = setTimeout(() => void this.startAll().catch(() => undefined), delayMs);
      this.timer.unref();
    }
  }

  /** Without a delay: starts every run now (a failure to create one is the evaluation's failure). */
  async begin(): Promise<void> {
    if (!this.deferred) await this.startAll();
  }

  private startAll(): Promise<void> {
    this.starting ??= (async () => {
      for (const name of this.names) {
        if (this.claimed.has(name)) continue;
        this.ids.set(name, await this.publisher.start(name, this.headSha, this.externalId(name)));
      }
    })();
    return this.starting;
  }

  async complete(name: string, conclusion: CheckConclusion, output: CheckOutput): Promise<void> {
    if (this.starting) await this.starting.catch(() => undefined);
    const id = this.ids.get(name);
    if (id !== undefined) {
      this.ids.delete(name);
      return this.publisher.complete(id, conclusion, output);
    }
    this.claimed.add(name);
    if (this.names.every((n) => this.claimed.has(n))) clearTimeout(this.timer);
    await this.publisher.publish(name, this.headSha, this.externalId(name), conclusion, output);
  }

  /** Fail closed: every run started and not completed fails; deferred ones not started are posted failing. */
  async failAll(title: string, detail: string, onError: (err: unknown) => void): Promise<number> {
    clearTimeout(this.timer);
    if (this.starting) await this.starting.catch(() => undefined);
    let failed = 0;
    for (const [name, id] of this.ids) {
      this.ids.delete(name);
      failed++;
      await this.publisher.fail(id, title, detail).catch(onError);
    }
    if (!this.deferred) return failed;
    for (const name of this.names.filter((n) => !this.claimed.has(n))) {
      this.claimed.add(name);
      failed++;
      const output = { title: title.slice(0, 255), summary: detail.slice(0, 65_000) };
      await this.publisher.post(name, this.headSha, this.externalId(name), "failure", output).catch(onError);
    }
    return failed;
  }
}

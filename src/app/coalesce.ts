/**
 * Runs at most one evaluation per key at a time; requests that arrive while
 * one runs collapse into a single follow-up run. Each run reads the newest
 * state (e.g. the PR's current head), so a burst of pushes costs two
 * evaluations, not one per push.
 */
export class Coalescer {
  private readonly running = new Map<string, { done: Promise<void>; again: boolean }>();

  run(key: string, fn: () => Promise<void>): Promise<void> {
    const current = this.running.get(key);
    if (current) {
      current.again = true;
      return current.done;
    }
    const entry = { done: Promise.resolve(), again: false };
    entry.done = (async () => {
      try {
        do {
          entry.again = false;
          await fn();
        } while (entry.again);
      } finally {
        this.running.delete(key);
      }
    })();
    this.running.set(key, entry);
    return entry.done;
  }
}

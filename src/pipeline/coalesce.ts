/**
 * Runs at most one evaluation per key at a time. Requests arriving while one
 * runs collapse into a single follow-up run of the newest request, which
 * reads the newest state (e.g. the PR's current head): a burst of pushes
 * costs two evaluations, not one per push.
 */
export class Coalescer {
  private readonly running = new Map<string, { done: Promise<void>; next?: () => Promise<void> }>();

  run(key: string, fn: () => Promise<void>): Promise<void> {
    const current = this.running.get(key);
    if (current) {
      current.next = fn;
      return current.done;
    }
    const entry: { done: Promise<void>; next?: () => Promise<void> } = { done: Promise.resolve(), next: fn };
    entry.done = (async () => {
      // A failing run must not drop the newest request queued behind it.
      let failed: { err: unknown } | undefined;
      try {
        while (entry.next) {
          const job = entry.next;
          entry.next = undefined;
          try {
            await job();
          } catch (err) {
            failed ??= { err };
          }
        }
      } finally {
        this.running.delete(key);
      }
      if (failed) throw failed.err;
    })();
    this.running.set(key, entry);
    return entry.done;
  }
}

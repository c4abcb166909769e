/**
 * The process's phase and the work it has in hand. `/ready` is true only while
 * `ready`; on SIGTERM the phase turns `draining`: no new webhook is taken, the
 * evaluations already running get a grace period to finish.
 */
export type Phase = "starting" | "ready" | "draining" | "stopped";

export class Lifecycle {
  private current: Phase = "starting";
  private readonly work = new Set<Promise<unknown>>();

  get phase(): Phase {
    return this.current;
  }

  /** Serving: the app is loaded and takes webhooks. */
  markReady(): void {
    if (this.current === "starting") this.current = "ready";
  }

  /** Webhooks are taken while starting (Probot is loaded before the port opens) and while ready. */
  get accepting(): boolean {
    return this.current === "starting" || this.current === "ready";
  }

  get inFlight(): number {
    return this.work.size;
  }

  /** Counts `p` as in-flight work until it settles. */
  track<T>(p: Promise<T>): Promise<T> {
    this.work.add(p);
    const done = () => this.work.delete(p);
    p.then(done, done);
    return p;
  }

  /**
   * Stops taking work and waits up to `graceMs` for the work in hand (and any it
   * starts meanwhile) to finish. True when everything finished in time.
   */
  async drain(graceMs: number): Promise<boolean> {
    this.current = "draining";
    const deadline = Date.now() + graceMs;
    while (this.work.size > 0) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), left)));
      const settled = Promise.allSettled([...this.work]);
      const winner = await Promise.race([settled, timeout]);
      clearTimeout(timer);
      if (winner === "timeout") return false;
    }
    return true;
  }

  markStopped(): void {
    this.current = "stopped";
  }
}

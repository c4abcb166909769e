/**
 * One pull request to (re-)evaluate, as plain data: a queue shared by
 * replicas carries it, and the worker that takes it builds its own GitHub
 * client from the installation.
 */
export interface PullJob {
  /** Absent for a client not built from an installation (tests, one-off callers): runs in this process. */
  installationId?: number;
  owner: string;
  repo: string;
  pr: number;
  deliveryId: string;
  reason: string;
  policyCheck: boolean;
  /** The head the event was about (a push): a run that already evaluated this head satisfies the request. */
  headSha?: string;
  receivedAtMs?: number;
}

/**
 * Where evaluation requests go. `local` runs the job here with the caller's
 * GitHub client (`policyCheck` says whether the policy check runs too); a
 * queue shared by replicas may instead run the job on any replica and
 * resolve once it is durably enqueued.
 */
export interface WorkQueue {
  submit(job: PullJob, local: (policyCheck: boolean) => Promise<void>): Promise<void>;
  /** Stops taking work and waits for what runs (a no-op in-process). */
  close(): Promise<void>;
  /** Jobs waiting or running: in-process, the pull requests with work; on Redis, over every replica. */
  depth(): Promise<number>;
}

/** `owner/repo#n`: work on one pull request never runs twice at once. */
export const pullKey = (job: Pick<PullJob, "owner" | "repo" | "pr">): string => `${job.owner}/${job.repo}#${job.pr}`;

/**
 * Runs at most one evaluation per key at a time. Requests arriving while one
 * runs collapse into a single follow-up run of the newest request, which
 * reads the newest state (e.g. the PR's current head): a burst of pushes
 * costs two evaluations, not one per push. The in-process work queue: one
 * replica, nothing to install.
 */
export class Coalescer implements WorkQueue {
  private readonly running = new Map<string, { done: Promise<void>; next?: () => Promise<void> }>();
  /** Keys with a policy check requested and not yet run; shared by every coalesced request. */
  private readonly policyCheckWanted = new Set<string>();

  submit(job: PullJob, local: (policyCheck: boolean) => Promise<void>): Promise<void> {
    const key = pullKey(job);
    // Only the newest queued request runs; a policy check asked for by a request it replaced must still run,
    // or `stagegate / policy` would stay pending on the new head.
    if (job.policyCheck) this.policyCheckWanted.add(key);
    return this.run(key, () => local(this.policyCheckWanted.delete(key)));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  depth(): Promise<number> {
    return Promise.resolve(this.running.size);
  }

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

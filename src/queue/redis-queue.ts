import { DelayedError, Queue, Worker, type Job } from "bullmq";
import { Redis } from "ioredis";
import type { Probot } from "probot";
import type { GitHubClient } from "../github/client.js";
import { clientForInstallation } from "../github/probot.js";
import { Coalescer, pullKey, type PullJob, type WorkQueue } from "../pipeline/coalesce.js";
import type { Deps } from "../pipeline/deps.js";
import { runPull } from "../pipeline/reevaluate.js";
import { needs, PullState, type QueuedPull } from "./pull-state.js";
import { tryLock } from "./redis-lock.js";

export interface RedisQueueOptions {
  url: string;
  /** Namespaces every key, so several deployments can share one Redis. */
  prefix?: string;
  /** Jobs run at once by this replica. */
  concurrency?: number;
  /** How long a dead replica's lock on a PR (and on a BullMQ job) outlives it. */
  lockMs?: number;
  /** How often a replica looks for jobs whose worker died. */
  stalledIntervalMs?: number;
}

const QUEUE = "pull-evaluations";

/**
 * The work queue shared by replicas (BullMQ on Redis): a webhook's request is
 * enqueued and acknowledged at once, and a worker on any replica takes it.
 * Per pull request one run at a time across replicas (a Redis lock, renewed
 * while held); a request that arrives while one runs waits and then runs once
 * if no run started after it (so a burst costs one follow-up, which reads the
 * newest head); a request about a head already evaluated is satisfied. A
 * replica dying mid-run leaves its job to BullMQ's stalled-job recovery.
 */
export class RedisWorkQueue implements WorkQueue {
  readonly redis: Redis;
  private readonly queue: Queue;
  private readonly worker: Worker;
  private readonly state: PullState;
  private readonly prefix: string;
  private readonly lockMs: number;
  /** Work a queued job cannot carry (no installation to act as) runs here, as in-process. */
  private readonly local = new Coalescer();
  private closing?: Promise<void>;

  constructor(
    private readonly app: Probot,
    private readonly depsFor: (client: GitHubClient) => Promise<Deps>,
    opts: RedisQueueOptions,
  ) {
    this.prefix = opts.prefix ?? "stagegate";
    this.lockMs = opts.lockMs ?? 30_000;
    this.redis = new Redis(opts.url, { maxRetriesPerRequest: null });
    this.state = new PullState(this.redis, this.prefix);
    const connection = { url: opts.url, maxRetriesPerRequest: null };
    this.queue = new Queue(QUEUE, { connection, prefix: this.prefix });
    this.worker = new Worker(QUEUE, (job, token) => this.process(job as Job<QueuedPull>, token), {
      connection,
      prefix: this.prefix,
      concurrency: opts.concurrency ?? 4,
      lockDuration: this.lockMs,
      stalledInterval: opts.stalledIntervalMs ?? this.lockMs,
    });
    this.worker.on("error", (err) => app.log.error({ err }, "work queue: worker error"));
    this.worker.on("failed", (job, err) =>
      app.log.error({ err, deliveryId: job?.data.deliveryId }, "work queue: job failed"),
    );
  }

  async submit(job: PullJob, local: (policyCheck: boolean) => Promise<void>): Promise<void> {
    if (job.installationId === undefined) return this.local.submit(job, local);
    const key = pullKey(job);
    const seq = await this.state.request(key);
    // A redelivery while the first is still queued adds nothing; otherwise its check-run external ids make it a
    // no-op. BullMQ ids may not contain ':'.
    const jobId = `${job.deliveryId}|${key}`.replaceAll(":", "_");
    await this.queue.add("pull", { ...job, seq } satisfies QueuedPull, {
      jobId,
      attempts: 5,
      backoff: { type: "exponential", delay: 2_000 },
      removeOnComplete: true,
      // A failed job is logged and dropped, so a redelivery of its webhook can run it again.
      removeOnFail: true,
    });
  }

  /** Jobs waiting, delayed or running, over all replicas. */
  async depth(): Promise<number> {
    const c = await this.queue.getJobCounts("waiting", "active", "delayed", "prioritized");
    return Object.values(c).reduce((a, b) => a + b, 0);
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      // The worker first: it finishes the jobs it holds, and the PR locks they hold are released.
      await this.worker.close();
      await this.queue.close();
      this.redis.disconnect();
    })();
    return this.closing;
  }

  /** Drops everything at once, as a killed process would: running jobs are left to another replica. */
  kill(): Promise<void> {
    this.closing ??= (async () => {
      this.redis.disconnect();
      await this.worker.close(true);
      await this.queue.close();
    })();
    return this.closing;
  }

  private async process(job: Job<QueuedPull>, token: string | undefined): Promise<string> {
    const data = job.data;
    const key = pullKey(data);
    if (!this.wanted(data, await this.state.read(key))) return "covered";
    const lock = await tryLock(this.redis, `${this.prefix}:lock:${key}`, this.lockMs);
    if (!lock) {
      // Another replica is running this PR: look again shortly; by then that run may have covered this request.
      await job.moveToDelayed(Date.now() + 200 + Math.floor(Math.random() * 200), token);
      throw new DelayedError();
    }
    try {
      const progress = await this.state.read(key);
      if (!this.wanted(data, progress)) return "covered";
      const client = await clientForInstallation(this.app, data.installationId!, {
        owner: data.owner,
        repo: data.repo,
      });
      // The evaluation reads the PR through the same client, so it evaluates exactly this head.
      const head = await client.pullRequest(data.pr).then(
        (pr) => pr.headSha,
        () => undefined,
      );
      // A push delivered after a run evaluated the PR's current head has nothing left to show.
      const need = needs(data, progress, head);
      if (!need.evaluate && !need.policy) return "covered";
      const trigger = {
        deliveryId: data.deliveryId,
        reason: data.reason,
        ...(data.receivedAtMs === undefined ? {} : { receivedAtMs: data.receivedAtMs }),
      };
      const deps = await this.depsFor(client);
      const run = runPull(deps, data.pr, trigger, { evaluate: need.evaluate, policyCheck: need.policy });
      // The whole job (policy check included) is work in hand: a graceful shutdown waits for it.
      await (deps.runtime ? deps.runtime.lifecycle.track(run) : run);
      await this.state.completed(key, progress.seq, head, need);
      return "ran";
    } finally {
      await lock.release();
    }
  }

  private wanted(data: QueuedPull, progress: Parameters<typeof needs>[1]): boolean {
    const need = needs(data, progress);
    return need.evaluate || need.policy;
  }
}

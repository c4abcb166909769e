import type { Redis } from "ioredis";
import type { PullJob } from "../pipeline/coalesce.js";

/**
 * What replicas sharing Redis know about one pull request's work: a counter
 * of requests, and the request count and head commit as of the start of the
 * last completed evaluation (and policy check). A request is covered once a
 * run started after it arrived, or once a run evaluated the head it is about.
 */
export interface PullProgress {
  seq: number;
  done: number;
  head?: string;
  policyDone: number;
  policyHead?: string;
}

/** A job as queued: the request plus its place in the PR's sequence. */
export type QueuedPull = PullJob & { seq: number };

export class PullState {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(pull: string): string {
    return `${this.prefix}:pull:${pull}`;
  }

  /** Counts a new request; its number orders it against the runs. */
  async request(pull: string): Promise<number> {
    const seq = await this.redis.hincrby(this.key(pull), "seq", 1);
    // Idle PRs are forgotten after a week; a forgotten one simply evaluates once more.
    await this.redis.pexpire(this.key(pull), 7 * 24 * 3600_000);
    return seq;
  }

  async read(pull: string): Promise<PullProgress> {
    const h = await this.redis.hgetall(this.key(pull));
    return {
      seq: Number(h.seq ?? 0),
      done: Number(h.done ?? 0),
      ...(h.head ? { head: h.head } : {}),
      policyDone: Number(h.policyDone ?? 0),
      ...(h.policyHead ? { policyHead: h.policyHead } : {}),
    };
  }

  /** Records a completed run that started when the counter stood at `seq` and read `head`. */
  async completed(pull: string, seq: number, head: string | undefined, ran: { evaluate: boolean; policy: boolean }) {
    const fields: string[] = [];
    if (ran.evaluate) fields.push("done", String(seq), "head", head ?? "");
    if (ran.policy) fields.push("policyDone", String(seq), "policyHead", head ?? "");
    if (fields.length > 0) await this.redis.hset(this.key(pull), ...fields);
  }
}

/**
 * What a job still needs, given what runs have done since it was queued. A
 * request about a head (a push) is satisfied by a run that evaluated that
 * head, or the PR's current head (`current`, when read): the push it reports
 * was superseded, and the newest was already shown.
 */
export function needs(job: QueuedPull, p: PullProgress, current?: string): { evaluate: boolean; policy: boolean } {
  const sameHead = (head: string | undefined) =>
    job.headSha !== undefined && head !== undefined && (head === job.headSha || head === current);
  return {
    evaluate: !(p.done >= job.seq || sameHead(p.head)),
    policy: job.policyCheck && !(p.policyDone >= job.seq || sameHead(p.policyHead)),
  };
}

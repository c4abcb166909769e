import { checkName } from "../config/targeting.js";
import type { Evidence, HistoryFacts, RunFact } from "./incident-facts.js";

/**
 * Which commits of an environment's branch passed Stagegate, judged only from
 * GitHub: this app's `stagegate / <env>` check runs and the pull requests
 * GitHub says produced a commit. Nothing is remembered between events.
 */

/** The newest of this app's runs of the environment's check passed (a later failure or re-run wins). */
export function passed(runs: RunFact[], env: string): boolean {
  const mine = runs.filter((r) => r.name === checkName(env)).sort((a, b) => b.id - a.id);
  return mine.length > 0 && mine[0].status === "completed" && mine[0].conclusion === "success";
}

/** Answers "is this commit gated for env on branch?", asking GitHub at most once per commit and pull request. */
export class GatedHistory {
  private readonly seen = new Map<string, Promise<Evidence | undefined>>();
  private readonly pullPassed = new Map<string, Promise<boolean>>();
  private readonly commitsOf = new Map<number, Promise<string[]>>();

  constructor(
    private readonly facts: HistoryFacts,
    readonly env: string,
    readonly branch: string,
  ) {}

  evidence(sha: string): Promise<Evidence | undefined> {
    let p = this.seen.get(sha);
    if (!p) {
      p = this.judge(sha);
      this.seen.set(sha, p);
    }
    return p;
  }

  private async judge(sha: string): Promise<Evidence | undefined> {
    if (passed(await this.facts.appRuns(sha), this.env)) return { kind: "check", sha };
    const pulls = (await this.facts.pullsOf(sha)).filter(
      (p) => p.merged && p.baseRef === this.branch && p.mergeCommitSha !== null,
    );
    for (const pr of pulls) {
      const merge = pr.mergeCommitSha === sha;
      if (!merge && !(await this.commitsOfPull(pr.number)).includes(sha)) continue;
      if (await this.headPassed(pr.headSha)) return { kind: "pull", sha, pull: pr.number, headSha: pr.headSha, merge };
    }
    return undefined;
  }

  private headPassed(sha: string): Promise<boolean> {
    let p = this.pullPassed.get(sha);
    if (!p) {
      p = this.facts.appRuns(sha).then((runs) => passed(runs, this.env));
      this.pullPassed.set(sha, p);
    }
    return p;
  }

  private commitsOfPull(number: number): Promise<string[]> {
    let p = this.commitsOf.get(number);
    if (!p) {
      p = this.facts.pullCommits(number);
      this.commitsOf.set(number, p);
    }
    return p;
  }
}

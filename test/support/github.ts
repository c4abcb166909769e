/**
 * One repository on the in-process GitHub simulator (sim/nock.ts), with the
 * questions the handler and command suites ask about what the app did: check
 * runs created and updated, requests made, content read, comments, issues.
 */
import type { CheckRunRecord, RepoState, SimState } from "./sim/state.js";
import { interceptGitHub, type Override } from "./sim/nock.js";
import type { SimCheckRun } from "./sim/types.js";

export interface SeedRun {
  name: string;
  head_sha: string;
  status?: "queued" | "in_progress" | "completed";
  conclusion?: string | null;
  external_id?: string | null;
  /** Another app's run when it differs from ours. */
  app?: { id: number };
}

export class SimGitHub {
  readonly owner = "acme";
  readonly repo = "gitops";
  readonly fullName = `${this.owner}/${this.repo}`;
  readonly defaultBranch = "main";
  readonly installationId = 2;
  readonly appId = 123;
  /** Commits the scenario named (main, prod, head, merge …). */
  readonly sha: Record<string, string> = {};
  readonly state: SimState;
  readonly repository: RepoState;
  /** Lets a test answer a request itself (e.g. a 500); return undefined to let the simulator answer. */
  override?: Override;

  constructor(files: Record<string, string>) {
    // The interceptors go in now; the suites' afterEach removes them with nock.cleanAll().
    this.state = interceptGitHub({ appId: this.appId, override: () => this.override }).state;
    this.repository = this.state.createRepo(this.fullName, {
      files,
      installationId: this.installationId,
      private: false,
    }) as RepoState;
  }

  // ------------------------------------------------------------ what the app did

  /** Every request, as `METHOD /path?query` with the path decoded. */
  get requests(): string[] {
    return this.state.requests.map((r) => {
      const url = new URL(r.path, "https://api.github.com");
      return `${r.method} ${decodeURIComponent(url.pathname)}${url.search}`;
    });
  }

  /** Requests GitHub would have rejected, and requests the simulator does not serve. */
  get unrouted(): string[] {
    return this.state.violations.map((v) => `${v.method} ${v.path}: ${v.message}`);
  }

  /** Bodies of check-run creations, in order. */
  get created(): Array<Record<string, any>> {
    return this.state.checkRunWrites.filter((w) => w.created).map((w) => w.body as Record<string, any>);
  }

  /** Check-run updates, in order. */
  get updates(): Array<{ id: number; body: Record<string, any> }> {
    return this.state.checkRunWrites
      .filter((w) => !w.created)
      .map((w) => ({ id: w.id, body: w.body as Record<string, any> }));
  }

  createdNamed(name: string): Array<Record<string, any>> {
    return this.created.filter((c) => c.name === name);
  }

  updatesOf(id: number): Array<Record<string, any>> {
    return this.updates.filter((u) => u.id === id).map((u) => u.body);
  }

  /** The body of the update that completed run `id`. */
  completion(id: number): Record<string, any> {
    const done = this.updatesOf(id).filter((b) => b.status === "completed");
    if (done.length !== 1) throw new Error(`run ${id} was completed ${done.length} times`);
    return done[0];
  }

  /** Every annotation posted on run `id`, over all its updates. */
  annotationsOf(id: number): Array<Record<string, any>> {
    return this.updatesOf(id).flatMap((b) => b.output?.annotations ?? []);
  }

  /** Our runs with this name. */
  runsNamed(name: string): SimCheckRun[] {
    return this.runs().filter((r) => r.name === name && r.appId === this.appId);
  }

  /** Runs of ours not completed: must be none after any event. */
  pending(): SimCheckRun[] {
    return this.runs().filter((r) => r.appId === this.appId && r.status !== "completed");
  }

  /** `{sha, path}` of every file content read through GraphQL. */
  get graphqlReads(): Array<{ sha: string; path: string }> {
    return this.state.contentReads;
  }

  /** `METHOD /path?query` and JSON body of every request, in order. */
  get bodies(): Array<{ request: string; body: any }> {
    const requests = this.requests;
    return this.state.requests.map((r, i) => ({ request: requests[i], body: r.body }));
  }

  /** `owner/repo` of every GraphQL query, in order. */
  get graphqlRepos(): string[] {
    return this.state.requests
      .filter((r) => r.graphql)
      .map((r) => {
        const v = (r.body as { variables?: Record<string, unknown> } | undefined)?.variables ?? {};
        return `${v.owner}/${v.repo}`;
      });
  }

  /** Tree shas read through REST. */
  get treeReads(): string[] {
    return this.requests.flatMap((r) => /^GET \/repos\/[^/]+\/[^/]+\/git\/trees\/([^/?]+)/.exec(r)?.[1] ?? []);
  }

  // ------------------------------------------------------------ state set up by the test

  /** A run already on GitHub (another app's when `app.id` differs from ours). */
  seedRun(run: SeedRun): SimCheckRun {
    const id = this.state.nextId();
    const now = this.state.now().toISOString();
    const status = run.status ?? "completed";
    const record: CheckRunRecord = {
      id,
      nodeId: `CR_${id}`,
      repo: this.repository,
      createdAt: now,
      name: run.name,
      headSha: run.head_sha,
      status,
      conclusion: run.conclusion === undefined ? "success" : run.conclusion,
      appId: run.app?.id ?? this.appId,
      detailsUrl: null,
      externalId: run.external_id ?? null,
      startedAt: now,
      completedAt: status === "completed" ? now : null,
      output: { title: null, summary: null, text: null },
      annotations: [],
      actions: [],
      updates: [],
    };
    this.state.checkRuns.set(id, record);
    return record;
  }

  private runs(): SimCheckRun[] {
    return this.repository.checkRuns();
  }
}

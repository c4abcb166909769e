/**
 * An in-memory GitHub repository served through nock: one persistent
 * interceptor per HTTP method routes every request of the app to a small
 * model of commits, branches, pull requests and check runs, and records what
 * was read and written so tests assert on the requests themselves.
 */
import { createHash } from "node:crypto";
import nock from "nock";

export const API = "https://api.github.com";

export interface PullSpec {
  number: number;
  baseRef: string;
  headSha: string;
  headRef?: string;
  /** Defaults to true (GitHub computed a test merge). */
  mergeable?: boolean | null;
  mergeCommitSha?: string | null;
  /** Changed files (status "modified" unless given). */
  files: Array<string | { filename: string; status: string }>;
  state?: "open" | "closed";
  /** Head in another repository. */
  forkOwner?: string;
}

export interface StoredRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  external_id: string | null;
  app: { id: number };
  output: { title?: string; summary?: string; text?: string; annotations_count: number };
}

export interface Update {
  id: number;
  body: Record<string, any>;
}

export interface GraphqlRead {
  sha: string;
  path: string;
}

type Reply = [number, unknown];

export class GitHubFixture {
  readonly commits = new Map<string, Record<string, string>>();
  readonly branches = new Map<string, string>();
  readonly pulls = new Map<number, PullSpec>();
  readonly runs: StoredRun[] = [];
  /** Explicit compare answers by `base...head`; otherwise the two trees are diffed. */
  readonly compares = new Map<string, string[]>();

  /** Every request, as `METHOD /path?query`. */
  readonly requests: string[] = [];
  readonly created: Array<Record<string, any>> = [];
  readonly updates: Update[] = [];
  readonly graphqlReads: GraphqlRead[] = [];
  graphqlQueries = 0;
  readonly treeReads: string[] = [];
  /** Issues (e.g. `/gate freeze` issues), as GitHub lists them. */
  readonly issues: Array<{
    number: number;
    title: string;
    body: string | null;
    state: string;
    labels: Array<{ name: string }>;
    user: { login: string };
    created_at: string;
  }> = [];
  /** Requests the model has no route for (they get a 501, which the app must survive). */
  readonly unrouted: string[] = [];
  /** Lets a test answer a request itself (e.g. a 500); return undefined to fall through. */
  override?: (method: string, path: string, body: any) => Reply | undefined;

  private nextRunId = 1000;

  constructor(
    readonly owner = "acme",
    readonly repo = "gitops",
    readonly defaultBranch = "main",
    readonly installationId = 2,
    readonly appId = 123,
  ) {}

  get fullName(): string {
    return `${this.owner}/${this.repo}`;
  }

  commit(sha: string, files: Record<string, string>): this {
    this.commits.set(sha, files);
    return this;
  }

  branch(name: string, sha: string): this {
    this.branches.set(name, sha);
    return this;
  }

  pull(spec: PullSpec): this {
    this.pulls.set(spec.number, spec);
    return this;
  }

  /** A run already on GitHub (another app's when appId differs). */
  seedRun(run: Partial<StoredRun> & { name: string; head_sha: string }): StoredRun {
    const stored: StoredRun = {
      id: this.nextRunId++,
      status: "completed",
      conclusion: "success",
      external_id: null,
      app: { id: this.appId },
      output: { annotations_count: 0 },
      ...run,
    };
    this.runs.push(stored);
    return stored;
  }

  /** Registers the interceptors; call `nock.cleanAll()` after the test. */
  install(): void {
    const scope = nock(API).persist();
    for (const method of ["GET", "POST", "PATCH", "PUT", "DELETE"]) {
      scope
        .intercept(() => true, method)
        .reply((uri, body) => {
          const [status, data] = this.route(method, uri, typeof body === "string" && body ? JSON.parse(body) : body);
          return [status, data as nock.Body, { "content-type": "application/json" }];
        });
    }
  }

  // ------------------------------------------------------------ queries for tests

  runsNamed(name: string): StoredRun[] {
    return this.runs.filter((r) => r.name === name && r.app.id === this.appId);
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

  /** Runs of ours not completed: must be none after any event. */
  pending(): StoredRun[] {
    return this.runs.filter((r) => r.app.id === this.appId && r.status !== "completed");
  }

  // ------------------------------------------------------------ routing

  private route(method: string, uri: string, body: any): Reply {
    const url = new URL(uri, API);
    const path = decodeURIComponent(url.pathname);
    this.requests.push(`${method} ${path}${url.search}`);
    const custom = this.override?.(method, path, body);
    if (custom) return custom;
    const q = url.searchParams;
    const repoPrefix = `/repos/${this.owner}/${this.repo}`;

    if (method === "POST" && /^\/app\/installations\/\d+\/access_tokens$/.test(path)) {
      return [
        201,
        {
          token: "ghs_test",
          expires_at: "2999-01-01T00:00:00Z",
          permissions: { checks: "write", contents: "read", pull_requests: "read" },
          repository_selection: "all",
        },
      ];
    }
    if (method === "POST" && path === "/graphql") return this.graphql(body);
    if (!path.startsWith(`/repos/${this.owner}/`)) return this.unknown(method, path);
    if (!path.startsWith(repoPrefix + "/") && path !== repoPrefix) return [404, { message: "Not Found" }]; // e.g. the org's .github repo
    const rest = path.slice(repoPrefix.length);
    let m: RegExpExecArray | null;

    if (method === "GET" && rest === "") return [200, this.repoJson()];
    if (method === "GET" && (m = /^\/branches\/(.+)$/.exec(rest))) {
      const sha = this.branches.get(m[1]);
      return sha ? [200, { name: m[1], commit: { sha }, protected: false }] : [404, { message: "Branch not found" }];
    }
    if (method === "GET" && (m = /^\/git\/ref\/heads\/(.+)$/.exec(rest))) {
      const sha = this.branches.get(m[1]);
      return sha
        ? [200, { ref: `refs/heads/${m[1]}`, object: { sha, type: "commit" } }]
        : [404, { message: "Not Found" }];
    }
    if (method === "GET" && (m = /^\/git\/trees\/([^/]+)$/.exec(rest))) {
      this.treeReads.push(m[1]);
      const files = this.commits.get(m[1]);
      if (!files) return [404, { message: "Not Found" }];
      return [
        200,
        {
          sha: m[1],
          truncated: false,
          tree: Object.entries(files).map(([p, c]) => ({
            path: p,
            mode: "100644",
            type: "blob",
            sha: blobSha(c),
            size: Buffer.byteLength(c),
          })),
        },
      ];
    }
    if (method === "GET" && rest === "/pulls") {
      const base = q.get("base");
      const list = [...this.pulls.values()].filter(
        (p) => (p.state ?? "open") === "open" && (!base || p.baseRef === base),
      );
      return [200, list.map((p) => this.pullJson(p))];
    }
    if (method === "GET" && (m = /^\/pulls\/(\d+)$/.exec(rest))) {
      const p = this.pulls.get(Number(m[1]));
      return p ? [200, this.pullJson(p)] : [404, { message: "Not Found" }];
    }
    if (method === "GET" && (m = /^\/pulls\/(\d+)\/files$/.exec(rest))) {
      const p = this.pulls.get(Number(m[1]));
      if (!p) return [404, { message: "Not Found" }];
      const page = Number(q.get("page") ?? 1);
      if (page > 1) return [200, []];
      return [
        200,
        p.files
          .map((f) => (typeof f === "string" ? { filename: f, status: "modified" } : f))
          .map((f) => ({ ...f, additions: 1, deletions: 1, changes: 2 })),
      ];
    }
    if (method === "GET" && (m = /^\/compare\/(.+)$/.exec(rest))) return this.compare(m[1]);
    if (method === "GET" && (m = /^\/commits\/([^/]+)\/check-runs$/.exec(rest))) {
      const app = q.get("app_id");
      const runs = this.runs.filter((r) => r.head_sha === m![1] && (!app || r.app.id === Number(app)));
      return [200, { total_count: runs.length, check_runs: runs.map((r) => this.runJson(r)) }];
    }
    // Facts for PR-level gates and freezes: none by default.
    if (method === "GET" && rest === "/issues") {
      const labels = (q.get("labels") ?? "").split(",").filter(Boolean);
      const state = q.get("state") ?? "open";
      return [
        200,
        this.issues.filter(
          (i) => (state === "all" || i.state === state) && labels.every((l) => i.labels.some((x) => x.name === l)),
        ),
      ];
    }
    if (method === "GET" && /^\/(issues\/\d+\/comments|pulls\/\d+\/reviews|commits)$/.test(rest)) return [200, []];
    if (method === "GET" && (m = /^\/commits\/([^/]+)\/status$/.exec(rest)))
      return [200, { state: "pending", sha: m[1], total_count: 0, statuses: [] }];
    if (method === "POST" && rest === "/check-runs") {
      this.created.push(body);
      const run: StoredRun = {
        id: this.nextRunId++,
        name: body.name,
        head_sha: body.head_sha,
        status: body.status ?? "queued",
        conclusion: body.conclusion ?? null,
        external_id: body.external_id ?? null,
        app: { id: this.appId },
        output: { ...body.output, annotations_count: body.output?.annotations?.length ?? 0 },
      };
      this.runs.push(run);
      return [201, this.runJson(run)];
    }
    if (method === "PATCH" && (m = /^\/check-runs\/(\d+)$/.exec(rest))) {
      const run = this.runs.find((r) => r.id === Number(m![1]));
      if (!run) return [404, { message: "Not Found" }];
      this.updates.push({ id: run.id, body });
      if (body.status) run.status = body.status;
      if (body.conclusion) run.conclusion = body.conclusion;
      if (body.output) {
        const count = run.output.annotations_count + (body.output.annotations?.length ?? 0);
        run.output = {
          title: body.output.title,
          summary: body.output.summary,
          text: body.output.text,
          annotations_count: count,
        };
      }
      return [200, this.runJson(run)];
    }
    return this.unknown(method, path);
  }

  private unknown(method: string, path: string): Reply {
    this.unrouted.push(`${method} ${path}`);
    return [501, { message: `fixture has no route for ${method} ${path}` }];
  }

  /** Answers each `fN: object(expression: "sha:path")` alias from the commit's files. */
  /** `owner/repo` of every GraphQL query, in order. */
  readonly graphqlRepos: string[] = [];

  private graphql(body: { query: string; variables?: Record<string, unknown> }): Reply {
    this.graphqlRepos.push(`${body.variables?.owner}/${body.variables?.repo}`);
    this.graphqlQueries++;
    const data: Record<string, unknown> = {};
    const alias = /(\w+):\s*object\(expression:\s*("(?:[^"\\]|\\.)*")\)/g;
    let m: RegExpExecArray | null;
    while ((m = alias.exec(body.query))) {
      const expression = JSON.parse(m[2]) as string;
      const colon = expression.indexOf(":");
      const sha = expression.slice(0, colon);
      const path = expression.slice(colon + 1);
      this.graphqlReads.push({ sha, path });
      const text = this.commits.get(sha)?.[path];
      data[m[1]] = text === undefined ? null : { oid: blobSha(text), text, isTruncated: false, isBinary: false };
    }
    if (/defaultBranchRef\s*\{/.test(body.query)) {
      const oid = this.branches.get(this.defaultBranch);
      const file = /file\(path:\s*("(?:[^"\\]|\\.)*")\)/.exec(body.query);
      const target: Record<string, unknown> = { oid };
      if (file && oid) {
        const path = JSON.parse(file[1]) as string;
        this.graphqlReads.push({ sha: oid, path });
        const text = this.commits.get(oid)?.[path];
        target.file =
          text === undefined ? null : { object: { oid: blobSha(text), text, isTruncated: false, isBinary: false } };
      }
      data.defaultBranchRef = oid ? { name: this.defaultBranch, target } : null;
    }
    if (/pullRequest\(number:/.test(body.query)) {
      // Review and commit facts: a PR without reviews or commits listed.
      data.pullRequest = {
        reviews: { nodes: [] },
        commits: { totalCount: 0, pageInfo: { hasPreviousPage: false, startCursor: null }, nodes: [] },
      };
    }
    if (body.variables?.owner !== this.owner || body.variables?.repo !== this.repo) {
      return [
        200,
        { data: { repository: null }, errors: [{ type: "NOT_FOUND", message: "Could not resolve to a Repository" }] },
      ];
    }
    return [200, { data: { repository: data } }];
  }

  private compare(basehead: string): Reply {
    const [base, head] = basehead.split("...");
    const files =
      this.compares.get(basehead) ??
      diff(this.commits.get(this.branches.get(base) ?? base), this.commits.get(this.branches.get(head) ?? head));
    return [
      200,
      {
        status: "diverged",
        ahead_by: 1,
        behind_by: 1,
        total_commits: 1,
        merge_base_commit: { sha: "0".repeat(40) },
        files: files.map((filename) => ({ filename, status: "modified", additions: 1, deletions: 1, changes: 2 })),
      },
    ];
  }

  private repoJson() {
    return {
      id: 1,
      name: this.repo,
      full_name: this.fullName,
      owner: { login: this.owner, id: 2, type: "Organization" },
      default_branch: this.defaultBranch,
      private: false,
    };
  }

  pullJson(p: PullSpec) {
    const headRepo = p.forkOwner ? `${p.forkOwner}/${this.repo}` : this.fullName;
    return {
      number: p.number,
      title: `PR ${p.number}`,
      body: null,
      user: { login: p.forkOwner ?? "alice" },
      author_association: p.forkOwner ? "CONTRIBUTOR" : "MEMBER",
      draft: false,
      state: p.state ?? "open",
      labels: [],
      base: { ref: p.baseRef, sha: this.branches.get(p.baseRef) ?? "b".repeat(40), repo: { full_name: this.fullName } },
      head: { ref: p.headRef ?? `feature-${p.number}`, sha: p.headSha, repo: { full_name: headRepo } },
      mergeable: p.mergeable === undefined ? true : p.mergeable,
      merge_commit_sha: p.mergeCommitSha ?? null,
    };
  }

  private runJson(r: StoredRun) {
    return {
      id: r.id,
      name: r.name,
      head_sha: r.head_sha,
      status: r.status,
      conclusion: r.conclusion,
      external_id: r.external_id,
      app: { id: r.app.id, slug: r.app.id === this.appId ? "stagegate" : "other" },
      output: r.output,
      pull_requests: [],
    };
  }
}

/** Git's blob id of a text. */
export function blobSha(text: string): string {
  const bytes = Buffer.from(text);
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

function diff(a: Record<string, string> | undefined, b: Record<string, string> | undefined): string[] {
  if (!a || !b) return [];
  const paths = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...paths].filter((p) => a[p] !== b[p]).sort();
}

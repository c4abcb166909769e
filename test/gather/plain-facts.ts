import type { Permission } from "../../src/gate/access.js";
import type { IssueComment } from "../../src/gate/access.js";
import type {
  CiReports,
  CommitDate,
  CommitRecord,
  Comparison,
  IssueRecord,
  PullFacts,
  PullInfo,
  ReviewRecord,
  TeamMembers,
} from "../../src/gather/pull-facts.js";

/**
 * A repository's facts as plain data, served through the PullFacts interface
 * with no HTTP: what the gatherers and gate rules are tested against. Every
 * read is logged in `reads` so tests can see what a config costs.
 */
export interface FactsData {
  reviews?: ReviewRecord[];
  commits?: CommitRecord[];
  /** GitHub's count of the PR's commits; default: as many as `commits` lists. */
  commitsTotal?: number;
  /** Repository permission per login; anyone else has none. */
  permissions?: Record<string, Permission>;
  /** Teams as listed with the pull request (`complete: false` for a first page only). */
  teams?: Record<string, TeamMembers>;
  /** Every member of each team, for questions about single logins. */
  members?: Record<string, string[]>;
  /** By `base...head`. */
  comparisons?: Record<string, Comparison>;
  branches?: Record<string, string>;
  /** Text per path, per commit or branch. */
  files?: Record<string, Record<string, string>>;
  /** The latest commit touching a path, per ref. */
  history?: Record<string, Record<string, CommitDate>>;
  ci?: Record<string, Partial<CiReports>>;
  /** Open issues per label. */
  issues?: Record<string, IssueRecord[]>;
  /** Comments per issue number. */
  comments?: Record<number, IssueComment[]>;
}

export type PlainFacts = PullFacts & { reads: string[] };

export function plainFacts(data: FactsData = {}): PlainFacts {
  const reads: string[] = [];
  const own = <T>(rec: Record<string, T> | undefined, key: string): T | undefined =>
    rec && Object.prototype.hasOwnProperty.call(rec, key) ? rec[key] : undefined;
  return {
    reads,
    async pullActivity(number, want) {
      reads.push(`activity #${number}`);
      const teams = new Map<string, TeamMembers>();
      for (const t of want.teams) {
        const m = own(data.teams, t);
        if (m) teams.set(t, m);
      }
      return {
        ...(want.reviews ? { reviews: data.reviews ?? [] } : {}),
        ...(want.commits
          ? { commits: data.commits ?? [], commitsTotal: data.commitsTotal ?? (data.commits ?? []).length }
          : {}),
        teams,
      };
    },
    async isTeamMember(team, login) {
      reads.push(`member ${team} ${login}`);
      return (own(data.members, team) ?? []).some((l) => l.toLowerCase() === login.toLowerCase());
    },
    async permission(login) {
      reads.push(`permission ${login}`);
      const lower = login.toLowerCase();
      const entry = Object.entries(data.permissions ?? {}).find(([l]) => l.toLowerCase() === lower);
      return entry ? entry[1] : "none";
    },
    async compare(base, head) {
      reads.push(`compare ${base}...${head}`);
      return own(data.comparisons, `${base}...${head}`) ?? null;
    },
    async branchSha(branch) {
      reads.push(`branch ${branch}`);
      return own(data.branches, branch);
    },
    async readFiles(ref, paths) {
      reads.push(`files ${ref}`);
      const text = own(data.files, ref) ?? {};
      const out = new Map<string, Uint8Array | undefined>();
      for (const p of paths) {
        const t = own(text, p);
        out.set(p, t === undefined ? undefined : new TextEncoder().encode(t));
      }
      return out;
    },
    async lastCommitTouching(ref, path) {
      reads.push(`history ${ref} ${path}`);
      return own(own(data.history, ref), path) ?? null;
    },
    async ciReports(ref) {
      reads.push(`ci ${ref}`);
      const r = own(data.ci, ref);
      return { sha: r?.sha ?? null, statuses: r?.statuses ?? [], checkRuns: r?.checkRuns ?? [] };
    },
    async openIssues(label) {
      if (label !== undefined) {
        reads.push(`issues ${label}`);
        return own(data.issues, label) ?? [];
      }
      reads.push("issues");
      // Every open issue once, with the labels it is listed under.
      const all = new Map<number, IssueRecord>();
      for (const [name, list] of Object.entries(data.issues ?? {})) {
        for (const i of list) {
          const seen = all.get(i.number) ?? { ...i, labels: [...(i.labels ?? [])] };
          if (!seen.labels!.includes(name)) seen.labels!.push(name);
          all.set(i.number, seen);
        }
      }
      return [...all.values()];
    },
    async issueComments(number) {
      reads.push(`comments #${number}`);
      return data.comments?.[number] ?? [];
    },
  };
}

/** A pull request into `production` with head `headSha`, by alice. */
export function pullInfo(headSha: string, over: Partial<PullInfo> = {}): PullInfo {
  return {
    number: 7,
    title: "Promote web 1.2.3",
    body: "",
    author: "alice",
    authorAssociation: "MEMBER",
    draft: false,
    baseRef: "production",
    baseSha: "0".repeat(40),
    headRef: "promote",
    headSha,
    fork: false,
    labels: [],
    ...over,
  };
}

export const sha = (c: string): string => c.repeat(40);

export const review = (reviewer: string, state: string, at: string, commitSha: string): ReviewRecord => ({
  reviewer,
  state,
  submittedAt: at,
  commitSha,
});

export const signed = (s: string, author = "alice"): CommitRecord => ({
  sha: s,
  message: `commit ${s.slice(0, 3)}`,
  author,
  committer: "web-flow",
  signature: { valid: true, state: "VALID" },
});

export const unsigned = (s: string, author = "alice"): CommitRecord => ({ ...signed(s, author), signature: null });

/** An open issue opened by the GitHub App `appId` (null: by a person). */
export const issue = (number: number, appId: number | null, body: string, title = `issue ${number}`): IssueRecord => ({
  number,
  title,
  body,
  appId,
  url: `https://github.com/acme/gitops/issues/${number}`,
  createdAt: "2025-06-01T00:00:00Z",
});

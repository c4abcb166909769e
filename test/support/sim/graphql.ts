/**
 * POST /graphql: queries are parsed and validated against GitHub's public
 * schema (@octokit/graphql-schema) and executed over that real schema with
 * resolvers for the subset apps read; other fields resolve to null.
 */
import { readFileSync } from "node:fs";
import {
  buildClientSchema,
  defaultFieldResolver,
  getNullableType,
  graphql,
  GraphQLError,
  GraphQLNonNull,
  isNonNullType,
  parse,
  validate,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  type IntrospectionQuery,
} from "graphql";
import type { CommitObject } from "./git.js";
import { packageFile } from "./package-files.js";
import { nodeId, userId, type IssueRecord, type PullState, type RepoState, type SimState } from "./state.js";

export const MAX_BLOB_TEXT = 512 * 1024;

let schemaCache: GraphQLSchema | undefined;

export function githubSchema(): GraphQLSchema {
  if (!schemaCache) {
    // the introspection JSON builds faster than the SDL, which also has duplicate fields
    const json = JSON.parse(readFileSync(packageFile("@octokit/graphql-schema", "schema.json"), "utf8")) as {
      data?: IntrospectionQuery;
    } & IntrospectionQuery;
    schemaCache = buildClientSchema(json.data ?? json, { assumeValid: true });
  }
  return schemaCache;
}

type Args = Record<string, unknown>;

class NotFound extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { type: "NOT_FOUND" } });
  }
}

/** Argument errors GitHub reports for connections; also recorded as violations. */
export class PaginationError extends GraphQLError {}

function connection<T>(items: T[], args: Args, name: string) {
  const first = args.first as number | undefined;
  const last = args.last as number | undefined;
  if (first === undefined && last === undefined)
    throw new PaginationError(
      `You must provide a \`first\` or \`last\` value to properly paginate the \`${name}\` connection.`,
    );
  for (const [k, v] of [
    ["first", first],
    ["last", last],
  ] as const) {
    if (v !== undefined && v > 100)
      throw new PaginationError(
        `Requesting ${v} records on the \`${name}\` connection exceeds the \`${k}\` limit of 100 records.`,
      );
    if (v !== undefined && v < 0)
      throw new PaginationError(`\`${k}\` on the \`${name}\` connection cannot be less than zero.`);
  }
  const cursor = (i: number) => Buffer.from(`cursor:${i + 1}`).toString("base64");
  const index = (c: unknown) =>
    typeof c === "string"
      ? Number(
          Buffer.from(c, "base64")
            .toString()
            .replace(/^cursor:/, ""),
        ) - 1
      : NaN;
  let start = 0;
  let end = items.length;
  if (args.after != null && !Number.isNaN(index(args.after))) start = index(args.after) + 1;
  if (args.before != null && !Number.isNaN(index(args.before))) end = index(args.before);
  if (first !== undefined) end = Math.min(end, start + first);
  if (last !== undefined) start = Math.max(start, end - last);
  const slice = items.slice(start, end);
  return {
    totalCount: items.length,
    nodes: slice,
    edges: slice.map((node, i) => ({ node, cursor: cursor(start + i) })),
    pageInfo: {
      hasNextPage: end < items.length,
      hasPreviousPage: start > 0,
      startCursor: slice.length ? cursor(start) : null,
      endCursor: slice.length ? cursor(end - 1) : null,
    },
  };
}

function isBinary(buf: Buffer): boolean {
  if (buf.subarray(0, 8000).includes(0)) return true;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(buf);
    return false;
  } catch {
    return true;
  }
}

/** `onRead` is told when the text is asked for (tests assert which contents the app read). */
function blobNode(sha: string, buf: Buffer, onRead?: () => void) {
  const binary = isBinary(buf);
  const truncated = !binary && buf.length > MAX_BLOB_TEXT;
  const text = binary ? null : (truncated ? buf.subarray(0, MAX_BLOB_TEXT) : buf).toString("utf8");
  return {
    __typename: "Blob",
    id: nodeId("B_", parseInt(sha.slice(0, 8), 16)),
    oid: sha,
    abbreviatedOid: sha.slice(0, 7),
    byteSize: buf.length,
    isBinary: binary,
    isTruncated: truncated,
    text: () => {
      onRead?.();
      return text;
    },
  };
}

function treeNode(repo: RepoState, sha: string, prefix: string): Record<string, unknown> {
  return {
    __typename: "Tree",
    id: nodeId("T_", parseInt(sha.slice(0, 8), 16)),
    oid: sha,
    abbreviatedOid: sha.slice(0, 7),
    entries: (repo.git.trees.get(sha) ?? []).map((e) => ({
      name: e.path,
      path: prefix + e.path,
      type: e.type,
      mode: parseInt(e.mode, 8),
      size: e.type === "blob" ? (repo.git.blobs.get(e.sha)?.length ?? 0) : 0,
      oid: e.sha,
      object: () =>
        e.type === "blob" ? blobNode(e.sha, repo.git.blobs.get(e.sha)!) : treeNode(repo, e.sha, `${prefix}${e.path}/`),
    })),
  };
}

function actorNode(login: string) {
  return {
    __typename: login.endsWith("[bot]") ? "Bot" : "User",
    login: login.replace(/\[bot\]$/, ""),
    // The account's id by its full login (`<slug>[bot]` for a bot), as `viewer` answers it: they match.
    databaseId: userId(login),
    id: nodeId("U_", login.length),
    url: `https://github.com/${login}`,
  };
}

function commitNode(repo: RepoState, c: CommitObject): Record<string, unknown> {
  const who = {
    name: c.author.name,
    email: c.author.email,
    date: c.date,
    user: c.author.login === "web-flow" ? null : actorNode(c.author.login),
  };
  return {
    __typename: "Commit",
    id: nodeId("C_", parseInt(c.sha.slice(0, 8), 16)),
    oid: c.sha,
    abbreviatedOid: c.sha.slice(0, 7),
    message: c.message,
    messageHeadline: c.message.split("\n")[0],
    messageBody: c.message.split("\n").slice(1).join("\n").trim(),
    committedDate: c.date,
    authoredDate: c.date,
    author: who,
    committer: who,
    url: `https://github.com/${repo.fullName}/commit/${c.sha}`,
    signature: c.verified
      ? {
          __typename: "GpgSignature",
          isValid: true,
          state: "VALID",
          email: c.author.email,
          payload: "",
          signature: "",
          signer: actorNode(c.author.login),
          wasSignedByGitHub: false,
          keyId: "SIMULATED",
        }
      : null,
    tree: () => treeNode(repo, c.treeSha, ""),
    // Commit.file(path:) — a TreeEntry for a blob or directory at this commit, or null.
    file: (args: Args) => {
      const path = String(args.path ?? "").replace(/^\/+|\/+$/g, "");
      const object = path ? objectAt(repo, `${c.sha}:${path}`) : null;
      if (!object) return null;
      const name = path.split("/").pop()!;
      return {
        __typename: "TreeEntry",
        name,
        path,
        oid: (object as { oid: string }).oid,
        // Modes other than a plain file come from the test's `git.modes` (symlinks, submodules).
        type: repo.git.modes.get(path) === "160000" ? "commit" : object.__typename === "Blob" ? "blob" : "tree",
        mode: parseInt(repo.git.modes.get(path) ?? (object.__typename === "Blob" ? "100644" : "040000"), 8),
        size: object.__typename === "Blob" ? (object as { byteSize: number }).byteSize : 0,
        object,
      };
    },
    parents: (args: Args) =>
      connection(
        c.parents.map((p) => commitNode(repo, repo.git.commits.get(p)!)),
        args,
        "parents",
      ),
  };
}

/** `rev`, `rev:path` or `rev:` as in `git rev-parse`. */
function objectAt(repo: RepoState, expression: string) {
  const colon = expression.indexOf(":");
  const rev = colon < 0 ? expression : expression.slice(0, colon);
  const commit = repo.resolve(rev);
  const path = expression.slice(colon + 1).replace(/^\/+|\/+$/g, "");
  if (!commit) return null;
  if (colon < 0) return commitNode(repo, commit);
  if (path === "") return treeNode(repo, commit.treeSha, "");
  const blob = commit.files.get(path);
  if (blob)
    return blobNode(blob, repo.git.blobs.get(blob)!, () => repo.sim.contentReads.push({ sha: commit.sha, path }));
  let sha = commit.treeSha;
  for (const part of path.split("/")) {
    const e = repo.git.trees.get(sha)?.find((x) => x.path === part && x.type === "tree");
    if (!e) return null;
    sha = e.sha;
  }
  return treeNode(repo, sha, path + "/");
}

function pullNode(repo: RepoState, pr: PullState) {
  return {
    __typename: "PullRequest",
    id: nodeId("PR_", pr.id),
    databaseId: pr.id,
    number: pr.number,
    title: pr.title,
    body: pr.body,
    url: `https://github.com/${repo.fullName}/pull/${pr.number}`,
    state: pr.merged ? "MERGED" : pr.state === "open" ? "OPEN" : "CLOSED",
    isDraft: pr.draft,
    merged: pr.merged,
    closed: pr.state === "closed",
    createdAt: pr.createdAt,
    updatedAt: pr.updatedAt,
    author: actorNode(pr.author),
    headRefName: pr.headRef,
    headRefOid: pr.headSha,
    baseRefName: pr.baseRef,
    baseRefOid: pr.baseSha,
    isCrossRepository: pr.fork,
    mergeable: () => (pr.state !== "open" ? "UNKNOWN" : repo.testMerge(pr).sha ? "MERGEABLE" : "CONFLICTING"),
    potentialMergeCommit: () => {
      const sha = pr.state === "open" ? repo.testMerge(pr).sha : null;
      return sha ? commitNode(repo, repo.git.commits.get(sha)!) : null;
    },
    labels: (args: Args) =>
      connection(
        pr.labels.map((name) => ({ name, color: "ededed" })),
        args,
        "labels",
      ),
    commits: (args: Args) => {
      const commits = repo.git.commitsBetween(repo.git.mergeBase(pr.baseSha, pr.headSha), pr.headSha);
      return connection(
        commits.map((c) => ({
          __typename: "PullRequestCommit",
          id: nodeId("PURC_", parseInt(c.sha.slice(0, 8), 16)),
          commit: commitNode(repo, c),
        })),
        args,
        "commits",
      );
    },
    reviews: (args: Args) => {
      const states = args.states as string[] | undefined;
      const reviews = pr.reviews
        .filter((r) => !states || states.includes(r.state))
        .filter((r) => !args.author || r.user === args.author);
      return connection(
        reviews.map((r) => ({
          __typename: "PullRequestReview",
          id: nodeId("PRR_", r.id),
          databaseId: r.id,
          author: actorNode(r.user),
          state: r.state,
          body: r.body,
          submittedAt: r.submittedAt,
          createdAt: r.submittedAt,
          commit: repo.git.commits.has(r.commitId) ? commitNode(repo, repo.git.commits.get(r.commitId)!) : null,
        })),
        args,
        "reviews",
      );
    },
  };
}

/** Who asked: the bot account of the app whose installation token made the request. */
interface Viewer {
  login: string;
  /** Test-only: `viewerDidAuthor` answers false even to the issue's author (see `viewerDidAuthorAnswersFalse`). */
  didAuthorFalse?: boolean;
}

/**
 * Test-only switch: simulators whose `Issue.viewerDidAuthor` answers false, as if GitHub did not count an issue
 * an installation opened as its bot's, so that the other anchor (the author Bot's databaseId) is exercised alone.
 */
export const viewerDidAuthorAnswersFalse = new WeakSet<SimState>();

/** Arguments of GitHub's issue and pull request connections the simulator does not model: refused, not ignored. */
function refuseUnsimulated(args: Args, name: string): void {
  const filterBy = (args.filterBy ?? {}) as Args;
  const unsupported = [
    ...(args.labels != null ? ["labels"] : []),
    ...Object.keys(filterBy)
      .filter((k) => filterBy[k] != null && !["states", "createdBy"].includes(k))
      .map((k) => `filterBy.${k}`),
  ];
  if (unsupported.length)
    throw new GraphQLError(`The simulator does not implement ${unsupported.join(", ")} on \`${name}\`.`);
}

/** `orderBy: {field, direction}` over items with a creation time and a number (GitHub's default: oldest first). */
function ordered<T extends { createdAt: string; number: number; updatedAt?: string }>(items: T[], args: Args): T[] {
  const order = (args.orderBy ?? { field: "CREATED_AT", direction: "ASC" }) as { field: string; direction: string };
  if (!["CREATED_AT", "UPDATED_AT"].includes(order.field))
    throw new GraphQLError(`The simulator does not implement ordering by ${order.field}.`);
  const at = (i: T) => (order.field === "UPDATED_AT" ? (i.updatedAt ?? i.createdAt) : i.createdAt);
  const sign = order.direction === "DESC" ? -1 : 1;
  return [...items].sort((a, b) => sign * (at(a).localeCompare(at(b)) || a.number - b.number));
}

function issueNode(repo: RepoState, issue: IssueRecord) {
  return {
    __typename: "Issue",
    id: nodeId("I_", issue.id),
    databaseId: issue.id,
    number: issue.number,
    title: issue.title,
    body: issue.body,
    url: `https://github.com/${repo.fullName}/issues/${issue.number}`,
    state: issue.state === "open" ? "OPEN" : "CLOSED",
    closed: issue.state === "closed",
    createdAt: issue.createdAt,
    updatedAt: issue.updatedAt,
    closedAt: issue.closedAt,
    author: actorNode(issue.author),
    // GitHub's only tie between an issue and the app in GraphQL: its author is the token's own bot account.
    viewerDidAuthor: (_args: Args, viewer: Viewer | undefined) =>
      viewer !== undefined && !viewer.didAuthorFalse && issue.author === viewer.login,
    labels: (args: Args) =>
      connection(
        issue.labels.map((name) => ({ __typename: "Label", name, color: "ededed" })),
        args,
        "labels",
      ),
  };
}

function repositoryNode(repo: RepoState) {
  return {
    __typename: "Repository",
    id: nodeId("R_", repo.id),
    databaseId: repo.id,
    name: repo.name,
    nameWithOwner: repo.fullName,
    isPrivate: repo.isPrivate,
    url: `https://github.com/${repo.fullName}`,
    owner: { __typename: "Organization", login: repo.owner, id: nodeId("O_", repo.id) },
    defaultBranchRef: () => {
      const sha = repo.branches.get(repo.defaultBranch)!;
      return {
        __typename: "Ref",
        id: nodeId("REF_", repo.id),
        name: repo.defaultBranch,
        prefix: "refs/heads/",
        target: commitNode(repo, repo.git.commits.get(sha)!),
      };
    },
    ref: (args: Args) => {
      const name = String(args.qualifiedName).replace(/^refs\/heads\//, "");
      const sha = repo.branches.get(name);
      return sha
        ? {
            __typename: "Ref",
            id: nodeId("REF_", sha.length),
            name,
            prefix: "refs/heads/",
            target: commitNode(repo, repo.git.commits.get(sha)!),
          }
        : null;
    },
    object: (args: Args) => {
      if (typeof args.expression === "string") return objectAt(repo, args.expression);
      if (typeof args.oid === "string") return objectAt(repo, args.oid);
      return null;
    },
    pullRequest: (args: Args) => {
      const pr = repo.pulls.get(Number(args.number));
      if (!pr) throw new NotFound(`Could not resolve to a PullRequest with the number of ${String(args.number)}.`);
      return pullNode(repo, pr);
    },
    pullRequests: (args: Args) => {
      refuseUnsimulated(args, "pullRequests");
      const states = args.states as string[] | undefined;
      const state = (pr: PullState) => (pr.merged ? "MERGED" : pr.state === "open" ? "OPEN" : "CLOSED");
      const pulls = [...repo.pulls.values()]
        .filter((pr) => !states || states.includes(state(pr)))
        .filter((pr) => args.baseRefName == null || pr.baseRef === args.baseRefName)
        .filter((pr) => args.headRefName == null || pr.headRef === args.headRefName);
      return connection(
        ordered(pulls, args).map((pr) => pullNode(repo, pr)),
        args,
        "pullRequests",
      );
    },
    // Issues only: unlike REST's listing, GraphQL's never includes pull requests.
    issues: (args: Args) => {
      refuseUnsimulated(args, "issues");
      const filterBy = (args.filterBy ?? {}) as { states?: string[] | null; createdBy?: string | null };
      const states = (args.states as string[] | undefined) ?? filterBy.states ?? undefined;
      const issues = repo
        .issues()
        .filter((i) => !i.isPullRequest)
        .filter((i) => !states || states.includes(i.state === "open" ? "OPEN" : "CLOSED"))
        .filter((i) => filterBy.createdBy == null || i.author === filterBy.createdBy);
      return connection(
        ordered(issues, args).map((i) => issueNode(repo, i)),
        args,
        "issues",
      );
    },
  };
}

/** Missing fields resolve to null; a missing non-null field says it is not simulated. */
const fieldResolver: GraphQLFieldResolver<unknown, unknown> = (source, args, context, info) => {
  const value = defaultFieldResolver(source, args, context, info);
  if (value === undefined && isNonNullType(info.returnType)) {
    throw new GraphQLError(
      `The simulator does not implement ${info.parentType.name}.${info.fieldName} ` +
        `(${String(getNullableType(info.returnType as GraphQLNonNull<never>))}).`,
    );
  }
  return value ?? null;
};

export interface GraphqlOutcome {
  body: { data?: unknown; errors?: unknown[] };
  /** Messages of errors GitHub would also reject (bad queries, bad pagination arguments). */
  violations: string[];
}

/** `caller`: the app whose installation token asked (it decides `viewer` and `viewerDidAuthor`). */
export async function executeGraphql(
  state: SimState,
  payload: unknown,
  caller?: { appId: number },
): Promise<GraphqlOutcome> {
  const p = (payload ?? {}) as { query?: unknown; variables?: unknown; operationName?: unknown };
  if (typeof p.query !== "string" || p.query.trim() === "") {
    const message = "A query attribute must be specified and must be a string.";
    return { body: { errors: [{ message }] }, violations: [message] };
  }
  const schema = githubSchema();
  let document;
  try {
    document = parse(p.query);
  } catch (e) {
    const err = e as GraphQLError;
    const message = `Parse error: ${err.message}`;
    return {
      body: { errors: [{ message, locations: err.locations, extensions: { code: "parseError" } }] },
      violations: [message],
    };
  }
  const errors = validate(schema, document);
  if (errors.length) {
    // GitHub answers invalid queries with 200 and a list of errors, without data
    return {
      body: {
        errors: errors.map((e) => ({
          path: e.path,
          locations: e.locations,
          message: e.message,
          extensions: { code: "undefinedField" },
        })),
      },
      violations: errors.map((e) => e.message),
    };
  }
  const viewer: Viewer | undefined = caller
    ? { login: state.botLoginOf(caller.appId), didAuthorFalse: viewerDidAuthorAnswersFalse.has(state) }
    : undefined;
  const rootValue = {
    repository: (args: Args) => {
      const repo = state.repos.get(`${String(args.owner)}/${String(args.name)}`.toLowerCase());
      if (!repo)
        throw new NotFound(
          `Could not resolve to a Repository with the name '${String(args.owner)}/${String(args.name)}'.`,
        );
      return repositoryNode(repo);
    },
    // An installation token's viewer is its app's bot account (GitHub answers it as a User with the `[bot]` login).
    viewer: () => {
      if (!viewer) throw new GraphQLError("The simulator knows no viewer for this request.");
      return { __typename: "User", login: viewer.login, databaseId: userId(viewer.login), id: nodeId("U_", 1) };
    },
    rateLimit: () => ({
      cost: 1,
      limit: 5000,
      nodeCount: 1,
      remaining: 4999,
      used: 1,
      resetAt: new Date(Date.now() + 3600_000).toISOString(),
    }),
  };
  const result = await graphql({
    schema,
    source: p.query,
    rootValue,
    variableValues: (p.variables ?? undefined) as Record<string, unknown> | undefined,
    contextValue: viewer,
    operationName: typeof p.operationName === "string" ? p.operationName : undefined,
    fieldResolver,
    typeResolver: (value) => (value as { __typename?: string }).__typename,
  });
  const out = result.errors?.map((e) => ({
    type: (e.extensions?.type as string) ?? undefined,
    path: e.path,
    locations: e.locations,
    message: e.message,
  }));
  const violations = (result.errors ?? [])
    .filter((e) => !(e.originalError instanceof NotFound) && !(e instanceof NotFound))
    .map((e) => e.message);
  return { body: { data: result.data ?? null, ...(out ? { errors: out } : {}) }, violations };
}

/**
 * A tiny content-addressed git model: blobs, trees and commits hashed the way
 * git hashes them, so shas look and behave like real ones (same content, same sha).
 */
import { createHash } from "node:crypto";

export type FileMap = Map<string, string>; // path → blob sha

export interface GitActor {
  login: string;
  name: string;
  email: string;
}

export interface CommitObject {
  sha: string;
  treeSha: string;
  files: FileMap;
  parents: string[];
  message: string;
  author: GitActor;
  date: string;
  verified: boolean;
}

export interface TreeEntry {
  path: string; // name within its parent tree
  mode: string;
  type: "blob" | "tree";
  sha: string;
}

function gitHash(kind: string, body: Buffer): string {
  const header = Buffer.from(`${kind} ${body.length}\0`);
  return createHash("sha1").update(header).update(body).digest("hex");
}

export function blobSha(content: Buffer): string {
  return gitHash("blob", content);
}

/** Object store of one repository. */
export class GitStore {
  readonly blobs = new Map<string, Buffer>();
  readonly trees = new Map<string, TreeEntry[]>();
  readonly commits = new Map<string, CommitObject>();
  /** File modes other than 100644 by path, for every commit (tests: "120000" symlink, "160000" submodule). */
  readonly modes = new Map<string, string>();

  putBlob(content: string | Uint8Array): string {
    const buf = typeof content === "string" ? Buffer.from(content, "utf8") : Buffer.from(content);
    const sha = blobSha(buf);
    if (!this.blobs.has(sha)) this.blobs.set(sha, buf);
    return sha;
  }

  /** Hashes the nested trees of a flat path map; returns the root tree sha. */
  putTree(files: FileMap): string {
    type Dir = Map<string, Dir | string>;
    const root: Dir = new Map();
    for (const [path, sha] of files) {
      const parts = path.split("/");
      let dir = root;
      for (const part of parts.slice(0, -1)) {
        let next = dir.get(part);
        if (typeof next !== "object") {
          next = new Map();
          dir.set(part, next);
        }
        dir = next;
      }
      dir.set(parts[parts.length - 1], sha);
    }
    const hashDir = (dir: Dir, prefix = ""): string => {
      const entries: TreeEntry[] = [];
      for (const [name, v] of dir) {
        if (typeof v === "string")
          entries.push({ path: name, mode: this.modes.get(prefix + name) ?? "100644", type: "blob", sha: v });
        else entries.push({ path: name, mode: "040000", type: "tree", sha: hashDir(v, `${prefix}${name}/`) });
      }
      // git orders entries as if directory names ended in "/"
      const key = (e: TreeEntry) => (e.type === "tree" ? e.path + "/" : e.path);
      entries.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
      const body = Buffer.concat(
        entries.flatMap((e) => [
          Buffer.from(`${e.mode === "040000" ? "40000" : e.mode} ${e.path}\0`),
          Buffer.from(e.sha, "hex"),
        ]),
      );
      const sha = gitHash("tree", body);
      this.trees.set(sha, entries);
      return sha;
    };
    return hashDir(root);
  }

  putCommit(
    files: FileMap,
    parents: string[],
    message: string,
    author: GitActor,
    date: Date,
    verified: boolean,
  ): CommitObject {
    const treeSha = this.putTree(files);
    const ts = Math.floor(date.getTime() / 1000);
    const who = `${author.name} <${author.email}> ${ts} +0000`;
    const text = [
      `tree ${treeSha}`,
      ...parents.map((p) => `parent ${p}`),
      `author ${who}`,
      `committer ${who}`,
      "",
      message,
      "",
    ].join("\n");
    const sha = gitHash("commit", Buffer.from(text, "utf8"));
    const existing = this.commits.get(sha);
    if (existing) return existing;
    const commit: CommitObject = {
      sha,
      treeSha,
      files: new Map(files),
      parents,
      message,
      author,
      date: date.toISOString(),
      verified,
    };
    this.commits.set(sha, commit);
    return commit;
  }

  /** All commits reachable from `sha` (inclusive). */
  ancestors(sha: string): Set<string> {
    const seen = new Set<string>();
    const stack = [sha];
    while (stack.length) {
      const s = stack.pop()!;
      if (seen.has(s)) continue;
      seen.add(s);
      const c = this.commits.get(s);
      if (c) stack.push(...c.parents);
    }
    return seen;
  }

  /** Nearest common ancestor, walking `b`'s history breadth-first. */
  mergeBase(a: string, b: string): string | undefined {
    const fromA = this.ancestors(a);
    const queue = [b];
    const seen = new Set<string>();
    while (queue.length) {
      const s = queue.shift()!;
      if (seen.has(s)) continue;
      seen.add(s);
      if (fromA.has(s)) return s;
      const c = this.commits.get(s);
      if (c) queue.push(...c.parents);
    }
    return undefined;
  }

  /** Commits reachable from `head` but not from `base`, parents before children. */
  commitsBetween(base: string | undefined, head: string): CommitObject[] {
    const exclude = base ? this.ancestors(base) : new Set<string>();
    const out: CommitObject[] = [];
    const done = new Set<string>();
    // iterative post-order DFS so long histories cannot overflow the stack
    const stack: Array<[string, boolean]> = [[head, false]];
    while (stack.length) {
      const [sha, expanded] = stack.pop()!;
      if (done.has(sha) || exclude.has(sha)) continue;
      const c = this.commits.get(sha);
      if (!c) continue;
      if (expanded) {
        done.add(sha);
        out.push(c);
        continue;
      }
      stack.push([sha, true]);
      for (const p of [...c.parents].reverse()) if (!done.has(p)) stack.push([p, false]);
    }
    return out;
  }
}

export interface FileChange {
  filename: string;
  status: "added" | "modified" | "removed" | "renamed";
  previous_filename?: string;
  sha: string | null;
  additions: number;
  deletions: number;
  changes: number;
  patch?: string;
}

function lines(buf: Buffer | undefined): string[] {
  if (!buf || buf.length === 0) return [];
  const text = buf.toString("utf8");
  const ls = text.split("\n");
  if (ls[ls.length - 1] === "") ls.pop();
  return ls;
}

/** Line counts and a one-hunk patch from trimming the common prefix and suffix. */
function lineDiff(
  before: Buffer | undefined,
  after: Buffer | undefined,
): { additions: number; deletions: number; patch: string } {
  const a = lines(before);
  const b = lines(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const removed = a.slice(start, endA);
  const added = b.slice(start, endB);
  const patch =
    removed.length || added.length
      ? `@@ -${removed.length ? start + 1 : start},${removed.length} +${added.length ? start + 1 : start},${added.length} @@\n` +
        [...removed.map((l) => "-" + l), ...added.map((l) => "+" + l)].join("\n")
      : "";
  return { additions: added.length, deletions: removed.length, patch };
}

/** Files that differ between two trees, with renames detected by identical blob sha. */
export function diffTrees(store: GitStore, before: FileMap, after: FileMap): FileChange[] {
  const added: string[] = [];
  const removed: string[] = [];
  const out: FileChange[] = [];
  for (const [path, sha] of after) {
    const old = before.get(path);
    if (old === undefined) added.push(path);
    else if (old !== sha) {
      const d = lineDiff(store.blobs.get(old), store.blobs.get(sha));
      out.push({
        filename: path,
        status: "modified",
        sha,
        additions: d.additions,
        deletions: d.deletions,
        changes: d.additions + d.deletions,
        patch: d.patch,
      });
    }
  }
  for (const path of before.keys()) if (!after.has(path)) removed.push(path);
  const removedBySha = new Map<string, string>();
  for (const p of removed) removedBySha.set(before.get(p)!, p);
  const renamedFrom = new Set<string>();
  for (const path of added) {
    const sha = after.get(path)!;
    const from = removedBySha.get(sha);
    if (from !== undefined && !renamedFrom.has(from)) {
      renamedFrom.add(from);
      out.push({
        filename: path,
        status: "renamed",
        previous_filename: from,
        sha,
        additions: 0,
        deletions: 0,
        changes: 0,
      });
      continue;
    }
    const d = lineDiff(undefined, store.blobs.get(sha));
    out.push({
      filename: path,
      status: "added",
      sha,
      additions: d.additions,
      deletions: 0,
      changes: d.additions,
      patch: d.patch,
    });
  }
  for (const path of removed) {
    if (renamedFrom.has(path)) continue;
    const d = lineDiff(store.blobs.get(before.get(path)!), undefined);
    // GitHub reports the sha of the removed blob for deleted files
    out.push({
      filename: path,
      status: "removed",
      sha: before.get(path)!,
      additions: 0,
      deletions: d.deletions,
      changes: d.deletions,
      patch: d.patch,
    });
  }
  return out.sort((x, y) => (x.filename < y.filename ? -1 : x.filename > y.filename ? 1 : 0));
}

/**
 * The tree of a test merge: `base` plus the changes `head` made since the merge
 * base. Returns the conflicting paths when both sides changed a file differently.
 */
export function threeWayMerge(
  mergeBase: FileMap,
  base: FileMap,
  head: FileMap,
): { files: FileMap; conflicts: string[] } {
  const files = new Map(base);
  const conflicts: string[] = [];
  const paths = new Set([...mergeBase.keys(), ...base.keys(), ...head.keys()]);
  for (const path of paths) {
    const m = mergeBase.get(path);
    const b = base.get(path);
    const h = head.get(path);
    if (h === m) continue; // head did not touch it
    if (b !== m && b !== h) {
      conflicts.push(path);
      continue;
    }
    if (h === undefined) files.delete(path);
    else files.set(path, h);
  }
  return { files, conflicts: conflicts.sort() };
}

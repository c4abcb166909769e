/**
 * What a render reads from one commit on GitHub: the tree is listed once (one request, which also says
 * which paths exist, so probing for `kustomization.yml` costs nothing), and files are fetched through the
 * gateway's batched reads, a directory at a time. Contents are kept by blob sha in a bounded cache shared
 * by every evaluation: a base and a head share most blobs, and so do successive commits of a pull request.
 */
import { createHash } from "node:crypto";
import { posix } from "node:path";
import type { GitHubClient } from "../github/client.js";
import type { TreeEntry } from "../github/types.js";

/** Files fetched at once from one directory when one of them is read, and the largest fetched unasked. */
const BATCH = 100;
const PREFETCH_BYTES = 64 * 1024;

export class RenderReadError extends Error {}

/** Blob contents by sha, least recently used first out, bounded by bytes. */
export class BlobCache {
  private readonly blobs = new Map<string, Uint8Array>();
  private bytes = 0;
  constructor(private readonly maxBytes = 64 * 1024 * 1024) {}

  get(sha: string): Uint8Array | undefined {
    const b = this.blobs.get(sha);
    if (b) {
      this.blobs.delete(sha);
      this.blobs.set(sha, b);
    }
    return b;
  }

  set(sha: string, content: Uint8Array): void {
    if (this.blobs.has(sha) || content.byteLength > this.maxBytes) return;
    this.blobs.set(sha, content);
    this.bytes += content.byteLength;
    for (const [k, v] of this.blobs) {
      if (this.bytes <= this.maxBytes) break;
      this.blobs.delete(k);
      this.bytes -= v.byteLength;
    }
  }
}

export class TreeReader {
  private listing?: Promise<Map<string, TreeEntry>>;
  private readonly local = new Map<string, Uint8Array>();

  constructor(
    private readonly client: GitHubClient,
    readonly sha: string,
    private readonly blobs: BlobCache,
    private readonly maxFileBytes: number,
  ) {}

  private tree(): Promise<Map<string, TreeEntry>> {
    this.listing ??= this.client.tree(this.sha).then((entries) => new Map(entries.map((e) => [e.path, e])));
    return this.listing;
  }

  /** The tree's content, as a key: equal for two commits with the same files (a test merge recomputed). */
  async fingerprint(): Promise<string> {
    const h = createHash("sha256");
    for (const [path, e] of [...(await this.tree())].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      h.update(`${path}\0${e.sha}\n`);
    return h.digest("hex");
  }

  async listFiles(dir: string): Promise<string[]> {
    const prefix = dir === "." || dir === "" ? "" : `${dir.replace(/\/+$/, "")}/`;
    return [...(await this.tree()).keys()].filter((p) => p.startsWith(prefix));
  }

  async readFile(path: string): Promise<Uint8Array | undefined> {
    const tree = await this.tree();
    const entry = tree.get(path);
    if (!entry) return undefined; // no such file (or a directory)
    if ((entry.size ?? 0) > this.maxFileBytes)
      throw new RenderReadError(
        `${path} is ${entry.size} bytes, more than limits.max_file_bytes (${this.maxFileBytes}): not rendered`,
      );
    const known = this.local.get(path) ?? this.blobs.get(entry.sha);
    if (known) return known;
    // Its directory's other small files are likely next (a kustomization's resources and patches): one request.
    const dir = posix.dirname(path);
    const batch = [path];
    for (const [p, e] of tree) {
      if (batch.length >= BATCH) break;
      if (p !== path && posix.dirname(p) === dir && (e.size ?? 0) <= PREFETCH_BYTES && !this.blobs.get(e.sha))
        batch.push(p);
    }
    const read = await this.client.readFiles(this.sha, batch);
    for (const [p, content] of read) {
      const e = tree.get(p);
      if (!content || !e) continue;
      this.local.set(p, content);
      this.blobs.set(e.sha, content);
    }
    return this.local.get(path);
  }
}

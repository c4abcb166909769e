import type { RepoReader } from "../gate/sources.js";
import type { GitHubClient } from "./client.js";
import type { TreeEntry } from "./types.js";

/**
 * A RepoReader over one commit on GitHub: the tree is listed once, and
 * `preload` fetches many files in batched requests so that the engine's
 * file-by-file reads cost nothing more.
 */
export class GitHubRepoReader implements RepoReader {
  private treeP?: Promise<TreeEntry[]>;
  private readonly cache = new Map<string, Uint8Array | undefined>();

  constructor(
    private readonly client: GitHubClient,
    readonly sha: string,
  ) {}

  private tree(): Promise<TreeEntry[]> {
    this.treeP ??= this.client.tree(this.sha);
    return this.treeP;
  }

  async listFiles(dir: string): Promise<string[]> {
    const prefix = dir.replace(/^\.\/?/, "").replace(/\/?$/, "/");
    return (await this.tree()).map((e) => e.path).filter((p) => p === dir || prefix === "/" || p.startsWith(prefix));
  }

  /** Records a file already read at this commit (e.g. together with the default branch). */
  seed(path: string, content: Uint8Array | undefined): void {
    this.cache.set(path, content);
  }

  /** Fetches the files under these paths (dirs or files) that `want` accepts, in batches. */
  async preload(paths: string[], want: (path: string) => boolean = () => true): Promise<void> {
    const all = new Set<string>();
    for (const p of paths) for (const f of await this.listFiles(p)) if (want(f) && !this.cache.has(f)) all.add(f);
    if (all.size === 0) return;
    const files = await this.client.readFiles(this.sha, [...all]);
    for (const [p, content] of files) this.cache.set(p, content);
  }

  async readFile(path: string): Promise<string | undefined> {
    if (!this.cache.has(path)) {
      const files = await this.client.readFiles(this.sha, [path]);
      this.cache.set(path, files.get(path));
    }
    const bytes = this.cache.get(path);
    return bytes === undefined ? undefined : new TextDecoder().decode(bytes);
  }
}

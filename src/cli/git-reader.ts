/**
 * A git revision of the local checkout as a RenderReader: the file list once (`git ls-tree`), each file's
 * content on demand (`git cat-file`). Paths are relative to `root`, which must be inside the checkout.
 */
import { spawnSync } from "node:child_process";
import type { RenderReader } from "../render/reader.js";
import { UsageError } from "./args.js";

function git(root: string, args: string[]): { status: number; stdout: Buffer; stderr: string } {
  const r = spawnSync("git", ["-C", root, ...args], { maxBuffer: 256 * 1024 * 1024 });
  return { status: r.status ?? 1, stdout: r.stdout ?? Buffer.alloc(0), stderr: r.stderr?.toString("utf8") ?? "" };
}

export function gitRevisionReader(root: string, ref: string): RenderReader & { commit: string } {
  const resolved = git(root, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  if (resolved.status !== 0) throw new UsageError(`--base ${ref}: not a commit of the checkout at ${root}`);
  const commit = resolved.stdout.toString("utf8").trim();
  const listed = git(root, ["ls-tree", "-r", "-z", "--name-only", commit, "."]);
  if (listed.status !== 0) throw new UsageError(`cannot list ${ref}: ${listed.stderr.trim()}`);
  const files = new Set(listed.stdout.toString("utf8").split("\0").filter(Boolean));
  return {
    commit,
    async listFiles(dir) {
      const under = dir === "." || dir === "" ? "" : `${dir.replace(/\/+$/, "")}/`;
      return [...files].filter((f) => f.startsWith(under));
    },
    async readFile(path) {
      if (!files.has(path)) return undefined;
      const r = git(root, ["cat-file", "blob", `${commit}:./${path}`]);
      return r.status === 0 ? new Uint8Array(r.stdout) : undefined;
    },
  };
}

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type { RepoReader } from "../gate/sources.js";
import type { RenderReader } from "../render/reader.js";

/** The working tree as a RepoReader: paths are relative to `root`. */
export function diskReader(root: string): RepoReader {
  return {
    async readFile(path) {
      try {
        return readFileSync(join(root, path), "utf8");
      } catch {
        return undefined;
      }
    },
    async listFiles(dir) {
      return walkFiles(join(root, dir)).map((f) => toPosix(relative(root, f)));
    },
  };
}

/** The working tree for rendering: files as bytes, as a git revision gives them (a chart's packaged dependencies). */
export function diskRenderReader(root: string): RenderReader {
  const text = diskReader(root);
  return {
    async readFile(path) {
      try {
        return new Uint8Array(readFileSync(join(root, path)));
      } catch {
        return undefined;
      }
    },
    listFiles: (dir) => text.listFiles(dir),
  };
}

/**
 * Every file under a path (the path itself when it is a file); hidden entries and node_modules skipped, unless
 * `hidden` (conftest's walk: everything but `.git`).
 */
export function walkFiles(path: string, opts: { hidden?: boolean } = {}): string[] {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return [];
  if (st.isFile()) return [path];
  const out: string[] = [];
  for (const e of readdirSync(path, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (opts.hidden ? e.name === ".git" : e.name.startsWith(".") || e.name === "node_modules") continue;
    const child = join(path, e.name);
    if (e.isDirectory()) out.push(...walkFiles(child, opts));
    else if (e.isFile()) out.push(child);
  }
  return out;
}

export function toPosix(p: string): string {
  return p.split(sep).join("/");
}

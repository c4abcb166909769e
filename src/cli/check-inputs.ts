import { readFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import type { SourceFile } from "../manifests/parse.js";
import { UsageError } from "./args.js";
import { toPosix, walkFiles } from "./disk-reader.js";
import type { Project } from "./project.js";

/** The files a check reads, and how to show each one's path (its checked path → the path as the user gave it). */
export interface CheckInputs {
  files: SourceFile[];
  display: Map<string, string>;
}

/**
 * Reads the paths given on the command line (`-` is standard input). With a config, paths are repository-relative
 * and directory walks skip dot-directories, as the app sees a repository. Without one the CLI reads like conftest:
 * any path (outside the repository too, named as given), dot-directories included; each file is checked under a
 * stand-in path that every `manifests` glob accepts.
 */
export function readCheckInputs(project: Project, given: string[], cwd: string, stdin: () => Buffer): CheckInputs {
  const whole = given.length === 0;
  const paths = whole ? [project.root] : given;
  const files: SourceFile[] = [];
  const display = new Map<string, string>();
  const conftest = !project.hasConfig;
  for (const p of paths) {
    if (p === "-") {
      const path = conftest ? "stdin.yaml" : "-.yaml";
      files.push({ path, content: new Uint8Array(stdin()) });
      display.set(path, "-");
      continue;
    }
    const abs = resolve(cwd, p);
    // No path given (the whole tree): dot-directories and node_modules stay out, as with a config.
    const found = walkFiles(abs, { hidden: conftest && !whole });
    if (found.length === 0) throw new UsageError(`no such file or directory: ${p}`);
    for (const f of found) {
      const content = new Uint8Array(readFileSync(f));
      if (!conftest) {
        files.push({ path: toPosix(relative(project.root, f)), content });
        continue;
      }
      // Inside the repository: its path from the root (as code scanning and annotations resolve paths); outside it,
      // as conftest names it: the given path, joined with the walked part below a directory.
      const fromRoot = toPosix(relative(project.root, f));
      const shown = !fromRoot.startsWith("../")
        ? fromRoot
        : f === abs
          ? p
          : toPosix(`${p.replace(/\/+$/, "")}/${relative(abs, f)}`);
      const path = standIn(shown);
      files.push({ path, content });
      display.set(path, shown);
    }
  }
  return { files, display };
}

/** A relative path without `..` or dot-segments, for a path that may be absolute, outside, or hidden. */
function standIn(shown: string): string {
  return shown
    .split("/")
    .filter((seg) => seg !== "" && seg !== ".")
    .map((seg) => (seg.startsWith(".") ? `_${seg}` : seg))
    .join("/");
}

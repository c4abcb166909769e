import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { PolicyError } from "./problems.js";
import { PACKAGE_ROOT } from "./toolchain.js";

/** One Rego module: its path (as users see it, for messages) and its text. */
export interface PolicySource {
  path: string;
  content: string;
}

export const isRegoFile = (p: string) => p.endsWith(".rego");
export const isRegoTestFile = (p: string) => p.endsWith("_test.rego");

/**
 * Every .rego file (by default without `*_test.rego`) under the given files or directories, relative to `baseDir`,
 * sorted.
 */
export function readRegoFiles(
  paths: string[],
  baseDir: string,
  which: "policies" | "tests" | "all" = "policies",
): PolicySource[] {
  const out: PolicySource[] = [];
  for (const p of paths) {
    const abs = join(baseDir, p);
    for (const file of walk(abs)) {
      if (!isRegoFile(file)) continue;
      if (which === "policies" && isRegoTestFile(file)) continue;
      if (which === "tests" && !isRegoTestFile(file)) continue;
      out.push({ path: toPosix(relative(baseDir, file)), content: readFileSync(file, "utf8") });
    }
  }
  return dedupe(out);
}

/** The built-in library shipped with Stagegate (policies/lib and policies/gates, without tests). */
export function libraryModules(): PolicySource[] {
  const dirs = ["policies/lib", "policies/gates"].filter((d) => existsSync(join(PACKAGE_ROOT, d)));
  return readRegoFiles(dirs, PACKAGE_ROOT).map((s) => ({ ...s, path: `stagegate:${s.path}` }));
}

function* walk(path: string): Generator<string> {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) throw new PolicyError(`policy path not found: ${path}`);
  if (st.isFile()) {
    yield path;
    return;
  }
  // Code-unit order, not localeCompare (whose first call sets up ICU's collator, ~10 ms of a small run): the
  // order only decides which of two equal paths is kept, and dedupe() sorts the result by path anyway.
  for (const entry of readdirSync(path, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.name.startsWith(".")) continue;
    const child = join(path, entry.name);
    if (entry.isDirectory()) yield* walk(child);
    else if (entry.isFile()) yield child;
  }
}

function toPosix(p: string): string {
  return p.split(sep).join("/");
}

function dedupe(sources: PolicySource[]): PolicySource[] {
  const seen = new Map<string, PolicySource>();
  for (const s of sources) seen.set(s.path, s);
  return [...seen.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

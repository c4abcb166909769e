/**
 * Shared by the schema generators: Go modules from the module proxy (the one place upstream sources are served
 * from here), cached in ~/.cache/stagegate/gomod so each zip is downloaded once, and JSON helpers.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const MOD_CACHE = process.env.STAGEGATE_GOMODCACHE ?? join(homedir(), ".cache", "stagegate", "gomod");

/**
 * The extracted directory of `module@version`. Some modules declare a Go newer than the local one; only their
 * files are read, so the download may use the toolchain the proxy serves (GOTOOLCHAIN=go1.27.3).
 */
export function goModule(module, version) {
  const cwd = mkdtempSync(join(tmpdir(), "stagegate-gen-"));
  try {
    let error = "";
    for (const toolchain of ["local", "go1.27.3"]) {
      const info = download(`${module}@${version}`, cwd, toolchain);
      if (info.Dir) return info.Dir;
      error = info.Error ?? "no directory";
      if (!/requires go >=/.test(error)) break;
    }
    throw new Error(`${module}@${version}: ${error}`);
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

function download(target, cwd, toolchain) {
  const env = { ...process.env, GOMODCACHE: MOD_CACHE, GOFLAGS: "-mod=mod", GOTOOLCHAIN: toolchain };
  try {
    return JSON.parse(execFileSync("go", ["mod", "download", "-json", target], { cwd, env, encoding: "utf8" }));
  } catch (error) {
    // `go mod download -json` exits 1 with the JSON (and its Error) on stdout.
    if (error.stdout) return JSON.parse(error.stdout.toString());
    throw error;
  }
}

/** Keys sorted recursively, for stable output. */
export function sortKeys(node) {
  if (Array.isArray(node)) return node.map(sortKeys);
  if (node === null || typeof node !== "object") return node;
  return Object.fromEntries(
    Object.keys(node)
      .sort()
      .map((k) => [k, sortKeys(node[k])]),
  );
}

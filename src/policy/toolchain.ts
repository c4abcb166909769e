import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The OPA release Stagegate is built and tested against (scripts/install-opa.mjs installs it). */
export const OPA_VERSION = "1.22.3";

/** The package's root directory (where package.json, policies/ and .tools/ live). */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

export class ToolchainError extends Error {}

/**
 * Where the opa binary is: OPA_PATH, else the one `npm ci` installed under
 * .tools/bin, else `opa` on PATH. The version is checked once per binary.
 */
export function findOpa(env: NodeJS.ProcessEnv = process.env): string {
  if (env.OPA_PATH) return env.OPA_PATH;
  const bundled = join(PACKAGE_ROOT, ".tools", "bin", process.platform === "win32" ? "opa.exe" : "opa");
  if (existsSync(bundled)) return bundled;
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, "opa");
    if (dir && existsSync(candidate)) return candidate;
  }
  throw new ToolchainError(
    `opa v${OPA_VERSION} not found: run \`npm run install-opa\`, or set OPA_PATH to an opa v${OPA_VERSION} binary`,
  );
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs opa with arguments (never through a shell). Callers put `--` before file names, which come from
 * repositories (a pull request's) and may look like options.
 */
export function runOpa(args: string[], opts: { cwd?: string; input?: string; opa?: string } = {}): Promise<RunResult> {
  const bin = opts.opa ?? findOpa();
  // Loaded on first use: a check whose policies are compiled already (cached) never starts opa, and
  // node:child_process with what it loads (net, streams, dgram) costs a small run several milliseconds.
  const { execFile } = process.getBuiltinModule("node:child_process");
  return new Promise((resolvePromise, reject) => {
    const child = execFile(
      bin,
      args,
      // opa sees no secrets of ours: policies (a PR's, in the policy check) must not read them.
      {
        cwd: opts.cwd,
        maxBuffer: 256 * 1024 * 1024,
        encoding: "utf8",
        timeout: 120_000,
        env: { PATH: process.env.PATH ?? "", TMPDIR: tmpdir() },
      },
      (err, stdout, stderr) => {
        if (err && typeof (err as NodeJS.ErrnoException).code === "string") {
          reject(new ToolchainError(`cannot run ${bin}: ${err.message}`));
          return;
        }
        const code = err ? ((err as { code?: number }).code ?? 1) : 0;
        resolvePromise({ code: typeof code === "number" ? code : 1, stdout, stderr });
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

const versionChecked = new Map<string, Promise<void>>();

/** Fails with a clear message when the opa binary is not the pinned version. */
export function checkOpaVersion(bin: string = findOpa()): Promise<void> {
  let p = versionChecked.get(bin);
  if (!p) {
    p = runOpa(["version"], { opa: bin }).then((r) => {
      const v = /^Version:\s*v?(\S+)/m.exec(r.stdout)?.[1];
      if (v !== OPA_VERSION) {
        throw new ToolchainError(
          `${bin} is opa ${v ?? "(unknown version)"}; Stagegate needs v${OPA_VERSION} (run \`npm run install-opa\`)`,
        );
      }
    });
    versionChecked.set(bin, p);
  }
  return p;
}

/**
 * Builtins that reach outside the policy: the network, opa's runtime (its
 * environment), cloud credentials. They are removed from the capabilities
 * every opa command here compiles and tests with, so no policy — and in
 * particular no pull request's policy or *_test.rego in the policy check —
 * can call them, in the wasm evaluator or in `opa test`.
 */
export const SANDBOXED_BUILTINS = ["http.send", "net.lookup_ip_addr", "opa.runtime", "providers.aws.sign_req"];

let capabilities: Promise<string> | undefined;

/** Path of a capabilities file: the pinned OPA's own, minus SANDBOXED_BUILTINS. Written once per process. */
export function sandboxCapabilities(): Promise<string> {
  capabilities ??= runOpa(["capabilities", "--current"]).then((r) => {
    if (r.code !== 0) throw new ToolchainError(`opa capabilities failed: ${r.stderr.trim()}`);
    const caps = JSON.parse(r.stdout) as { builtins: Array<{ name: string }> };
    caps.builtins = caps.builtins.filter((b) => !SANDBOXED_BUILTINS.includes(b.name));
    const dir = mkdtempSync(`${tmpdir()}/stagegate-caps-`);
    // Removed when the process ends: one file per process, no folder left behind in the temp directory.
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
    const file = `${dir}/capabilities.json`;
    writeFileSync(file, JSON.stringify(caps));
    return file;
  });
  capabilities.catch(() => (capabilities = undefined));
  return capabilities;
}

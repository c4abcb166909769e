/**
 * Runs a rendering tool as a bounded child process: no shell, an emptied environment (no secrets, no
 * PATH, so no `git` for remote bases; proxies pointing at a closed port, so no network fetch either),
 * a wall-clock timeout and a resident-memory ceiling (both kill it), and a cap on what it may print.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";

export interface SandboxLimits {
  timeoutMs: number;
  maxOutputBytes: number;
  maxMemoryBytes: number;
}

export const DEFAULT_SANDBOX_LIMITS: SandboxLimits = Object.freeze({
  timeoutMs: 60_000,
  maxOutputBytes: 64 * 1024 * 1024,
  maxMemoryBytes: 1024 * 1024 * 1024,
});

export interface SandboxResult {
  code: number;
  stdout: string;
  stderr: string;
  /** Why the child was killed, when it was. */
  killed?: "timeout" | "memory" | "output";
}

/** A port nothing listens on: any HTTP(S) request made through the "proxy" fails at once. */
const NO_NETWORK = "http://127.0.0.1:9";

export function runSandboxed(
  bin: string,
  args: string[],
  cwd: string,
  limits: SandboxLimits = DEFAULT_SANDBOX_LIMITS,
): Promise<SandboxResult> {
  const env: NodeJS.ProcessEnv = {
    HOME: cwd,
    TMPDIR: cwd,
    HTTP_PROXY: NO_NETWORK,
    HTTPS_PROXY: NO_NETWORK,
    http_proxy: NO_NETWORK,
    https_proxy: NO_NETWORK,
    // Go's soft limit makes the collector work before the hard ceiling below kills the process.
    GOMEMLIMIT: `${Math.floor(limits.maxMemoryBytes / 2 / 1024 / 1024)}MiB`,
  };
  return new Promise((resolvePromise, reject) => {
    const child = spawn(bin, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"], shell: false });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let bytes = 0;
    let killed: SandboxResult["killed"];
    const kill = (why: NonNullable<SandboxResult["killed"]>) => {
      killed ??= why;
      child.kill("SIGKILL");
    };
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > limits.maxOutputBytes) return kill("output");
      into.push(chunk);
    };
    child.stdout.on("data", collect(out));
    child.stderr.on("data", collect(err));
    const timer = setTimeout(() => kill("timeout"), limits.timeoutMs);
    const watch = setInterval(() => {
      if (child.pid !== undefined && residentBytes(child.pid) > limits.maxMemoryBytes) kill("memory");
    }, 100);
    child.on("error", (e) => {
      clearTimeout(timer);
      clearInterval(watch);
      reject(e);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      clearInterval(watch);
      resolvePromise({
        code: code ?? 1,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
        ...(killed ? { killed } : {}),
      });
    });
  });
}

/** Resident memory of a process (Linux /proc; elsewhere 0, leaving only the Go soft limit and the timeout). */
function residentBytes(pid: number): number {
  try {
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * The pinned Helm binary: where it is and whether it is the right one (scripts/install-helm.mjs installs it).
 */
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { runSandboxed } from "./sandbox.js";
import { RenderToolError } from "./toolchain.js";

/** The Helm release Stagegate renders charts with. Keep in step with scripts/install-helm.mjs. */
export const HELM_VERSION = "4.3.2";

const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const EXE = process.platform === "win32" ? "helm.exe" : "helm";

/** HELM_PATH, else the one `npm ci` installed under .tools/bin, else `helm` on PATH. */
export function findHelm(env: NodeJS.ProcessEnv = process.env): string {
  // Absolute: helm runs with the sandbox as its working directory.
  if (env.HELM_PATH) return resolve(env.HELM_PATH);
  const bundled = join(PACKAGE_ROOT, ".tools", "bin", EXE);
  if (existsSync(bundled)) return bundled;
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, EXE);
    if (dir && existsSync(candidate)) return candidate;
  }
  throw new RenderToolError(
    `helm v${HELM_VERSION} not found: run \`npm run install-helm\`, or set HELM_PATH to a helm v${HELM_VERSION} binary`,
  );
}

const checked = new Map<string, Promise<void>>();

/** Fails with a clear message when the binary is not the pinned Helm (checked once per binary). */
export function checkHelmVersion(bin: string): Promise<void> {
  let p = checked.get(bin);
  if (!p) {
    p = runSandboxed(bin, ["version", "--template", "{{.Version}}"], tmpdir()).then(
      (r) => {
        const v = /v?(\d+\.\d+\.\d+)/.exec(r.stdout)?.[1];
        if (v !== HELM_VERSION)
          throw new RenderToolError(
            `${bin} is helm ${v ?? "(unknown version)"}; Stagegate needs v${HELM_VERSION} ` +
              "(run `npm run install-helm`)",
          );
      },
      (e: Error) => {
        throw new RenderToolError(`cannot run ${bin}: ${e.message}`);
      },
    );
    checked.set(bin, p);
    p.catch(() => checked.delete(bin));
  }
  return p;
}

import { existsSync } from "node:fs";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The kustomize release Stagegate renders with (scripts/install-kustomize.mjs installs it). */
export const KUSTOMIZE_VERSION = "5.7.1";

const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const EXE = process.platform === "win32" ? "kustomize.exe" : "kustomize";

export class RenderToolError extends Error {}

/**
 * Where the kustomize binary is: KUSTOMIZE_PATH, else the one `npm ci` installed under .tools/bin,
 * else `kustomize` on PATH. The version is checked on first use (see sandbox.ts).
 */
export function findKustomize(env: NodeJS.ProcessEnv = process.env): string {
  // Absolute: kustomize runs with the sandbox as its working directory.
  if (env.KUSTOMIZE_PATH) return resolve(env.KUSTOMIZE_PATH);
  const bundled = join(PACKAGE_ROOT, ".tools", "bin", EXE);
  if (existsSync(bundled)) return bundled;
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, EXE);
    if (dir && existsSync(candidate)) return candidate;
  }
  throw new RenderToolError(
    `kustomize v${KUSTOMIZE_VERSION} not found: run \`npm run install-kustomize\`, ` +
      `or set KUSTOMIZE_PATH to a kustomize v${KUSTOMIZE_VERSION} binary`,
  );
}

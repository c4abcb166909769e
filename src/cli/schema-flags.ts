import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import type { StagegateConfig } from "../config/types.js";
import { isKubernetesVersion, KUBERNETES_VERSIONS } from "../schema/kubernetes.js";
import { UsageError, type CliArgs } from "./args.js";

/**
 * kubeconform-style schema flags over the config: `--kubernetes-version X.Y` (turns the built-in schemas on),
 * `--crd FILE|DIR` (CustomResourceDefinitions whose kinds are validated), `--ignore-missing-schemas` (a kind
 * without a schema is not reported).
 */
export function applySchemaFlags(
  config: StagegateConfig,
  args: Pick<CliArgs, "kubernetesVersion" | "crd" | "ignoreMissingSchemas">,
  cwd: string,
  rel: (path: string) => string,
): void {
  const version = args.kubernetesVersion;
  if (version !== undefined) {
    if (!isKubernetesVersion(version)) {
      throw new UsageError(`--kubernetes-version ${version}: schemas exist for ${KUBERNETES_VERSIONS.join(", ")}`);
    }
    config.schemas.kubernetes.version = version;
    config.schemas.kubernetes.enabled = true;
  }
  for (const path of args.crd) {
    const abs = resolve(cwd, path);
    if (!existsSync(abs)) throw new UsageError(`--crd ${path}: no such file or directory`);
    const base = rel(abs);
    config.schemas.crds.push(
      statSync(abs).isDirectory() ? `${base === "." ? "" : `${base}/`}**/*.{yaml,yml,json}` : base,
    );
  }
  if (args.ignoreMissingSchemas) config.schemas.unknown_kinds = "skip";
}

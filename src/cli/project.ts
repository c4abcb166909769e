import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, isAbsolute, relative, resolve } from "node:path";
import { defaultConfigForPolicies, DEFAULT_CONFIG_FILE, parseConfig } from "../config/load.js";
import type { StagegateConfig } from "../config/types.js";
import type { RepoReader } from "../gate/sources.js";
import type { CliArgs } from "./args.js";
import { UsageError } from "./args.js";
import { cachedConfig, type ConfigCacheOptions } from "./config-cache.js";
import { diskReader, toPosix } from "./disk-reader.js";
import { applySchemaFlags } from "./schema-flags.js";

/** The repository the CLI works on: its root, its config (with command-line overrides) and a reader. */
export interface Project {
  root: string;
  config: StagegateConfig;
  reader: RepoReader;
  /** A config file was read; without one the CLI behaves like conftest (policies only, paths as given). */
  hasConfig: boolean;
  /** Makes a command-line path (relative to the cwd) repository-relative. */
  rel(path: string): string;
}

export function loadProject(args: CliArgs, cwd: string): Project {
  const explicit = args.config !== undefined;
  const configPath = resolve(cwd, args.config ?? DEFAULT_CONFIG_FILE);
  const hasConfig = existsSync(configPath);
  if (explicit && !hasConfig) throw new UsageError(`config file not found: ${args.config}`);
  // `.github/stagegate.yml` lives at the repository root; paths in it are relative to that root.
  // Without one, reported paths are relative to the git checkout's root (as code scanning and
  // workflow annotations resolve them), or to the working directory outside a checkout.
  const root =
    hasConfig && basename(dirname(configPath)) === ".github"
      ? dirname(dirname(configPath))
      : hasConfig
        ? cwd
        : (gitRoot(cwd) ?? cwd);
  const rel = (p: string) => toPosix(relative(root, isAbsolute(p) ? p : resolve(cwd, p))) || ".";
  for (const p of args.policy) {
    if (!existsSync(resolve(cwd, p))) throw new UsageError(`no such file or directory: ${p}`);
  }

  let config: StagegateConfig;
  if (hasConfig) {
    const text = readFileSync(configPath, "utf8");
    const file = rel(configPath);
    config = cachedConfig(["file", file, text], () => parseConfig(text, file), cacheOptions(args));
    if (args.policy.length) config.policies.paths = args.policy.map(rel);
    if (args.namespace.length) {
      config.policies.namespaces = [...args.namespace];
      for (const env of Object.values(config.environments)) env.namespaces = [...args.namespace];
    }
  } else {
    const defaults = {
      policyPaths: (args.policy.length ? args.policy : ["policy"]).map(rel),
      namespaces: [],
      environment: args.env,
    };
    config = cachedConfig(
      ["defaults", JSON.stringify(defaults)],
      () => defaultConfigForPolicies(defaults),
      cacheOptions(args),
    );
    // Set after validation: the config schema knows `*` globs only, conftest's `?` and `[…]` as well.
    if (args.namespace.length) {
      config.policies.namespaces = [...args.namespace];
      for (const env of Object.values(config.environments)) env.namespaces = [...args.namespace];
    }
    // As conftest: the policies alone; Kubernetes schemas and the size limits only when asked for.
    if (!args.schemas) {
      config.schemas.kubernetes.enabled = false;
      config.schemas.unknown_kinds = "skip";
      const { timeout_ms } = config.limits;
      for (const k of Object.keys(config.limits) as Array<keyof typeof config.limits>)
        config.limits[k] = Number.MAX_SAFE_INTEGER;
      config.limits.timeout_ms = timeout_ms;
    }
  }
  if (args.allNamespaces) {
    // conftest --all-namespaces: every package (Stagegate's own stay out, see matchNamespaces).
    config.policies.namespaces = ["*"];
    for (const env of Object.values(config.environments)) env.namespaces = ["*"];
  }
  // --data is loaded by the commands (check-data.ts): directories, and merge errors as conftest.
  applySchemaFlags(config, args, cwd, rel);
  return { root, config, reader: diskReader(root), rel, hasConfig };
}

function gitRoot(cwd: string): string | undefined {
  // node:child_process only here (loaded on first use): a run with a config file never needs it.
  const r = process.getBuiltinModule("node:child_process").spawnSync("git", ["rev-parse", "--show-toplevel"], {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : undefined;
}

/** `--no-cache` turns the config cache off too. */
const cacheOptions = (args: CliArgs): ConfigCacheOptions => (args.cache ? {} : { buildId: undefined });

/**
 * Validated configs kept across runs of the bundled CLI. Reading a small config — the YAML parser, loading the config
 * schema's validator, validating — was about a fifth of a small `stagegate check`; a config that has not changed is
 * read back as JSON instead. The key covers everything the result depends on: the config's text (or the command-line
 * options a default config is made from), the schema, and the build (a hash of the code and locked dependencies the
 * bundle was made from, scripts/bundle-cli.mjs). Unbundled runs (tests, `tsc` output) have no build id and always
 * validate. A config that fails validation is never kept: its errors are reported fresh every time.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { schemaText } from "../config/schema.js";
import type { StagegateConfig } from "../config/types.js";

declare const __STAGEGATE_BUILD__: string | undefined;
const BUILD = typeof __STAGEGATE_BUILD__ === "string" ? __STAGEGATE_BUILD__ : undefined;

export interface ConfigCacheOptions {
  /** The build's identity; default: the bundle's own (none when not bundled: no cache). */
  buildId?: string;
  /** Default: $XDG_CACHE_HOME/stagegate/config. */
  dir?: string;
}

export function defaultConfigCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || join(process.env.HOME || tmpdir(), ".cache");
  return join(base, "stagegate", "config");
}

/** `make()`'s config for `inputs`, from the cache when this build has made it before. */
export function cachedConfig(
  inputs: string[],
  make: () => StagegateConfig,
  options: ConfigCacheOptions = {},
): StagegateConfig {
  const buildId = "buildId" in options ? options.buildId : BUILD;
  if (!buildId) return make();
  const h = createHash("sha256").update(`${buildId}\0${schemaText.length}\0${schemaText}\0`);
  for (const part of inputs) h.update(`${part.length}\0${part}\0`);
  const dir = options.dir ?? defaultConfigCacheDir();
  const file = join(dir, `${h.digest("hex")}.json`);
  try {
    return JSON.parse(readFileSync(file, "utf8")) as StagegateConfig;
  } catch {
    // Not kept yet, or damaged: made afresh (and rewritten) below.
  }
  const config = make();
  const text = JSON.stringify(config);
  // Kept only when JSON gives back exactly the same config (no undefined fields, no special values).
  if (!isDeepStrictEqual(JSON.parse(text), config)) return config;
  try {
    mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch {
    // The cache only saves time: a read-only or full disk is not an error.
  }
  return config;
}

import picomatch from "picomatch";
import { parse as parseYaml } from "yaml";
import type { StagegateConfig } from "../config/types.js";
import { isRegoFile, isRegoTestFile, type PolicySource } from "../policy/sources.js";
import type { CustomSchemaInput } from "../schema/custom.js";

export type { CustomSchemaInput };

/**
 * Read access to the repository revision that holds config and policies: the
 * working directory for the CLI, the default branch on GitHub for the app.
 */
export interface RepoReader {
  /** The file's text, or undefined when it does not exist. */
  readFile(path: string): Promise<string | undefined>;
  /** Every file path under `dir` (recursive, repository-relative, `/`-separated). */
  listFiles(dir: string): Promise<string[]>;
}

/** What an engine is built from, besides the config: all of it read from one revision. */
export interface PolicyInputs {
  policies: PolicySource[];
  data: Record<string, unknown>;
  customSchemas: CustomSchemaInput[];
  /** The files `schemas.crds` names, as text (CustomResourceDefinitions). */
  crdFiles?: Array<{ source: string; text: string }>;
}

export class InputError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly line = 1,
  ) {
    super(message);
  }
}

/** Reads the policies, data files and custom schemas that the config names. */
export async function readPolicyInputs(config: StagegateConfig, reader: RepoReader): Promise<PolicyInputs> {
  const policies: PolicySource[] = [];
  for (const dir of config.policies.paths) {
    const files = (await reader.listFiles(dir)).filter((p) => isRegoFile(p) && !isRegoTestFile(p)).sort();
    for (const path of files) {
      const content = await reader.readFile(path);
      if (content !== undefined) policies.push({ path, content });
    }
  }
  const data: Record<string, unknown> = {};
  for (const path of await expandGlobs(reader, config.policies.data, "policies.data")) {
    const value = await readStructured(reader, path);
    if (Object.hasOwn(value, "stagegate")) {
      throw new InputError(`${path}: the top-level key "stagegate" is reserved for Stagegate's own data`, path);
    }
    mergeInto(data, value, path);
  }
  const customSchemas: CustomSchemaInput[] = [];
  for (const ref of config.schemas.custom) {
    const schema = await readStructured(reader, ref.schema);
    customSchemas.push({ source: ref.schema, schema, apiVersion: ref.apiVersion, kind: ref.kind, files: ref.files });
  }
  const crdFiles: Array<{ source: string; text: string }> = [];
  for (const path of await expandGlobs(reader, config.schemas.crds ?? [], "schemas.crds")) {
    const text = await reader.readFile(path);
    if (text === undefined) throw new InputError(`${path}: file not found (schemas.crds)`, path);
    crdFiles.push({ source: path, text });
  }
  return { policies, data, customSchemas, crdFiles };
}

/** The directory part of a glob before its first wildcard: where to list files from. */
export function staticPrefix(pattern: string): string {
  const parts = pattern.split("/");
  const i = parts.findIndex((p) => picomatch.scan(p).isGlob);
  return i < 0 ? pattern : parts.slice(0, i).join("/") || ".";
}

/** Data file entries are paths or globs (`policy/data/*.yaml`); globs expand to the matching files, sorted. */
async function expandGlobs(reader: RepoReader, patterns: string[], key: string): Promise<string[]> {
  const out: string[] = [];
  for (const pattern of patterns) {
    if (!picomatch.scan(pattern).isGlob) {
      out.push(pattern);
      continue;
    }
    const match = picomatch(pattern, { dot: true });
    const found = (await reader.listFiles(staticPrefix(pattern))).filter((p) => match(p)).sort();
    if (found.length === 0) throw new InputError(`${pattern}: no file matches (${key})`, ".github/stagegate.yml");
    out.push(...found);
  }
  return out;
}

async function readStructured(reader: RepoReader, path: string): Promise<Record<string, unknown>> {
  const text = await reader.readFile(path);
  if (text === undefined) throw new InputError(`${path}: file not found (named in the config)`, path);
  let value: unknown;
  try {
    value = path.endsWith(".json") ? JSON.parse(text) : parseYaml(text, { uniqueKeys: true });
  } catch (err) {
    throw new InputError(`${path}: ${(err as Error).message.split("\n")[0]}`, path);
  }
  if (!value || typeof value !== "object" || Array.isArray(value))
    throw new InputError(`${path}: must hold a JSON/YAML object`, path);
  return value as Record<string, unknown>;
}

/** conftest-style `--data`: objects merge, later files win on conflicting leaves. */
function mergeInto(target: Record<string, unknown>, source: Record<string, unknown>, file: string): void {
  for (const [k, v] of Object.entries(source)) {
    if (k === "__proto__") continue;
    const existing = target[k];
    if (isObject(existing) && isObject(v)) mergeInto(existing, v, file);
    else target[k] = v;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

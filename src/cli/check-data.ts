import { readFileSync, statSync } from "node:fs";
import { relative, resolve } from "node:path";
import { parseAllDocuments } from "yaml";
import type { PolicyInputs } from "../gate/sources.js";
import { regoV0ToV1 } from "../policy/rego-v0.js";
import { UsageError, type CliArgs } from "./args.js";
import { toPosix, walkFiles } from "./disk-reader.js";

const DATA_FILE = /\.(json|ya?ml)$/i;

/**
 * `--data` paths loaded as conftest (OPA's loader) loads them: a file's content at the root of `data`; under a
 * directory, every .json/.yaml/.yml file (others skipped), placed at its sub-directory's path (`dir/a/b.yaml` →
 * `data.a`); everything merged, and two files setting the same key to different non-objects are a merge error.
 */
export function loadDataPaths(paths: string[], cwd: string): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const p of paths) {
    const abs = resolve(cwd, p);
    const st = statSync(abs, { throwIfNoEntry: false });
    if (!st) throw new UsageError(`no such file or directory: ${p}`);
    const files = st.isFile() ? [abs] : walkFiles(abs, { hidden: true }).filter((f) => DATA_FILE.test(f));
    for (const file of files) {
      const shown = toPosix(relative(cwd, file)) || file;
      const prefix = st.isFile() ? [] : toPosix(relative(abs, file)).split("/").slice(0, -1);
      let value = readData(file, shown);
      if (value === undefined) continue; // an empty file
      for (const key of [...prefix].reverse()) value = { [key]: value };
      if (!isObject(value)) throw new UsageError(`${shown}: data must be an object at the root of data`);
      merge(data, value, shown, []);
    }
  }
  return data;
}

/** The command line's part of the policy inputs: `--data` merged in, Rego v0 policies read as v1. */
export async function applyPolicyFlags(
  inputs: PolicyInputs,
  args: Pick<CliArgs, "data" | "regoVersion">,
  cwd: string,
): Promise<void> {
  mergeData(inputs.data, loadDataPaths(args.data, cwd));
  if (args.regoVersion === "v0") inputs.policies = await regoV0ToV1(inputs.policies);
}

/** Adds `--data` to the data a config names, with the same merge rule. */
export function mergeData(into: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
  merge(into, extra, "--data", []);
  return into;
}

function readData(file: string, shown: string): unknown {
  const text = readFileSync(file, "utf8");
  try {
    if (/\.json$/i.test(file)) return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${shown}: ${(e as Error).message}`);
  }
  const docs = parseAllDocuments(text);
  const first = Array.isArray(docs) ? docs[0] : undefined;
  if (!first) return undefined;
  if (first.errors.length) throw new UsageError(`${shown}: ${first.errors[0].message.split("\n")[0]}`);
  return first.toJS() ?? undefined;
}

function merge(target: Record<string, unknown>, source: Record<string, unknown>, file: string, at: string[]): void {
  for (const [k, v] of Object.entries(source)) {
    if (k === "__proto__") continue;
    if (!Object.hasOwn(target, k)) {
      target[k] = v;
      continue;
    }
    const existing = target[k];
    if (isObject(existing) && isObject(v)) merge(existing, v, file, [...at, k]);
    else throw new UsageError(`${file}: merge error: data.${[...at, k].join(".")} is set by more than one data file`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

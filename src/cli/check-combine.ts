import { parseAllDocuments } from "yaml";
import { namespacesFor } from "../config/environments.js";
import type { Engine } from "../gate/engine.js";
import type { PolicyInputs } from "../gate/sources.js";
import type { Verdict } from "../gate/verdict.js";
import type { SourceFile } from "../manifests/parse.js";
import { matchNamespaces } from "../policy/inspect.js";
import { toFindings } from "../policy/results.js";
import { PolicyRunner } from "../policy/runner.js";
import type { ManifestDocument } from "../types.js";
import { UsageError } from "./args.js";

/** The file name conftest gives the combined input in its results. */
export const COMBINED = "Combined";

/**
 * conftest `--combine`: every document of every file as one input, `[{path, contents}, …]` sorted by path, evaluated
 * once by the policies (no schemas: the combined input is no manifest). Findings name the file `Combined`.
 */
export function checkCombined(
  engine: Engine,
  inputs: PolicyInputs,
  environment: string,
  files: SourceFile[],
  display: Map<string, string>,
  now: bigint,
): Verdict {
  const started = performance.now();
  const entries: Array<{ path: string; contents: unknown }> = [];
  for (const f of files) {
    const text = typeof f.content === "string" ? f.content : Buffer.from(f.content).toString("utf8");
    const path = display.get(f.path) ?? f.path;
    for (const doc of parseAllDocuments(text)) {
      if (doc.errors.length) throw new UsageError(`${path}: ${doc.errors[0].message.split("\n")[0]}`);
      const contents: unknown = doc.toJS();
      if (contents !== null && contents !== undefined) entries.push({ path, contents });
    }
  }
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  const config = engine.config;
  const compiled = engine.compiled;
  const env = engine.environment(environment);
  const namespaces = matchNamespaces(
    new Map(Object.entries(compiled.namespaces)),
    namespacesFor(config, env).namespaces,
  );
  const runner = new PolicyRunner(compiled, {
    data: { ...inputs.data, stagegate: { params: config.policies.params } },
  });
  runner.beginBatch(() => now);
  const [raw] = runner.evaluateFile([entries], namespaces, { environment, file: COMBINED });
  const location = { file: COMBINED, line: 1 };
  const doc: ManifestDocument = {
    file: COMBINED,
    index: 0,
    value: {},
    startLine: 1,
    endLine: 1,
    locate: () => location,
  };
  const { findings, exemptions } = toFindings(doc, raw, compiled.namespaces);
  return {
    environment,
    mode: env.mode,
    findings,
    exemptions,
    filesChecked: files.length,
    documentsChecked: entries.length,
    durationMs: Math.round((performance.now() - started) * 10) / 10,
  };
}

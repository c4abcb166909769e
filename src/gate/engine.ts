import { manifestFilesFor, namespacesFor } from "../config/environments.js";
import type { EnvironmentConfig, StagegateConfig } from "../config/types.js";
import { resolveLimits, type ManifestLimits } from "../manifests/limits.js";
import { parseManifests, type SourceFile } from "../manifests/parse.js";
import type { CompiledPolicy } from "../policy/compile.js";
import { matchNamespaces, PolicyError, type PolicyProblem, type RuleInfo } from "../policy/inspect.js";
import { toFindings } from "../policy/results.js";
import { EvaluationError, PolicyRunner } from "../policy/runner.js";
import { SchemaValidator } from "../schema/validator.js";
import type { ExemptedFinding, Finding } from "../types.js";
import type { PolicyInputs } from "./sources.js";
import { GATE_PREFIX, gateNamespacesFor, toGateResults } from "./gates.js";
import { compilePolicySet } from "./policy-set.js";
import type { PrInput } from "./pr-input.js";
import type { GateResult, Verdict } from "./verdict.js";

export interface EngineOptions {
  /** On-disk cache for compiled policies; `false` disables it. */
  cacheDir?: string | false;
}

export interface CheckOptions {
  /** Clock for `time.now_ns`, in nanoseconds; default the real clock. */
  now?: () => bigint;
}

/**
 * Everything needed to judge changed manifests for any environment of one
 * config revision: compiled policies, one policy instance, schema validators.
 * Build it once per revision and call `check` per environment — `check` is a
 * pure function of (config, policies, files, now) apart from timing.
 */
export class Engine {
  private constructor(
    readonly config: StagegateConfig,
    readonly compiled: CompiledPolicy,
    private readonly runner: PolicyRunner,
    private readonly schemas: SchemaValidator,
  ) {}

  static async create(config: StagegateConfig, inputs: PolicyInputs, options: EngineOptions = {}): Promise<Engine> {
    const compiled = await compilePolicySet(config, inputs.policies, { cacheDir: options.cacheDir });
    if (inputs.policies.length > 0) assertNamespacesMatch(config, compiled);
    const data = { ...inputs.data, stagegate: { params: config.policies.params } };
    const runner = new PolicyRunner(compiled, { data });
    const schemas = new SchemaValidator({
      kubernetes: config.schemas.kubernetes,
      unknownKinds: config.schemas.unknown_kinds,
      custom: inputs.customSchemas,
    });
    return new Engine(config, compiled, runner, schemas);
  }

  environment(name: string): EnvironmentConfig {
    const env = this.config.environments[name];
    if (!env)
      throw new Error(`unknown environment "${name}" (known: ${Object.keys(this.config.environments).join(", ")})`);
    return env;
  }

  /** Where each rule is defined, by namespace.rule, for links in reports. */
  ruleSources(): Record<string, RuleInfo> {
    const out: Record<string, RuleInfo> = {};
    for (const [ns, rules] of Object.entries(this.compiled.namespaces))
      for (const r of rules) out[`${ns}.${r.name}`] = r;
    return out;
  }

  /** Judges the given files (the changed ones, at the revision that would land) for one environment. */
  check(environment: string, files: SourceFile[], options: CheckOptions = {}): Verdict {
    const started = performance.now();
    const env = this.environment(environment);
    const wanted = new Set(
      manifestFilesFor(
        env,
        files.map((f) => f.path),
      ),
    );
    const selected = files.filter((f) => wanted.has(f.path));
    const limits = this.limits();
    const findings: Finding[] = [];
    const exemptions: ExemptedFinding[] = [];

    if (selected.length > this.config.limits.max_files) {
      findings.push({
        ruleId: "limit/files",
        message: `${selected.length} manifest files changed; the limit is ${this.config.limits.max_files} (limits.max_files)`,
        severity: "failure",
        source: "limit",
        location: { file: selected[0].path, line: 1 },
      });
      return this.verdict(env, findings, exemptions, 0, 0, started);
    }

    const parsed = parseManifests(selected, limits);
    findings.push(...parsed.problems);
    const ns = namespacesFor(this.config, env);
    const namespaces = this.namespaces([...ns.namespaces, ...ns.library]);
    this.runner.beginBatch(options.now);
    let documents = 0;
    for (const file of parsed.files) {
      if (file.documents.length === 0) continue;
      documents += file.documents.length;
      for (const doc of file.documents) findings.push(...this.schemas.validate(doc));
      if (namespaces.length === 0) continue;
      try {
        const raw = this.runner.evaluateFile(
          file.documents.map((d) => d.value),
          namespaces,
          { environment: env.name, file: file.file },
        );
        file.documents.forEach((doc, i) => {
          const r = toFindings(doc, raw[i], this.compiled.namespaces);
          findings.push(...r.findings);
          exemptions.push(...r.exemptions);
        });
      } catch (err) {
        if (!(err instanceof EvaluationError)) throw err;
        // Fail closed for this file; the other files are still judged.
        findings.push({
          ruleId: "engine/evaluation-error",
          message: `policy evaluation failed for this file: ${err.message}`,
          severity: "failure",
          source: "engine",
          location: { file: file.file, line: file.documents[0].startLine },
        });
      }
    }
    return this.verdict(env, findings, exemptions, parsed.files.length, documents, started);
  }

  /** Evaluates the environment's PR-level gates against the pull request's facts. */
  checkGates(environment: string, input: PrInput, options: CheckOptions & { only?: string[] } = {}): GateResult[] {
    const env = this.environment(environment);
    const { builtin, custom } = gateNamespacesFor(env);
    let namespaces = [...builtin.filter((ns) => ns in this.compiled.namespaces), ...this.namespaces(custom)];
    if (options.only) namespaces = namespaces.filter((ns) => options.only!.some((g) => ns === GATE_PREFIX + g));
    this.runner.beginBatch(options.now);
    try {
      return toGateResults(this.runner.evaluatePr(input, namespaces), this.compiled.namespaces, namespaces);
    } catch (err) {
      if (!(err instanceof EvaluationError)) throw err;
      // Fail closed: a gate that cannot be evaluated has not passed.
      return [
        { gate: "evaluation", state: "failed", messages: [`PR-level policies could not be evaluated: ${err.message}`] },
      ];
    }
  }

  private namespaces(globs: string[]): string[] {
    const index = new Map(Object.entries(this.compiled.namespaces));
    return matchNamespaces(index, globs);
  }

  private limits(): ManifestLimits {
    const l = this.config.limits;
    return resolveLimits({
      maxFileBytes: l.max_file_bytes,
      maxDocumentsPerFile: l.max_documents_per_file,
      maxTotalDocuments: l.max_total_documents,
      maxDepth: l.max_depth,
      maxAliasCount: l.max_aliases,
    });
  }

  private verdict(
    env: EnvironmentConfig,
    findings: Finding[],
    exemptions: ExemptedFinding[],
    files: number,
    documents: number,
    started: number,
  ): Verdict {
    return {
      environment: env.name,
      mode: env.mode,
      findings: findings.sort(byLocation),
      exemptions: exemptions.sort(byLocation),
      filesChecked: files,
      documentsChecked: documents,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    };
  }
}

function byLocation(a: Finding, b: Finding): number {
  return (
    (a.location.file < b.location.file ? -1 : a.location.file > b.location.file ? 1 : 0) ||
    a.location.line - b.location.line ||
    (a.location.column ?? 0) - (b.location.column ?? 0) ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)
  );
}

/**
 * Fail closed when the repository has policies but an environment's
 * namespace glob matches none of their packages (a renamed package, a typo):
 * otherwise those policies would silently stop guarding it.
 */
function assertNamespacesMatch(config: StagegateConfig, compiled: CompiledPolicy): void {
  const index = new Map(Object.entries(compiled.namespaces));
  const problems: PolicyProblem[] = [];
  for (const env of Object.values(config.environments)) {
    for (const glob of namespacesFor(config, env).namespaces) {
      if (matchNamespaces(index, [glob]).length > 0) continue;
      problems.push({
        file: ".github/stagegate.yml",
        line: 1,
        column: 1,
        code: "stagegate_namespace_unmatched",
        message: `environment "${env.name}": namespace "${glob}" matches no Rego package under ${config.policies.paths.join(", ")}; fix the namespace or the package name`,
      });
    }
  }
  if (problems.length) throw new PolicyError(problems[0].message, problems);
}

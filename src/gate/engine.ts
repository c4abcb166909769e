import { monotonicMs } from "./clock.js";
import { manifestFilesFor, namespacesFor } from "../config/environments.js";
import type { EnvironmentConfig, StagegateConfig } from "../config/types.js";
import { resolveLimits, type ManifestLimits } from "../manifests/limits.js";
import { parseManifests, type ParsedFile, type SourceFile } from "../manifests/parse.js";
import type { CompiledPolicy } from "../policy/compile.js";
import { matchNamespaces, type RuleInfo } from "../policy/inspect.js";
import { toFindings } from "../policy/results.js";
import { EvaluationError, PolicyRunner } from "../policy/runner.js";
import { PolicySandbox, type SandboxOptions } from "../sandbox/policy-sandbox.js";
import type { FileOutcome } from "../sandbox/protocol.js";
import { SchemaValidator } from "../schema/validator.js";
import type { ExemptedFinding, Finding } from "../types.js";
import type { PolicyInputs } from "./sources.js";
import { GATE_PREFIX, gateNamespacesFor, toGateResults } from "./gates.js";
import { assertNamespacesMatch } from "./namespace-check.js";
import { judgeParsed } from "./judge-parsed.js";
import { compilePolicySet } from "./policy-set.js";
import type { PrInput } from "./pr-input.js";
import type { GateResult, Verdict } from "./verdict.js";

export interface EngineOptions {
  /** On-disk cache for compiled policies; `false` disables it. */
  cacheDir?: string | false;
  /** Budgets of the asynchronous (worker-thread) evaluations. */
  sandbox?: Omit<SandboxOptions, "data">;
}

export interface CheckOptions {
  /** Clock for `time.now_ns`, in nanoseconds; default the real clock. */
  now?: () => bigint;
}

/** A check's work once manifests are parsed and schema-validated: what remains is policy evaluation. */
interface Prepared {
  env: EnvironmentConfig;
  started: number;
  findings: Finding[];
  exemptions: ExemptedFinding[];
  files: ParsedFile[];
  namespaces: string[];
  documents: number;
  /** Parsed files, with documents or not. */
  filesParsed?: number;
}

/**
 * Everything needed to judge changed manifests for any environment of one
 * config revision: compiled policies, one policy instance, schema validators.
 * Build it once per revision and call `check` per environment — `check` is a
 * pure function of (config, policies, files, now) apart from timing.
 * `checkAsync` and `checkGatesAsync` evaluate the policies in a worker thread
 * under a wall-clock and memory budget (see PolicySandbox); `close` stops it.
 */
export class Engine {
  private sandbox?: PolicySandbox;

  private constructor(
    readonly config: StagegateConfig,
    readonly compiled: CompiledPolicy,
    private readonly runner: PolicyRunner,
    private readonly schemas: SchemaValidator,
    private readonly sandboxOptions: SandboxOptions,
  ) {}

  static async create(config: StagegateConfig, inputs: PolicyInputs, options: EngineOptions = {}): Promise<Engine> {
    const compiled = await compilePolicySet(config, inputs.policies, { cacheDir: options.cacheDir });
    return Engine.assemble(config, compiled, inputs, options);
  }

  /** An engine for policies already compiled (by `create` in another thread, for instance). */
  static assemble(
    config: StagegateConfig,
    compiled: CompiledPolicy,
    inputs: PolicyInputs,
    options: EngineOptions = {},
  ): Engine {
    assertNamespacesMatch(config, compiled, inputs.policies.length > 0);
    const data = { ...inputs.data, stagegate: { params: config.policies.params } };
    const runner = new PolicyRunner(compiled, { data });
    const schemas = new SchemaValidator({
      kubernetes: config.schemas.kubernetes,
      unknownKinds: config.schemas.unknown_kinds,
      custom: inputs.customSchemas,
      crdFiles: inputs.crdFiles,
    });
    return new Engine(config, compiled, runner, schemas, { ...options.sandbox, data });
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

  /** Judges documents parsed elsewhere (rendered objects located at their sources): all are the environment's. */
  checkParsed(environment: string, files: readonly ParsedFile[], options: CheckOptions = {}): Verdict {
    const env = this.environment(environment);
    const ns = namespacesFor(this.config, env);
    const namespaces = this.namespaces([...ns.namespaces, ...ns.library]);
    const parts = { compiled: this.compiled, runner: this.runner, schemas: this.schemas, namespaces };
    return judgeParsed(env, files, parts, options.now);
  }

  /** Judges the given files (the changed ones, at the revision that would land) for one environment. */
  check(environment: string, files: SourceFile[], options: CheckOptions = {}): Verdict {
    const p = this.prepare(environment, files);
    if (!p.namespaces.length) return this.finish(p, []);
    this.runner.beginBatch(options.now);
    const outcomes = p.files.map((file): FileOutcome => {
      try {
        return { raw: this.runner.evaluateFile(...this.job(p, file)) };
      } catch (err) {
        if (!(err instanceof EvaluationError)) throw err;
        return { error: err.message };
      }
    });
    return this.finish(p, outcomes);
  }

  /**
   * `check`, with the policies evaluated in a worker thread under the budgets: never blocks the event loop.
   * Rejects with BudgetError when the evaluation exceeds its wall-clock or memory budget.
   */
  async checkAsync(environment: string, files: SourceFile[], options: CheckOptions = {}): Promise<Verdict> {
    const p = this.prepare(environment, files);
    if (!p.namespaces.length || !p.files.length) return this.finish(p, []);
    const jobs = p.files.map((f) => {
      const [documents, , context] = this.job(p, f);
      return { documents, context };
    });
    return this.finish(p, await this.sandboxed().evaluateFiles(jobs, p.namespaces, options.now?.()));
  }

  /** Evaluates the environment's PR-level gates against the pull request's facts. */
  checkGates(environment: string, input: PrInput, options: CheckOptions & { only?: string[] } = {}): GateResult[] {
    const namespaces = this.gateNamespaces(environment, options.only);
    this.runner.beginBatch(options.now);
    try {
      return toGateResults(this.runner.evaluatePr(input, namespaces), this.compiled.namespaces, namespaces);
    } catch (err) {
      if (!(err instanceof EvaluationError)) throw err;
      return gateFailure(err);
    }
  }

  /** `checkGates` in the worker thread, under the budgets (BudgetError when exceeded). */
  async checkGatesAsync(
    environment: string,
    input: PrInput,
    options: CheckOptions & { only?: string[] } = {},
  ): Promise<GateResult[]> {
    const namespaces = this.gateNamespaces(environment, options.only);
    try {
      const raw = await this.sandboxed().evaluatePr(input, namespaces, options.now?.());
      return toGateResults(raw, this.compiled.namespaces, namespaces);
    } catch (err) {
      if (!(err instanceof EvaluationError)) throw err;
      return gateFailure(err);
    }
  }

  /** Stops the evaluation worker, if any (an idle one also stops by itself). */
  async close(): Promise<void> {
    await this.sandbox?.close();
  }

  private sandboxed(): PolicySandbox {
    return (this.sandbox ??= new PolicySandbox(this.compiled, this.sandboxOptions));
  }

  private gateNamespaces(environment: string, only: string[] | undefined): string[] {
    const { builtin, custom } = gateNamespacesFor(this.environment(environment));
    const namespaces = [...builtin.filter((ns) => ns in this.compiled.namespaces), ...this.namespaces(custom)];
    return only ? namespaces.filter((ns) => only.some((g) => ns === GATE_PREFIX + g)) : namespaces;
  }

  /** Selects, parses and schema-validates; the files left to evaluate have documents. */
  private prepare(environment: string, files: SourceFile[]): Prepared {
    const started = monotonicMs();
    const env = this.environment(environment);
    const wanted = new Set(
      manifestFilesFor(
        env,
        files.map((f) => f.path),
      ),
    );
    const selected = files.filter((f) => wanted.has(f.path));
    const p: Prepared = { env, started, findings: [], exemptions: [], files: [], namespaces: [], documents: 0 };
    if (selected.length > this.config.limits.max_files) {
      p.findings.push({
        ruleId: "limit/files",
        message:
          `${selected.length} manifest files changed; ` +
          `the limit is ${this.config.limits.max_files} (limits.max_files)`,
        severity: "failure",
        source: "limit",
        location: { file: selected[0].path, line: 1 },
      });
      return p;
    }
    const parsed = parseManifests(selected, this.limits());
    p.findings.push(...parsed.problems);
    const ns = namespacesFor(this.config, env);
    p.namespaces = this.namespaces([...ns.namespaces, ...ns.library]);
    p.files = parsed.files.filter((f) => f.documents.length > 0);
    for (const file of p.files) {
      p.documents += file.documents.length;
      for (const doc of file.documents) p.findings.push(...this.schemas.validate(doc));
    }
    p.filesParsed = parsed.files.length;
    return p;
  }

  private job(p: Prepared, file: ParsedFile): [unknown[], string[], { environment: string; file: string }] {
    return [file.documents.map((d) => d.value), p.namespaces, { environment: p.env.name, file: file.file }];
  }

  /** Turns each file's evaluation outcome (in `p.files` order) into findings, and the verdict. */
  private finish(p: Prepared, outcomes: FileOutcome[]): Verdict {
    outcomes.forEach((outcome, i) => {
      const file = p.files[i];
      if ("error" in outcome) {
        // Fail closed for this file; the other files are still judged.
        p.findings.push({
          ruleId: "engine/evaluation-error",
          message: `policy evaluation failed for this file: ${outcome.error}`,
          severity: "failure",
          source: "engine",
          location: { file: file.file, line: file.documents[0].startLine },
        });
        return;
      }
      file.documents.forEach((doc, j) => {
        const r = toFindings(doc, outcome.raw[j], this.compiled.namespaces);
        p.findings.push(...r.findings);
        p.exemptions.push(...r.exemptions);
      });
    });
    return {
      environment: p.env.name,
      mode: p.env.mode,
      findings: p.findings.sort(byLocation),
      exemptions: p.exemptions.sort(byLocation),
      filesChecked: p.filesParsed ?? 0,
      documentsChecked: p.documents,
      durationMs: Math.round((monotonicMs() - p.started) * 10) / 10,
    };
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
}

/** The order of findings in a verdict: file, line, column, rule. */
export function byLocation(a: Finding, b: Finding): number {
  return (
    (a.location.file < b.location.file ? -1 : a.location.file > b.location.file ? 1 : 0) ||
    a.location.line - b.location.line ||
    (a.location.column ?? 0) - (b.location.column ?? 0) ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)
  );
}

/** Fail closed: a gate that cannot be evaluated has not passed. */
function gateFailure(err: Error): GateResult[] {
  return [
    { gate: "evaluation", state: "failed", messages: [`PR-level policies could not be evaluated: ${err.message}`] },
  ];
}

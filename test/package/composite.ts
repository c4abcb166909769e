/**
 * Runs a composite action's steps as the runner does, so that the tests run action.yml's own shell: inputs with
 * their defaults, `${{ }}` evaluated in `if:`, `env:`, `with:` and `working-directory:`, each `run:` through
 * `bash --noprofile --norc -eo pipefail` with GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_ACTION_PATH and
 * RUNNER_TEMP, step outputs read back (`key=value` and `key<<DELIMITER` blocks), later steps skipped after a
 * failure unless their condition says otherwise. `uses:` steps are not run: they go to a handler given by the test.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { evaluate, interpolate, truthy, type Contexts } from "./expressions.js";

export interface ActionInput {
  description?: string;
  required?: boolean;
  default?: string;
}

export interface ActionStep {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  with?: Record<string, string>;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
  "working-directory"?: string;
}

export interface ActionDefinition {
  name: string;
  description: string;
  inputs: Record<string, ActionInput>;
  outputs: Record<string, { description?: string; value: string }>;
  runs: { using: string; steps: ActionStep[] };
}

export interface StepResult {
  name: string;
  id?: string;
  /** skipped: its condition was false. */
  outcome: "success" | "failure" | "skipped";
  uses?: string;
  with?: Record<string, string>;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
}

export interface CompositeRun {
  failed: boolean;
  steps: StepResult[];
  outputs: Record<string, string>;
  /** The job summary the steps wrote. */
  summary: string;
  step(id: string): StepResult;
}

export interface RunOptions {
  actionPath: string;
  /** The `with:` of the workflow step. */
  inputs: Record<string, string>;
  /** The github context (event, sha, workspace…); action_path is added. */
  github: Record<string, unknown>;
  /** Where relative working directories resolve: the workspace. */
  workspace: string;
  env: NodeJS.ProcessEnv;
  /** Answers a `uses:` step; throwing fails it. */
  uses: (uses: string, withInputs: Record<string, string>) => Record<string, string> | void;
}

export function runComposite(action: ActionDefinition, opts: RunOptions): CompositeRun {
  const temp = mkdtempSync(join(opts.workspace, "..", "runner-temp-"));
  const inputs: Record<string, string> = {};
  const github = { ...opts.github, action_path: opts.actionPath, workspace: opts.workspace };
  const steps: Record<string, { outputs: Record<string, string>; outcome: string; conclusion: string }> = {};
  const contexts: Contexts = { github, inputs, steps, runner: { temp, os: "Linux" }, env: {} };
  for (const [name, spec] of Object.entries(action.inputs ?? {})) {
    const given = opts.inputs[name];
    if (given === undefined && spec.required) throw new Error(`input ${name} is required`);
    inputs[name] = given ?? interpolate(String(spec.default ?? ""), contexts);
  }
  for (const name of Object.keys(opts.inputs))
    if (!(name in inputs)) throw new Error(`unexpected input ${name}: the action declares no such input`);

  let failed = false;
  const status = { success: () => !failed, failure: () => failed, always: () => true, cancelled: () => false };
  const results: StepResult[] = [];
  let summary = "";
  action.runs.steps.forEach((step, n) => {
    const name = step.name ?? step.uses ?? `step ${n + 1}`;
    const condition = (step.if ?? "").replace(/^\s*\$\{\{([\s\S]*)\}\}\s*$/, "$1").trim();
    const usesStatus = /\b(success|failure|always|cancelled)\(\)/.test(condition);
    const expr = condition ? (usesStatus ? condition : `success() && (${condition})`) : "success()";
    const result: StepResult = {
      name,
      id: step.id,
      uses: step.uses,
      outcome: "skipped",
      stdout: "",
      stderr: "",
      outputs: {},
    };
    results.push(result);
    if (truthy(evaluate(expr, contexts, status))) {
      const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, interpolate(v, contexts)]));
      if (step.uses) {
        result.with = Object.fromEntries(
          Object.entries(step.with ?? {}).map(([k, v]) => [k, interpolate(String(v), contexts)]),
        );
        try {
          result.outputs = opts.uses(step.uses, result.with) ?? {};
          result.outcome = "success";
        } catch (err) {
          result.stderr = (err as Error).message;
          result.outcome = "failure";
        }
      } else {
        if (step.shell !== "bash") throw new Error(`${name}: only shell: bash is run here (got ${step.shell})`);
        const dir = mkdtempSync(join(temp, "step-"));
        const [outputFile, summaryFile, script] = ["output", "summary", "script.sh"].map((f) => join(dir, f));
        writeFileSync(outputFile, "");
        writeFileSync(summaryFile, "");
        writeFileSync(script, interpolate(step.run ?? "", contexts));
        const cwd = resolve(opts.workspace, interpolate(step["working-directory"] ?? ".", contexts));
        const r = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", script], {
          cwd,
          encoding: "utf8",
          maxBuffer: 64 * 1024 * 1024,
          env: {
            ...opts.env,
            ...env,
            GITHUB_OUTPUT: outputFile,
            GITHUB_STEP_SUMMARY: summaryFile,
            GITHUB_ACTION_PATH: opts.actionPath,
            GITHUB_WORKSPACE: opts.workspace,
            RUNNER_TEMP: temp,
          },
        });
        result.stdout = r.stdout ?? "";
        result.stderr = r.stderr ?? "";
        result.outcome = r.status === 0 ? "success" : "failure";
        result.outputs = parseOutputs(readFileSync(outputFile, "utf8"));
        summary += readFileSync(summaryFile, "utf8");
      }
      if (result.outcome === "failure") failed = true;
    }
    if (step.id) steps[step.id] = { outputs: result.outputs, outcome: result.outcome, conclusion: result.outcome };
  });
  const outputs = Object.fromEntries(
    Object.entries(action.outputs ?? {}).map(([k, o]) => [k, interpolate(o.value, contexts)]),
  );
  return {
    failed,
    steps: results,
    outputs,
    summary,
    step(id) {
      const found = results.find((s) => s.id === id);
      if (!found) throw new Error(`no step ${id}`);
      return found;
    },
  };
}

/** The GITHUB_OUTPUT file format: `key=value` lines and `key<<DELIMITER` … `DELIMITER` blocks. */
export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2], i + 1);
      if (end < 0) throw new Error(`GITHUB_OUTPUT: ${heredoc[1]} has no closing ${heredoc[2]}`);
      out[heredoc[1]] = lines.slice(i + 1, end).join("\n");
      i = end;
      continue;
    }
    const eq = line.indexOf("=");
    if (eq < 0) throw new Error(`GITHUB_OUTPUT: cannot read ${JSON.stringify(line)}`);
    out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

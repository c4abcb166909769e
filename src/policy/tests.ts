import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parseCheckErrors } from "./compile.js";
import type { PolicyProblem } from "./inspect.js";
import type { PolicySource } from "./sources.js";
import { checkOpaVersion, runOpa, sandboxCapabilities } from "./toolchain.js";

export interface PolicyTestResult {
  file: string;
  line: number;
  /** Package without `data.`, e.g. `main`. */
  package: string;
  name: string;
  outcome: "pass" | "fail" | "error" | "skip";
  message?: string;
  durationMs: number;
}

export interface PolicyTestRun {
  results: PolicyTestResult[];
  /** Compile errors: when present, no test ran. */
  errors: PolicyProblem[];
}

interface OpaTestJson {
  location: { file: string; row: number };
  package: string;
  name: string;
  fail?: boolean;
  skip?: boolean;
  error?: { message?: string; code?: string };
  duration?: number;
  output?: string;
}

/**
 * Runs the policies' `*_test.rego` unit tests with `opa test` (OPA's own
 * evaluator, so every builtin is available to tests), after `opa check` so
 * that compile errors come back located.
 */
export async function runPolicyTests(
  sources: PolicySource[],
  data: Record<string, unknown> = {},
): Promise<PolicyTestRun> {
  await checkOpaVersion();
  const dir = mkdtempSync(join(tmpdir(), "stagegate-test-"));
  try {
    const files = sources.map((s) => {
      // As compile.ts: no path leaves the temporary directory.
      const rel = s.path
        .replace(/^stagegate:/, "stagegate/")
        .replace(/^\/+/, "")
        .replace(/\.\.(\/|$)/g, "__/");
      mkdirSync(dirname(join(dir, rel)), { recursive: true });
      writeFileSync(join(dir, rel), s.content);
      return rel;
    });
    const caps = await sandboxCapabilities();
    // Every command ends its options with `--`: file names come from the repository and may look like flags.
    const check = await runOpa(["check", "--format", "json", "--capabilities", caps, "--", ...files], { cwd: dir });
    if (check.code !== 0) return { results: [], errors: parseCheckErrors(check.stderr || check.stdout) };
    if (Object.keys(data).length) {
      writeFileSync(join(dir, "data.json"), JSON.stringify(data));
      files.push("data.json");
    }
    const r = await runOpa(["test", "--format", "json", "--capabilities", caps, "--timeout", "30s", "--", ...files], {
      cwd: dir,
    });
    let parsed: OpaTestJson[];
    try {
      parsed = JSON.parse(r.stdout || "[]") as OpaTestJson[];
    } catch {
      return {
        results: [],
        errors: [{ file: "(policies)", line: 1, column: 1, code: "opa-test", message: (r.stderr || r.stdout).trim() }],
      };
    }
    return {
      errors: [],
      results: parsed
        .map((t) => ({
          file: t.location.file.replace(/^stagegate\//, "stagegate:"),
          line: t.location.row,
          package: t.package.replace(/^data\./, ""),
          name: t.name,
          outcome: (t.skip ? "skip" : t.error ? "error" : t.fail ? "fail" : "pass") as PolicyTestResult["outcome"],
          // opa's JSON carries a test's print() output as base64 bytes.
          message:
            t.error?.message ??
            (t.fail
              ? (t.output ? Buffer.from(t.output, "base64").toString("utf8").trim() : "") || undefined
              : undefined),
          durationMs: Math.round((t.duration ?? 0) / 1e4) / 100,
        }))
        .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line)),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

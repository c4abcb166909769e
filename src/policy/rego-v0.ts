import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { PolicyError, type PolicyProblem } from "./problems.js";
import type { PolicySource } from "./sources.js";
import { checkOpaVersion, runOpa } from "./toolchain.js";

/** Rego syntax of a policy set: conftest's `--rego-version` (default v1). */
export type RegoVersion = "v0" | "v1";

/**
 * Rewrites Rego v0 modules as Rego v1 with OPA's own converter (`opa fmt --v0-compatible --v0-v1`, one process for
 * every module), so the rest of the pipeline — parsing, `opa check`, the wasm build, `opa test` — stays v1. The
 * rewrite keeps the meaning (`deny[msg] { … }` becomes `deny contains msg if { … }`, as OPA v0 read it) but not the
 * layout: rule lines in reports are the converted file's. Stagegate's own modules (`stagegate:`) are left alone.
 */
export async function regoV0ToV1(sources: PolicySource[]): Promise<PolicySource[]> {
  const user = sources.filter((s) => !s.path.startsWith("stagegate:"));
  if (user.length === 0) return sources;
  await checkOpaVersion();
  const dir = mkdtempSync(join(tmpdir(), "stagegate-v0-"));
  try {
    const files = user.map((s, i) => {
      // Numbered names: no path from a repository leaves the temporary directory or looks like an option.
      const rel = join(String(i), s.path.split("/").pop() ?? "policy.rego");
      mkdirSync(dirname(join(dir, rel)), { recursive: true });
      writeFileSync(join(dir, rel), renameDeprecated(s.content));
      return rel;
    });
    const r = await runOpa(["fmt", "--v0-compatible", "--v0-v1", "-w", "--", ...files], { cwd: dir });
    if (r.code !== 0) throw conversionError(r.stderr || r.stdout, files, user);
    const converted = new Map(user.map((s, i) => [s.path, readFileSync(join(dir, files[i]), "utf8")]));
    return sources.map((s) => ({ ...s, content: converted.get(s.path) ?? s.content }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `opa fmt` stops at the first module it cannot parse: `failed to format …: 1 error occurred: 3/a.rego:4: …`. */
function conversionError(text: string, files: string[], sources: PolicySource[]): PolicyError {
  const problems: PolicyProblem[] = [];
  for (const m of text.matchAll(/(\d+\/[^:\s]+):(\d+): (rego_[a-z_]+): ([^\n]*)/g)) {
    const i = files.indexOf(m[1]);
    problems.push({
      file: i >= 0 ? sources[i].path : m[1],
      line: Number(m[2]),
      column: 1,
      code: m[3],
      message: m[4],
    });
  }
  const first = problems[0];
  return new PolicyError(
    first
      ? `Rego v0 policy error: ${first.file}:${first.line}: ${first.message}`
      : `cannot read the policies as Rego v0: ${text.trim()}`,
    problems,
  );
}

/**
 * Rego v0 still allows builtins that v1 removed; the ones that are plain aliases of a current builtin are renamed
 * (`re_match` is `regex.match`, `net.cidr_overlap` is `net.cidr_contains`). Others (`any`, `all`, `set_diff`,
 * `cast_*`) stay, and `opa check` names them.
 */
function renameDeprecated(text: string): string {
  return text
    .replace(/(?<![\w.])re_match\s*\(/g, "regex.match(")
    .replace(/(?<![\w.])net\.cidr_overlap\s*\(/g, "net.cidr_contains(");
}

import type { ConfigProblem } from "../../config/load.js";
import type { CheckAnnotation, CheckConclusion, CheckOutput } from "../../github/types.js";
import type { PolicyProblem } from "../../policy/inspect.js";
import type { PolicyTestResult } from "../../policy/tests.js";
import type { ApprovalStatus } from "../../gate/policy-approval.js";
import type { EnvironmentImpact, ImpactEntry } from "./impact.js";

/** Everything the `stagegate / policy` check found, before it is rendered. */
export interface PolicyCheckResult {
  headSha: string;
  /** Default-branch revision whose rules (approvers, current policies) were applied. */
  baseSha: string;
  /** Policy files the pull request changes. */
  changed: string[];
  configProblems: ConfigProblem[];
  /** The pull request deletes the config file. */
  configRemoved: boolean;
  /** Compile problems (syntax, types, unsupported builtins) and unreadable data/schema files. */
  buildProblems: PolicyProblem[];
  /** Whether the build step ran and passed (false when the config was invalid). */
  built: boolean;
  tests: PolicyTestResult[];
  impact?: EnvironmentImpact[];
  /** Why there is no (complete) impact preview. */
  impactNote?: string;
  approval: ApprovalStatus;
}

const MAX_SUMMARY = 65_000;
const MAX_ROWS = 20;

/**
 * The check's conclusion and output: failure on build/config/test problems or a missing approval; the impact preview
 * only informs.
 */
export function renderPolicyCheck(r: PolicyCheckResult): { conclusion: CheckConclusion; output: CheckOutput } {
  const failedTests = r.tests.filter((t) => t.outcome === "fail" || t.outcome === "error");
  const broken = r.configProblems.length + r.buildProblems.length + failedTests.length;
  const conclusion: CheckConclusion =
    broken === 0 && (r.built || r.configRemoved) && r.approval.approved ? "success" : "failure";

  const needs: string[] = [];
  if (r.configProblems.length) needs.push(`fix ${r.configProblems.length} config problem(s)`);
  if (r.buildProblems.length) needs.push(`fix ${r.buildProblems.length} policy build error(s)`);
  if (failedTests.length) needs.push(`fix ${failedTests.length} failing policy test(s)`);
  if (!r.approval.approved) needs.push(`approval by ${r.approval.approvers} on the current head`);
  const title =
    conclusion === "success"
      ? `Policy change builds, tests pass, approved by ${r.approval.approvedBy.join(", ")}`
      : `Policy change blocked: ${needs.join("; ")}`;

  const parts: string[] = [];
  parts.push(
    conclusion === "success"
      ? `**Ready to merge.** The proposed policies build and their tests pass, and a policy approver ` +
          `approved \`${r.headSha.slice(0, 7)}\`.`
      : `**Still needed:**\n${needs.map((n) => `- ${n}`).join("\n")}`,
  );
  parts.push(`Changed policy files: ${r.changed.map((p) => `\`${p}\``).join(", ") || "(none)"}`);
  parts.push(`### Build\n${buildSection(r)}`);
  parts.push(`### Tests\n${testSection(r.tests, r.built)}`);
  parts.push(`### Impact preview\n${impactSection(r)}`);
  parts.push(`### Approval\n${approvalSection(r)}`);
  parts.push(
    `Rules for this check (approvers, current policies) come from the default branch at ` +
      `\`${r.baseSha.slice(0, 7)}\`, never from this pull request.`,
  );
  let summary = parts.join("\n\n");
  if (summary.length > MAX_SUMMARY) summary = `${summary.slice(0, MAX_SUMMARY)}\n\n… (summary truncated)`;

  return { conclusion, output: { title: title.slice(0, 255), summary, annotations: annotationsOf(r, failedTests) } };
}

function buildSection(r: PolicyCheckResult): string {
  if (r.configRemoved)
    return (
      "The pull request removes `.github/stagegate.yml`: Stagegate would stop gating this repository " +
      "(or fall back to the organization default)."
    );
  const lines: string[] = [];
  if (r.configProblems.length) {
    lines.push(`\`.github/stagegate.yml\` is invalid, so the policies were not built:`);
    for (const p of r.configProblems.slice(0, 50)) lines.push(`- \`${p.file}:${p.line}:${p.column}\` ${p.message}`);
  }
  if (r.buildProblems.length) {
    lines.push("The proposed policies do not build:");
    for (const p of r.buildProblems.slice(0, 50))
      lines.push(`- \`${p.file}:${p.line}:${p.column}\` ${p.code}: ${p.message}`);
  }
  if (lines.length === 0)
    lines.push(
      r.built
        ? "✅ The config is valid and the proposed policies compile to WebAssembly with supported builtins only."
        : "Not built.",
    );
  return lines.join("\n");
}

function testSection(tests: PolicyTestResult[], built: boolean): string {
  if (!built && tests.length === 0) return "Not run: the policies do not build.";
  if (tests.length === 0) return "No `*_test.rego` tests under the policy paths.";
  const failed = tests.filter((t) => t.outcome === "fail" || t.outcome === "error");
  const lines = [`${tests.length - failed.length} passed, ${failed.length} failed.`];
  for (const t of failed.slice(0, 50))
    lines.push(`- ❌ \`${t.file}:${t.line}\` ${t.package}.${t.name}${t.message ? ` — ${t.message}` : ""}`);
  return lines.join("\n");
}

function impactSection(r: PolicyCheckResult): string {
  if (!r.impact) return r.impactNote ?? "Not computed: the proposed policies do not build.";
  const lines = [
    "What merging would change on each environment's current content (documents × rules; informative, does " +
      "not fail this check):",
    "",
    "| Environment | Content | Files previewed | Newly failing | No longer failing |",
    "| --- | --- | --- | --- | --- |",
  ];
  for (const i of r.impact) {
    const content = i.sha ? `\`${i.ref}\` @ \`${i.sha.slice(0, 7)}\`` : (i.note ?? "—");
    const files = i.capped ? `${i.files} of ${i.totalFiles} ⚠️ capped` : String(i.files);
    lines.push(`| ${i.environment} | ${content} | ${files} | ${i.newlyFailing.length} | ${i.noLongerFailing.length} |`);
  }
  if (r.impactNote) lines.push("", r.impactNote);
  for (const i of r.impact) {
    if (i.capped)
      lines.push(
        "",
        `⚠️ **${i.environment}**: ${i.totalFiles} manifest files; only the first ${i.files} (by path) were previewed.`,
      );
    if (i.note && i.sha) lines.push("", `**${i.environment}**: ${i.note}`);
    if (i.newlyFailing.length) lines.push("", `**${i.environment}: newly failing**`, ...entries(i.newlyFailing));
    if (i.noLongerFailing.length)
      lines.push("", `**${i.environment}: no longer failing**`, ...entries(i.noLongerFailing));
  }
  return lines.join("\n");
}

function entries(list: ImpactEntry[]): string[] {
  const out = list
    .slice(0, MAX_ROWS)
    .map(
      (e) =>
        `- \`${e.file}:${e.line}\`${e.documentIndex >= 0 ? ` (document ${e.documentIndex + 1})` : ""} \`${e.ruleId}\`: ${oneLine(e.message)}`,
    );
  if (list.length > MAX_ROWS) out.push(`- … and ${list.length - MAX_ROWS} more`);
  return out;
}

function approvalSection(r: PolicyCheckResult): string {
  const a = r.approval;
  const lines = [
    a.approved
      ? `✅ Approved on the current head by ${a.approvedBy.map((u) => `@${u}`).join(", ")}.`
      : `⏳ Needs an approving review of the current head \`${r.headSha.slice(0, 7)}\` by ${a.approvers} ` +
        `(not the author).`,
  ];
  for (const i of a.ignored) lines.push(`- @${i.user}'s approval does not count: ${i.reason}.`);
  return lines.join("\n");
}

function annotationsOf(r: PolicyCheckResult, failedTests: PolicyTestResult[]): CheckAnnotation[] {
  const out: CheckAnnotation[] = [];
  const inRepo = (file: string) =>
    file !== "" && !file.startsWith("stagegate:") && !file.startsWith("(") && !file.includes(" ");
  for (const p of r.configProblems) {
    if (inRepo(p.file))
      out.push({
        path: p.file,
        start_line: p.line,
        end_line: p.line,
        annotation_level: "failure",
        title: "Invalid Stagegate config",
        message: p.message,
      });
  }
  for (const p of r.buildProblems) {
    if (!inRepo(p.file)) continue;
    const title = p.code.startsWith("unsupported-builtin:") ? "Unsupported builtin" : "Policy build error";
    out.push({
      path: p.file,
      start_line: p.line,
      end_line: p.line,
      annotation_level: "failure",
      title,
      message: `${p.code}: ${p.message}`,
    });
  }
  for (const t of failedTests) {
    if (!inRepo(t.file)) continue;
    out.push({
      path: t.file,
      start_line: t.line,
      end_line: t.line,
      annotation_level: "failure",
      title: `Policy test ${t.outcome === "error" ? "error" : "failed"}: ${t.package}.${t.name}`,
      message: t.message ?? `${t.name} failed`,
    });
  }
  return out.map((a) => ({ ...a, message: a.message.slice(0, 65_000) || "(no message)" }));
}

const oneLine = (s: string) => s.replace(/\s+/g, " ").slice(0, 300);

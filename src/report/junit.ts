import type { Verdict } from "../gate/verdict.js";
import type { ExemptedFinding, Finding } from "../types.js";
import type { ReportContext } from "./context.js";
import { formatLocation, normalizePath, plural } from "./location.js";
import { xmlAttr, xmlText } from "./xml.js";

/**
 * JUnit XML, laid out for what GitLab and Jenkins display:
 *
 * - `<testsuites name="stagegate">` → one `<testsuite>` per environment
 *   (properties: mode, policy revision, tool version).
 * - One `<testcase>` per (file, rule) with findings; `name` is the rule id,
 *   `classname` is `stagegate.<env>` (no dots from file names, which Jenkins
 *   would split into packages), `file` is the manifest path (GitLab links it).
 * - Failures → one `<failure type="<ruleId>" message="<first message>">`
 *   whose body lists every finding as `file:line:col: message`.
 * - Warnings only → a passing test case whose `<system-out>` lists them
 *   (both CI systems show it; marking them skipped would hide real issues).
 *   Warnings next to failures of the same rule and file join the failure body.
 * - Exemptions → a test case per (file, rule) with `<skipped message="exempted by …">`.
 * - An environment without findings has one passing test case, so its suite
 *   is never empty.
 *
 * Failures stay failures in warn and shadow mode: the report shows what was
 * found; whether it blocks is the exit code's and the check run's business.
 */
export function formatJunit(verdicts: Verdict[], ctx: ReportContext): string {
  const suites = verdicts.map((v) => suite(v, ctx));
  const totals = suites.reduce(
    (t, s) => ({ tests: t.tests + s.tests, failures: t.failures + s.failures, skipped: t.skipped + s.skipped }),
    { tests: 0, failures: 0, skipped: 0 },
  );
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="stagegate" tests="${totals.tests}" failures="${totals.failures}" errors="0" ` +
      `skipped="${totals.skipped}">`,
    ...suites.map((s) => s.xml),
    `</testsuites>`,
    "",
  ].join("\n");
}

interface Case {
  file: string;
  ruleId: string;
  findings: Array<Finding | ExemptedFinding>;
}

/** Groups findings by (file, rule id), in first-seen order. */
function groupCases(findings: Array<Finding | ExemptedFinding>): Case[] {
  const cases = new Map<string, Case>();
  for (const f of findings) {
    const file = normalizePath(f.location.file);
    const key = `${file}\u0000${f.ruleId}`;
    let c = cases.get(key);
    if (!c) cases.set(key, (c = { file, ruleId: f.ruleId, findings: [] }));
    c.findings.push(f);
  }
  return [...cases.values()];
}

function suite(v: Verdict, ctx: ReportContext): { xml: string; tests: number; failures: number; skipped: number } {
  const classname = `stagegate.${v.environment}`;
  const openCase = (c: { ruleId: string; file: string }) =>
    `    <testcase name="${xmlAttr(c.ruleId)}" classname="${xmlAttr(classname)}" file="${xmlAttr(c.file)}">`;
  const lines: string[] = [];
  let failures = 0;
  let tests = 0;
  for (const c of groupCases(v.findings)) {
    tests++;
    const failed = c.findings.filter((f) => f.severity === "failure");
    const open = openCase(c);
    const body = xmlText(c.findings.map(describe).join("\n"));
    if (failed.length > 0) {
      failures++;
      lines.push(
        open,
        `      <failure type="${xmlAttr(c.ruleId)}" message="${xmlAttr(failed[0].message)}">${body}</failure>`,
        `    </testcase>`,
      );
    } else {
      lines.push(open, `      <system-out>${body}</system-out>`, `    </testcase>`);
    }
  }
  const exemptionCases = groupCases(v.exemptions);
  for (const c of exemptionCases) {
    tests++;
    const by = [...new Set(c.findings.map((f) => (f as ExemptedFinding).exemptedBy))].join(", ");
    lines.push(
      openCase(c),
      `      <skipped message="${xmlAttr(`exempted by ${by}`)}"/>`,
      `      <system-out>${xmlText(c.findings.map(describe).join("\n"))}</system-out>`,
      `    </testcase>`,
    );
  }
  if (tests === 0) {
    tests = 1;
    const name = `all ${plural(v.documentsChecked, "document")} in ${plural(v.filesChecked, "file")} pass`;
    lines.push(`    <testcase name="${xmlAttr(name)}" classname="${xmlAttr(classname)}"/>`);
  }
  const props = [
    property("mode", v.mode),
    property("toolVersion", ctx.toolVersion),
    ...(ctx.policyRevision ? [property("policyRevision", ctx.policyRevision)] : []),
    property("documentsChecked", String(v.documentsChecked)),
    property("filesChecked", String(v.filesChecked)),
  ];
  const skipped = exemptionCases.length;
  const time = Number.isFinite(v.durationMs) && v.durationMs >= 0 ? (v.durationMs / 1000).toFixed(3) : "0";
  const xml = [
    `  <testsuite name="${xmlAttr(v.environment)}" tests="${tests}" failures="${failures}" errors="0" ` +
      `skipped="${skipped}" time="${time}">`,
    `    <properties>`,
    ...props,
    `    </properties>`,
    ...lines,
    `  </testsuite>`,
  ].join("\n");
  return { xml, tests, failures, skipped };
}

function property(name: string, value: string): string {
  return `      <property name="${xmlAttr(name)}" value="${xmlAttr(value)}"/>`;
}

function describe(f: Finding | ExemptedFinding): string {
  const level = "exemptedBy" in f ? "EXCEPTION" : f.severity === "failure" ? "FAIL" : "WARN";
  return `${level} ${formatLocation(f.location)}: ${f.message}`;
}

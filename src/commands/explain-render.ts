import type { RuleInfo } from "../policy/inspect.js";
import { STAGEGATE_INFORMATION_URI } from "../report/sarif.js";
import type { Finding } from "../types.js";
import type { Verdict } from "../gate/verdict.js";
import { splitComments } from "./split.js";

/** Where links point: the evaluated commit for manifests, the config revision for rules. */
export interface ExplainLinks {
  /** `https://github.com/owner/repo`, or the GHE host's. */
  repoUrl: string;
  /** Commit whose content was evaluated. */
  contentSha: string;
  /** Default branch's commit that config and policies were read from. */
  configSha: string;
  ruleSources: Record<string, RuleInfo>;
}

/** Built-in library rules live in Stagegate, not in the repository: link to their documentation. */
export const LIBRARY_DOCS = `${STAGEGATE_INFORMATION_URI}/blob/main/policies/README.md`;

/** The reply to `/gate explain [rule]`: one block per rule per environment, split to fit comments. Pure. */
export function renderExplain(
  verdicts: Verdict[],
  links: ExplainLinks,
  opts: { rule?: string; prefix: string },
): string[] {
  const blocks: string[] = [];
  let failing = 0;
  for (const v of verdicts) {
    const findings = v.findings.filter((f) => !opts.rule || matchesRule(f, opts.rule));
    const gates = opts.rule ? [] : (v.gates ?? []).filter((g) => g.state !== "passed");
    failing += findings.filter((f) => f.severity === "failure").length + gates.length;
    if (!findings.length && !gates.length) continue;
    blocks.push(
      `### \`stagegate / ${v.environment}\`${v.mode === "enforce" ? "" : ` (mode: ${v.mode}, does not block)`}`,
    );
    for (const g of gates)
      blocks.push(`**Gate \`${g.gate}\`** is ${g.state}:\n${g.messages.map((m) => `- ${escapeText(m)}`).join("\n")}`);
    for (const [ruleId, group] of groupByRule(findings)) blocks.push(ruleBlock(ruleId, group, links));
  }
  const scope = opts.rule ? ` for \`${escapeCode(opts.rule)}\`` : "";
  const header =
    `**Stagegate results${scope}** at ${links.contentSha.slice(0, 7)} (config and policies at ` +
    `${links.configSha.slice(0, 7)})`;
  if (blocks.length === 0) {
    const none = opts.rule
      ? `Nothing matches \`${escapeCode(opts.rule)}\` at this commit. Run \`${opts.prefix} explain\` for every result.`
      : "No failing rules or warnings at this commit.";
    return [`${header}\n\n${none}`];
  }
  const summary = failing ? `${failing} failing finding(s) or gate(s).` : "Warnings only; nothing blocks.";
  return splitComments(header, [summary, ...blocks], {
    more: "see the `stagegate / <env>` check runs for every annotation",
  });
}

function ruleBlock(ruleId: string, findings: Finding[], links: ExplainLinks): string {
  const first = findings[0];
  const level = first.severity === "failure" ? "fails" : "warns";
  const lines = [`**\`${escapeCode(ruleId)}\`** ${level} ${findings.length} time(s) · ${ruleSource(first, links)}`];
  for (const f of findings) {
    const where = `${f.location.file}:${f.location.line}`;
    lines.push(
      `- [\`${escapeCode(where)}\`](${fileLink(links, f.location.file, f.location.line)}): ${escapeText(f.message)}`,
    );
  }
  return lines.join("\n");
}

function ruleSource(f: Finding, links: ExplainLinks): string {
  if (f.source === "schema") return "JSON Schema validation";
  if (f.source !== "policy" || !f.namespace || !f.rule) return `${f.source} check`;
  const info = links.ruleSources[`${f.namespace}.${f.rule}`];
  if (!info) return `rule \`${escapeCode(`${f.namespace}.${f.rule}`)}\``;
  if (info.file.startsWith("stagegate:")) {
    return (
      `built-in library rule \`${escapeCode(info.file.slice("stagegate:".length))}:${info.line}\` ` +
      `([docs](${LIBRARY_DOCS}))`
    );
  }
  return `[rule source \`${escapeCode(info.file)}:${info.line}\`](${fileLink({ ...links, contentSha: links.configSha }, info.file, info.line)})`;
}

export function fileLink(links: Pick<ExplainLinks, "repoUrl" | "contentSha">, path: string, line: number): string {
  const encoded = path.split("/").map(encodeURIComponent).join("/");
  return `${links.repoUrl.replace(/\/+$/, "")}/blob/${links.contentSha}/${encoded}#L${line}`;
}

/** `main.deny_latest`, `deny_latest`, `acme/min-replicas` (a finding's id): case-insensitive. */
export function matchesRule(f: Finding, wanted: string): boolean {
  const w = wanted.toLowerCase();
  const names = [f.ruleId, f.rule, f.namespace && f.rule ? `${f.namespace}.${f.rule}` : undefined];
  return names.some((n) => n !== undefined && n.toLowerCase() === w);
}

function groupByRule(findings: Finding[]): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>();
  // Failures first, then warnings; within each, file order as the verdict sorted them.
  for (const f of [...findings].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === "failure" ? -1 : 1))) {
    const list = groups.get(f.ruleId) ?? [];
    list.push(f);
    groups.set(f.ruleId, list);
  }
  return groups;
}

/** Messages come from policies and manifests: keep them from pinging people or breaking the markdown. */
function escapeText(s: string): string {
  return s
    .replace(/\r?\n/g, " ")
    .replace(/@(?=\w)/g, "@\u200b")
    .replace(/<(?=[!/a-zA-Z])/g, "&lt;");
}

/** Inline code from policy output or file names: no backticks, newlines or HTML (no marker syntax can be echoed). */
function escapeCode(s: string): string {
  return s.replace(/`/g, "ˋ").replace(/\r?\n/g, " ").replace(/</g, "‹").replace(/>/g, "›");
}

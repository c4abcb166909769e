import type { BranchProtectionFacts, BranchRules, RequiredCheck } from "./protection-facts.js";

/**
 * `stagegate doctor`: does GitHub itself stop what Stagegate can only report
 * after the fact? Per environment branch: the Stagegate checks required from
 * this app, force pushes and deletions blocked, signed commits, linear
 * history, and who may bypass — each with the exact setting to change. Pure.
 */

export interface Finding {
  ok: boolean;
  /** What is judged, e.g. "force pushes blocked". */
  setting: string;
  /** What GitHub says now. */
  detail: string;
  /** The setting to change when not ok. */
  fix?: string;
}

export interface BranchAudit {
  branch: string;
  environments: string[];
  findings: Finding[];
}

const CLASSIC = (branch: string) => `Settings → Branches → the protection rule for \`${branch}\``;
const RULESET = "Settings → Rules → Rulesets";

/** `checks`: the check names branch protection should require; `appId`: this app, when known. */
export function auditBranch(facts: BranchProtectionFacts, checks: string[], appId?: number): Finding[] {
  const classic = typeof facts.classic === "object" ? facts.classic : null;
  const rs = facts.rulesets;
  const out: Finding[] = [];
  if (facts.classic === "unreadable") {
    out.push({
      ok: false,
      setting: "branch protection readable",
      detail: "GitHub refused to show the classic branch protection; the rest is judged from rulesets only",
      fix: "give the app (or the token) Administration: read on the repository",
    });
  }
  for (const name of checks)
    out.push(checkFinding(facts.branch, name, [...(classic?.checks ?? []), ...rs.checks], appId));
  const either = (f: (r: BranchRules) => boolean) => (classic !== null && f(classic)) || f(rs);
  const setting = (ok: boolean, what: string, detail: [string, string], classicFix: string, rulesetFix: string) =>
    out.push({
      ok,
      setting: what,
      detail: ok ? detail[0] : detail[1],
      ...(ok ? {} : { fix: `${CLASSIC(facts.branch)} → ${classicFix}; or ${RULESET} → ${rulesetFix}` }),
    });
  setting(
    either((r) => r.strictChecks),
    "checks pass on the latest branch head",
    ["required", "a pull request can merge with checks from an older base"],
    `check "Require branches to be up to date before merging"`,
    `"Require status checks to pass" → check "Require branches to be up to date before merging"`,
  );
  setting(
    either((r) => r.blocksForcePushes),
    "force pushes blocked",
    ["blocked", "anyone who can push may rewrite the history"],
    `uncheck "Allow force pushes"`,
    `a ruleset targeting \`${facts.branch}\` with "Block force pushes"`,
  );
  setting(
    either((r) => r.blocksDeletion),
    "deletion blocked",
    ["blocked", "the branch can be deleted"],
    `uncheck "Allow deletions"`,
    `a ruleset targeting \`${facts.branch}\` with "Restrict deletions"`,
  );
  setting(
    either((r) => r.signedCommits),
    "signed commits required",
    ["required", "unsigned commits are accepted"],
    `check "Require signed commits"`,
    `"Require signed commits"`,
  );
  setting(
    either((r) => r.linearHistory),
    "linear history required",
    ["required", "merge commits are accepted"],
    `check "Require linear history"`,
    `"Require linear history"`,
  );
  out.push(bypassFinding(facts));
  return out;
}

function checkFinding(branch: string, name: string, required: RequiredCheck[], appId?: number): Finding {
  const setting = `\`${name}\` required from Stagegate`;
  const fix =
    `${CLASSIC(branch)} → "Require status checks to pass before merging" → add \`${name}\` with Stagegate as its ` +
    `source; or ${RULESET} → "Require status checks to pass" → add \`${name}\` with Stagegate as its source`;
  const found = required.filter((c) => c.context === name);
  if (found.length === 0) return { ok: false, setting, detail: "not required", fix };
  if (found.some((c) => c.appId !== null && (appId === undefined || c.appId === appId)))
    return { ok: true, setting, detail: appId === undefined ? "required (source app not checked)" : "required" };
  const other = found.find((c) => c.appId !== null);
  return {
    ok: false,
    setting,
    detail: other
      ? `required from another app (id ${other.appId})`
      : "required from any source: another app or a commit status of that name satisfies it",
    fix,
  };
}

function bypassFinding(facts: BranchProtectionFacts): Finding {
  const who: string[] = [];
  const fixes: string[] = [];
  const classic = typeof facts.classic === "object" ? facts.classic : null;
  if (classic && !classic.enforceAdmins) {
    who.push("repository administrators (branch protection)");
    fixes.push(`${CLASSIC(facts.branch)} → check "Do not allow bypassing the above settings"`);
  }
  if (classic?.pullRequestBypass.length) {
    who.push(`${classic.pullRequestBypass.join(", ")} (may skip required pull requests)`);
    fixes.push(`${CLASSIC(facts.branch)} → "Allow specified actors to bypass required pull requests" → remove them`);
  }
  for (const r of facts.rulesets.rulesets) {
    if (r.bypass === "hidden") who.push(`unknown for ruleset "${r.name}" (its bypass list is not visible)`);
    else if (r.bypass.length) {
      who.push(`${r.bypass.map((b) => `${b.who} (${b.mode})`).join(", ")} (ruleset "${r.name}")`);
      fixes.push(`${RULESET} → "${r.name}" → Bypass list → remove the entries`);
    }
  }
  const none = !classic && facts.rulesets.rulesets.length === 0;
  if (none)
    return { ok: false, setting: "who can bypass", detail: "no rule to bypass: anyone with write access pushes" };
  return who.length
    ? {
        ok: false,
        setting: "who can bypass",
        detail: who.join("; "),
        ...(fixes.length ? { fix: fixes.join("; ") } : {}),
      }
    : { ok: true, setting: "who can bypass", detail: "nobody" };
}

/** One line per finding, for the CLI. */
export function auditText(audits: BranchAudit[]): string {
  const lines: string[] = [];
  for (const a of audits) {
    lines.push(`${a.branch} (${a.environments.join(", ")}):`);
    for (const f of a.findings) {
      lines.push(`  ${f.ok ? "ok     " : "MISSING"} ${f.setting.replace(/`/g, "")}: ${f.detail}`);
      if (!f.ok && f.fix) lines.push(`          fix: ${f.fix.replace(/`/g, "")}`);
    }
  }
  const missing = audits.reduce((n, a) => n + a.findings.filter((f) => !f.ok).length, 0);
  lines.push(missing ? `${missing} setting(s) to change.` : "Every environment branch is protected.");
  return lines.join("\n");
}

const cell = (s: string) => s.replace(/\|/g, "\\|");

/** A Markdown report, for `/gate doctor`. */
export function auditMarkdown(audits: BranchAudit[]): string {
  const parts = audits.map((a) => {
    const rows = a.findings.map(
      (f) => `| ${f.ok ? "✅" : "❌"} | ${f.setting} | ${cell(f.detail)} | ${cell(f.fix ?? "")} |`,
    );
    return (
      `**\`${a.branch}\`** (${a.environments.map((e) => `\`${e}\``).join(", ")})\n\n` +
      `| | setting | now | change |\n|---|---|---|---|\n${rows.join("\n")}`
    );
  });
  const missing = audits.reduce((n, a) => n + a.findings.filter((f) => !f.ok).length, 0);
  const head = missing
    ? `Stagegate doctor: ${missing} setting(s) to change so GitHub blocks what Stagegate can only report.`
    : "Stagegate doctor: every environment branch is protected.";
  return `${head}\n\n${parts.join("\n\n")}`.slice(0, 60_000);
}

/** The protection audit's rules on plain facts: GitHub's JSON in, findings with the setting to change out. */
import { doctorTargets } from "../../src/gate/doctor-targets.js";
import { auditBranch, auditMarkdown } from "../../src/gate/protection-audit.js";
import { classicFrom, rulesetsFrom } from "../../src/gate/protection-facts.js";
import { parseConfig } from "../../src/config/load.js";

const none = rulesetsFrom([], new Map());
const byName = (fs: ReturnType<typeof auditBranch>) => Object.fromEntries(fs.map((f) => [f.setting, f.ok]));

test("classic protection JSON: legacy contexts have no source; absent force-push setting blocks", () => {
  const c = classicFrom({ required_status_checks: { strict: true, contexts: ["stagegate / production"] } });
  expect(c.checks).toEqual([{ context: "stagegate / production", appId: null }]);
  expect([c.strictChecks, c.blocksForcePushes, c.blocksDeletion, c.enforceAdmins]).toEqual([true, true, true, false]);
});

test("unreadable classic protection is itself a finding, and rulesets still count", () => {
  const rs = rulesetsFrom(
    [
      { type: "non_fast_forward", ruleset_id: 4 },
      { type: "deletion", ruleset_id: 4 },
    ],
    new Map(),
  );
  const findings = auditBranch({ branch: "production", classic: "unreadable", rulesets: rs }, [
    "stagegate / production",
  ]);
  expect(byName(findings)).toEqual({
    "branch protection readable": false,
    "`stagegate / production` required from Stagegate": false,
    "checks pass on the latest branch head": false,
    "force pushes blocked": true,
    "deletion blocked": true,
    "signed commits required": false,
    "linear history required": false,
    "who can bypass": false, // ruleset 4's bypass list is hidden from this token
  });
  expect(findings[0].fix).toBe("give the app (or the token) Administration: read on the repository");
});

test("a check required from another app does not count", () => {
  const classic = classicFrom({
    required_status_checks: { checks: [{ context: "stagegate / production", app_id: 9 }] },
  });
  const [check] = auditBranch({ branch: "production", classic, rulesets: none }, ["stagegate / production"], 123);
  expect(check).toMatchObject({ ok: false, detail: "required from another app (id 9)" });
  expect(auditMarkdown([{ branch: "production", environments: ["production"], findings: [check] }])).toContain(
    "| ❌ | `stagegate / production` required from Stagegate | required from another app (id 9) |",
  );
});

test("doctor targets: literal branches, the default branch for directories (with the policy check), globs apart", () => {
  const config = parseConfig(
    `version: 1
environments:
  staging: { paths: ["envs/staging/**"] }
  production: { paths: ["envs/production/**"] }
  release: { branches: ["release/*", hotfix] }
`,
    "stagegate.yml",
  );
  expect(doctorTargets(config, "main")).toEqual({
    targets: [
      {
        branch: "main",
        environments: ["staging", "production"],
        checks: ["stagegate / staging", "stagegate / policy", "stagegate / production"],
      },
      { branch: "hotfix", environments: ["release"], checks: ["stagegate / release"] },
    ],
    globs: ["release/* (release)"],
  });
  expect(doctorTargets(config, "main", "PRODUCTION").targets.map((t) => t.branch)).toEqual(["main"]);
});

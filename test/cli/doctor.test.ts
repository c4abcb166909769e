/**
 * `stagegate doctor` against the GitHub simulator's branch protection and rulesets endpoints (in-process, through
 * nock; every request validated against GitHub's OpenAPI description).
 */
import { mkdtempSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nock from "nock";
import { main } from "../../src/cli/main.js";
import { interceptGitHub } from "../support/sim/nock.js";
import { addRuleset, protectBranch } from "../support/sim/routes-protection.js";
import type { RepoState, SimState } from "../support/sim/state.js";

const CONFIG = `version: 1
environments:
  staging:
    branches: [staging]
  production:
    branches: [production]
  previews:
    branches: ["preview/*"]
`;

let sim: SimState;
let repo: RepoState;
let cwd: string;
const saved = { ...process.env };

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
beforeEach(() => {
  sim = interceptGitHub({ appId: 123 }).state;
  repo = sim.createRepo("acme/gitops", { files: { ".github/stagegate.yml": CONFIG } });
  repo.createBranch("staging", "main");
  repo.createBranch("production", "main");
  cwd = mkdtempSync(join(tmpdir(), "doctor-"));
  mkdirSync(join(cwd, ".github"));
  writeFileSync(join(cwd, ".github/stagegate.yml"), CONFIG);
  process.env.GITHUB_TOKEN = "ghs_test";
  delete process.env.GH_TOKEN;
  delete process.env.GITHUB_API_URL;
  delete process.env.STAGEGATE_APP_ID;
});
afterEach(() => {
  nock.cleanAll();
  expect(sim.violations).toEqual([]);
  process.env = { ...saved };
});

async function doctor(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(["doctor", ...argv], { out: (s) => out.push(s), err: (s) => err.push(s), cwd });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

test("a repository without protection: every missing setting, with the setting to change", async () => {
  const r = await doctor("acme/gitops", "-e", "production");
  expect(r.code).toBe(1);
  expect(r.out.split("\n").filter((l) => !l.includes("fix:"))).toEqual([
    "production (production):",
    "  MISSING stagegate / production required from Stagegate: not required",
    "  MISSING checks pass on the latest branch head: a pull request can merge with checks from an older base",
    "  MISSING force pushes blocked: anyone who can push may rewrite the history",
    "  MISSING deletion blocked: the branch can be deleted",
    "  MISSING signed commits required: unsigned commits are accepted",
    "  MISSING linear history required: merge commits are accepted",
    "  MISSING who can bypass: no rule to bypass: anyone with write access pushes",
    "7 setting(s) to change.",
  ]);
  expect(r.out).toContain(
    '          fix: Settings → Branches → the protection rule for production → uncheck "Allow force pushes"; ' +
      'or Settings → Rules → Rulesets → a ruleset targeting production with "Block force pushes"',
  );
  expect(sim.requests.map((q) => `${q.method} ${q.path}`)).toEqual([
    "GET /repos/acme/gitops",
    "GET /repos/acme/gitops/branches/production/protection",
    "GET /repos/acme/gitops/rules/branches/production?per_page=100",
  ]);
});

test("classic protection with everything, the checks from this app: protected", async () => {
  process.env.STAGEGATE_APP_ID = "123";
  for (const b of ["staging", "production"])
    protectBranch(repo, b, {
      checks: [{ context: `stagegate / ${b}`, app_id: 123 }],
      strict: true,
      enforceAdmins: true,
      signatures: true,
      linearHistory: true,
    });
  const r = await doctor("acme/gitops");
  expect(r.out).toContain("Every environment branch is protected.");
  expect(r.out).toContain("Not audited (branch globs name no branch to read): preview/* (previews)");
  expect(r.code).toBe(0);
});

test("a check any source can satisfy, admins who bypass, force pushes allowed", async () => {
  protectBranch(repo, "production", {
    checks: [{ context: "stagegate / production", app_id: null }],
    allowForcePushes: true,
  });
  const r = await doctor("acme/gitops", "--env", "production");
  expect(r.code).toBe(1);
  expect(r.out).toContain(
    "MISSING stagegate / production required from Stagegate: required from any source: another app or a commit " +
      "status of that name satisfies it",
  );
  expect(r.out).toContain("MISSING force pushes blocked");
  expect(r.out).toContain("MISSING who can bypass: repository administrators (branch protection)");
  expect(r.out).toContain("ok      deletion blocked: blocked");
});

test("a ruleset: its rules count, its bypass list is named", async () => {
  process.env.STAGEGATE_APP_ID = "123";
  addRuleset(repo, {
    name: "environments",
    include: ["refs/heads/production"],
    rules: [
      {
        type: "required_status_checks",
        parameters: {
          strict_required_status_checks_policy: true,
          required_status_checks: [{ context: "stagegate / production", integration_id: 123 }],
        },
      },
      { type: "non_fast_forward" },
      { type: "deletion" },
      { type: "required_signatures" },
      { type: "required_linear_history" },
    ],
    bypass: [{ actor_id: 5, actor_type: "RepositoryRole", bypass_mode: "always" }],
  });
  const r = await doctor("acme/gitops", "-e", "production");
  expect(r.out.split("\n").filter((l) => l.includes("MISSING"))).toEqual([
    '  MISSING who can bypass: RepositoryRole 5 (always) (ruleset "environments")',
  ]);
  expect(r.out).toContain('fix: Settings → Rules → Rulesets → "environments" → Bypass list → remove the entries');
  expect(r.code).toBe(1);
});

test("usage errors exit 2", async () => {
  delete process.env.GITHUB_TOKEN;
  expect((await doctor("acme/gitops")).code).toBe(2);
  process.env.GITHUB_TOKEN = "t";
  expect((await doctor("not a repo")).err).toContain("name the repository");
  expect((await doctor("acme/gitops", "-e", "nope")).code).toBe(2);
});

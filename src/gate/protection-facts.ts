/**
 * A branch's protection as `stagegate doctor` judges it, read from GitHub's
 * documented JSON (classic branch protection, the rules that apply to a
 * branch, rulesets' bypass lists). Pure: the app's gateway and the CLI fetch
 * the JSON, this turns it into plain facts.
 */

export interface RequiredCheck {
  context: string;
  /** The app that must report it; null: any source. */
  appId: number | null;
}

export interface BypassActor {
  /** `RepositoryRole 5`, `Team 12`, `Integration 123`, `OrganizationAdmin`, `DeployKey`… */
  who: string;
  mode: string;
}

/** The settings that matter, wherever they come from. */
export interface BranchRules {
  checks: RequiredCheck[];
  /** Checks must pass on the branch's latest commit (what was gated is what merges). */
  strictChecks: boolean;
  blocksForcePushes: boolean;
  blocksDeletion: boolean;
  signedCommits: boolean;
  linearHistory: boolean;
}

export interface ClassicProtection extends BranchRules {
  /** Admins are held to the rules too. */
  enforceAdmins: boolean;
  /** Who may bypass required pull requests (users, teams, apps). */
  pullRequestBypass: string[];
}

export interface RulesetRules extends BranchRules {
  rulesets: Array<{ id: number; name: string; source: string; bypass: BypassActor[] | "hidden" }>;
}

export interface BranchProtectionFacts {
  branch: string;
  /** null: no classic protection; "unreadable": GitHub refused (the token lacks Administration: read). */
  classic: ClassicProtection | null | "unreadable";
  rulesets: RulesetRules;
}

type Json = Record<string, unknown>;

/** What GitHub answered for one branch, as its documented JSON; the gateway and the CLI read it, `protectionFacts`
 * judges it. */
export interface RawBranchProtection {
  branch: string;
  /** GET …/branches/{branch}/protection; null on 404 (not protected), "unreadable" on 403. */
  classic: Json | null | "unreadable";
  /** GET …/rules/branches/{branch} */
  rules: Json[];
  /** GET …/rulesets/{id} of each ruleset the rules name (those GitHub showed). */
  rulesets: Map<number, Json>;
}

export function protectionFacts(raw: RawBranchProtection): BranchProtectionFacts {
  const classic = raw.classic === null || raw.classic === "unreadable" ? raw.classic : classicFrom(raw.classic);
  return { branch: raw.branch, classic, rulesets: rulesetsFrom(raw.rules, raw.rulesets) };
}

/** The ruleset ids that the rules for a branch name. */
export function rulesetIds(rules: Json[]): number[] {
  return [...new Set(rules.map((r) => Number(r.ruleset_id)).filter((n) => Number.isFinite(n)))];
}

const obj = (v: unknown): Json => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): Json[] => (Array.isArray(v) ? v.map(obj) : []);
const enabled = (v: unknown) => obj(v).enabled === true;
const num = (v: unknown) => (typeof v === "number" ? v : null);

/** GET /repos/{owner}/{repo}/branches/{branch}/protection */
export function classicFrom(json: Json): ClassicProtection {
  const rsc = obj(json.required_status_checks);
  const checks: RequiredCheck[] = Array.isArray(rsc.checks)
    ? arr(rsc.checks).map((c) => ({ context: String(c.context), appId: num(c.app_id) }))
    : (Array.isArray(rsc.contexts) ? rsc.contexts : []).map((c: unknown) => ({ context: String(c), appId: null }));
  const bypass = obj(obj(json.required_pull_request_reviews).bypass_pull_request_allowances);
  return {
    checks,
    strictChecks: rsc.strict === true,
    // Absent from the response means GitHub's default, which blocks both.
    blocksForcePushes: !enabled(json.allow_force_pushes),
    blocksDeletion: !enabled(json.allow_deletions),
    signedCommits: enabled(json.required_signatures),
    linearHistory: enabled(json.required_linear_history),
    enforceAdmins: enabled(json.enforce_admins),
    pullRequestBypass: [
      ...arr(bypass.users).map((u) => `@${String(u.login)}`),
      ...arr(bypass.teams).map((t) => `team ${String(t.slug)}`),
      ...arr(bypass.apps).map((a) => `app ${String(a.slug)}`),
    ],
  };
}

/**
 * GET /repos/{owner}/{repo}/rules/branches/{branch} (the active rules, each naming its ruleset) and, per ruleset,
 * GET /repos/{owner}/{repo}/rulesets/{id} (`bypass_actors`, returned only to who may edit the ruleset).
 */
export function rulesetsFrom(rules: Json[], rulesets: Map<number, Json>): RulesetRules {
  const of = (type: string) => rules.filter((r) => r.type === type);
  const params = (r: Json) => obj(r.parameters);
  const checkRules = of("required_status_checks");
  const ids = rulesetIds(rules);
  return {
    checks: checkRules.flatMap((r) =>
      arr(params(r).required_status_checks).map((c) => ({ context: String(c.context), appId: num(c.integration_id) })),
    ),
    strictChecks: checkRules.some((r) => params(r).strict_required_status_checks_policy === true),
    blocksForcePushes: of("non_fast_forward").length > 0,
    blocksDeletion: of("deletion").length > 0,
    signedCommits: of("required_signatures").length > 0,
    linearHistory: of("required_linear_history").length > 0,
    rulesets: ids.map((id) => {
      const rs = rulesets.get(id);
      const rule = rules.find((r) => Number(r.ruleset_id) === id);
      return {
        id,
        name: String(rs?.name ?? `ruleset ${id}`),
        source: String(rule?.ruleset_source ?? rs?.source ?? ""),
        bypass: Array.isArray(rs?.bypass_actors)
          ? arr(rs.bypass_actors).map((b) => ({
              who: [b.actor_type, b.actor_id].filter((x) => x !== null && x !== undefined).join(" "),
              mode: String(b.bypass_mode ?? "always"),
            }))
          : "hidden",
      };
    }),
  };
}

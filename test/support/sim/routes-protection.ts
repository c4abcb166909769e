/**
 * Branch protection (classic) and repository rulesets, read-only as the app and `stagegate doctor` use them:
 * GET .../branches/{branch}/protection (404 "Branch not protected" without a rule), GET .../rules/branches/{branch}
 * (the active rules of every ruleset targeting the branch) and GET .../rulesets/{id}. Tests set them up with
 * `protectBranch` and `addRuleset`.
 */
import picomatch from "picomatch";
import { HttpError, type RepoState } from "./state.js";
import { ok, paginate, repoOf, type RouteContext, type RouteTable } from "./routes.js";

/** Classic protection settings, compactly; omitted = GitHub's default for a new rule. */
export interface ProtectionSettings {
  checks?: Array<{ context: string; app_id?: number | null }>;
  strict?: boolean;
  enforceAdmins?: boolean;
  allowForcePushes?: boolean;
  allowDeletions?: boolean;
  signatures?: boolean;
  linearHistory?: boolean;
}

export interface RulesetSettings {
  name: string;
  /** `refs/heads/…` globs, `~DEFAULT_BRANCH` or `~ALL`. */
  include: string[];
  enforcement?: "active" | "evaluate" | "disabled";
  rules: Array<{ type: string; parameters?: Record<string, unknown> }>;
  bypass?: Array<{ actor_id: number | null; actor_type: string; bypass_mode: "always" | "pull_request" }>;
}

interface Protection {
  classic: Map<string, ProtectionSettings>;
  rulesets: Array<RulesetSettings & { id: number; createdAt: string }>;
}

const stores = new WeakMap<RepoState, Protection>();
function storeOf(repo: RepoState): Protection {
  let s = stores.get(repo);
  if (!s) stores.set(repo, (s = { classic: new Map(), rulesets: [] }));
  return s;
}

export function protectBranch(repo: RepoState, branch: string, settings: ProtectionSettings): void {
  storeOf(repo).classic.set(branch, settings);
}

export function addRuleset(repo: RepoState, ruleset: RulesetSettings): number {
  const id = repo.sim.nextId();
  storeOf(repo).rulesets.push({ ...ruleset, id, createdAt: repo.sim.now().toISOString() });
  return id;
}

function classicJson(repo: RepoState, branch: string, s: ProtectionSettings) {
  const url = `${repo.sim.url}/repos/${repo.fullName}/branches/${branch}/protection`;
  const flag = (path: string, enabled: boolean) => ({ url: `${url}/${path}`, enabled });
  return {
    url,
    ...(s.checks
      ? {
          required_status_checks: {
            url: `${url}/required_status_checks`,
            strict: s.strict ?? false,
            contexts: s.checks.map((c) => c.context),
            contexts_url: `${url}/required_status_checks/contexts`,
            checks: s.checks.map((c) => ({ context: c.context, app_id: c.app_id ?? null })),
          },
        }
      : {}),
    enforce_admins: flag("enforce_admins", s.enforceAdmins ?? false),
    required_signatures: flag("required_signatures", s.signatures ?? false),
    required_linear_history: { enabled: s.linearHistory ?? false },
    allow_force_pushes: { enabled: s.allowForcePushes ?? false },
    allow_deletions: { enabled: s.allowDeletions ?? false },
    block_creations: { enabled: false },
    required_conversation_resolution: { enabled: false },
    lock_branch: { enabled: false },
    allow_fork_syncing: { enabled: false },
  };
}

function targets(repo: RepoState, r: RulesetSettings, branch: string): boolean {
  return r.include.some((p) =>
    p === "~ALL"
      ? true
      : p === "~DEFAULT_BRANCH"
        ? branch === repo.defaultBranch
        : picomatch(p)(`refs/heads/${branch}`),
  );
}

function rulesetJson(repo: RepoState, r: Protection["rulesets"][number]) {
  return {
    id: r.id,
    name: r.name,
    target: "branch",
    source_type: "Repository",
    source: repo.fullName,
    enforcement: r.enforcement ?? "active",
    bypass_actors: r.bypass ?? [],
    current_user_can_bypass: "never",
    node_id: `RRS_${r.id}`,
    _links: { self: { href: `${repo.sim.url}/repos/${repo.fullName}/rulesets/${r.id}` } },
    conditions: { ref_name: { include: r.include, exclude: [] } },
    rules: r.rules,
    created_at: r.createdAt,
    updated_at: r.createdAt,
  };
}

function getProtection(ctx: RouteContext) {
  const repo = repoOf(ctx);
  const branch = ctx.params.branch;
  if (!repo.branches.has(branch)) throw new HttpError(404, "Branch not found");
  const s = storeOf(repo).classic.get(branch);
  if (!s) throw new HttpError(404, "Branch not protected");
  return ok(classicJson(repo, branch, s));
}

function branchRules(ctx: RouteContext) {
  const repo = repoOf(ctx);
  const branch = ctx.params.branch;
  const active = storeOf(repo).rulesets.filter(
    (r) => (r.enforcement ?? "active") === "active" && targets(repo, r, branch),
  );
  const rules = active.flatMap((r) =>
    r.rules.map((rule) => ({
      ...rule,
      ruleset_source_type: "Repository",
      ruleset_source: repo.fullName,
      ruleset_id: r.id,
    })),
  );
  return paginate(ctx, rules);
}

function getRuleset(ctx: RouteContext) {
  const repo = repoOf(ctx);
  const r = storeOf(repo).rulesets.find((x) => x.id === Number(ctx.params.ruleset_id));
  if (!r) throw new HttpError(404, "Not Found");
  return ok(rulesetJson(repo, r));
}

export const protectionRoutes: RouteTable = {
  "GET /repos/{owner}/{repo}/branches/{branch}/protection": getProtection,
  "GET /repos/{owner}/{repo}/rules/branches/{branch}": branchRules,
  "GET /repos/{owner}/{repo}/rulesets/{ruleset_id}": getRuleset,
  "GET /repos/{owner}/{repo}/rulesets": (ctx) => {
    const repo = repoOf(ctx);
    return paginate(
      ctx,
      storeOf(repo).rulesets.map((r) => rulesetJson(repo, r)),
    );
  },
};

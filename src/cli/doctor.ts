import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { DEFAULT_CONFIG_FILE, parseConfig } from "../config/load.js";
import { doctorTargets } from "../gate/doctor-targets.js";
import { auditBranch, auditText, type BranchAudit } from "../gate/protection-audit.js";
import { protectionFacts, rulesetIds, type RawBranchProtection } from "../gate/protection-facts.js";
import { UsageError, type CliArgs } from "./args.js";

type Json = Record<string, unknown>;

/**
 * `stagegate doctor [owner/repo]`: the branch protection audit of `/gate doctor`, from a checkout's config and a
 * token (GITHUB_TOKEN or GH_TOKEN; GITHUB_API_URL for GitHub Enterprise Server; STAGEGATE_APP_ID to check that the
 * required checks come from your Stagegate app). The CLI has no GitHub client of its own beyond these three reads
 * per branch, made with fetch; the rules are the app's (gate/protection-audit.ts). Exit 0: protected; 1: settings
 * to change; 2: usage or API errors.
 */
export async function doctorCommand(
  args: CliArgs,
  cwd: string,
  out: (s: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const repo = args.paths[0] ?? env.GITHUB_REPOSITORY;
  if (!repo || !/^[\w.-]+\/[\w.-]+$/.test(repo)) throw new UsageError("doctor: name the repository: owner/repo");
  const token = env.GITHUB_TOKEN ?? env.GH_TOKEN;
  if (!token) throw new UsageError("doctor: set GITHUB_TOKEN (or GH_TOKEN) to a token that can read the repository");
  const configPath = resolve(cwd, args.config ?? DEFAULT_CONFIG_FILE);
  if (!existsSync(configPath)) throw new UsageError(`config file not found: ${args.config ?? DEFAULT_CONFIG_FILE}`);
  const config = parseConfig(readFileSync(configPath, "utf8"), args.config ?? DEFAULT_CONFIG_FILE);
  const appId = env.STAGEGATE_APP_ID ? Number(env.STAGEGATE_APP_ID) : undefined;

  const api = new RestReader(env.GITHUB_API_URL ?? "https://api.github.com", token, repo);
  const defaultBranch = String((await api.get(""))?.default_branch ?? "main");
  const { targets, globs } = doctorTargets(config, defaultBranch, args.env);
  if (args.env && targets.length === 0 && globs.length === 0)
    throw new UsageError(`environment "${args.env}" is not in the config`);
  const audits: BranchAudit[] = [];
  for (const t of targets) {
    const findings = auditBranch(protectionFacts(await api.protection(t.branch)), t.checks, appId);
    audits.push({ branch: t.branch, environments: t.environments, findings });
  }
  out(auditText(audits));
  if (globs.length) out(`Not audited (branch globs name no branch to read): ${globs.join(", ")}`);
  return audits.some((a) => a.findings.some((f) => !f.ok)) ? 1 : 0;
}

class RestReader {
  constructor(
    private readonly base: string,
    private readonly token: string,
    private readonly repo: string,
  ) {}

  /** The JSON at /repos/{repo}{path}; undefined on 404, "forbidden" on 403, an error otherwise. */
  async get(path: string): Promise<Json | undefined>;
  async get(path: string, opts: { forbidden: true }): Promise<Json | Json[] | undefined | "forbidden">;
  async get(path: string, opts: { forbidden?: boolean } = {}): Promise<unknown> {
    const url = `${this.base.replace(/\/$/, "")}/repos/${this.repo}${path}`;
    const res = await fetch(url, {
      headers: {
        authorization: `Bearer ${this.token}`,
        accept: "application/vnd.github+json",
        "x-github-api-version": "2022-11-28",
        "user-agent": "stagegate-doctor",
      },
    });
    if (res.status === 404) return undefined;
    if (res.status === 403 && opts.forbidden) return "forbidden";
    if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${(await res.text()).slice(0, 200)}`);
    return res.json();
  }

  async protection(branch: string): Promise<RawBranchProtection> {
    const b = encodeURIComponent(branch);
    const classic = await this.get(`/branches/${b}/protection`, { forbidden: true });
    const listed = await this.get(`/rules/branches/${b}?per_page=100`, { forbidden: true });
    const rules = Array.isArray(listed) ? listed : [];
    const rulesets = new Map<number, Json>();
    for (const id of rulesetIds(rules)) {
      const rs = await this.get(`/rulesets/${id}`, { forbidden: true });
      if (rs && rs !== "forbidden" && !Array.isArray(rs)) rulesets.set(id, rs);
    }
    return {
      branch,
      classic: classic === "forbidden" ? "unreadable" : classic && !Array.isArray(classic) ? classic : null,
      rules,
      rulesets,
    };
  }
}

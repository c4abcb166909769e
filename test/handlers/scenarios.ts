/** Repositories the suites share: config and policies on main, a production branch, one PR into it. */
import { SimGitHub } from "../support/github.js";
import { BAD_WEB, BRANCH_CONFIG, configWith, DIRECTORY_CONFIG, GOOD_WEB, POLICY, README } from "./repo-content.js";

export const WEB = "envs/production/web.yaml";
export const PROD_CHECK = "stagegate / production";
export const STAGING_CHECK = "stagegate / staging";
export const CONFIG_CHECK = "stagegate / config";

export interface RepoOptions {
  /** Config on the default branch; undefined = no config at all. */
  config?: string | null;
  /** Extra or replaced files on main (policies…). */
  mainFiles?: Record<string, string>;
  /** Files the PR changes (null deletes), with their content at the head (and the test merge). */
  change?: Record<string, string | null>;
  /** The PR's head is in another repository, pushed by this user. */
  forkOwner?: string;
  /** The PR's base branch (production); its feature branch starts there. */
  base?: "main" | "production";
}

/** Opens PR `number` from `feature-<number>` (made from `from`, changed by `change`) into `base`. */
export function openPull(
  fx: SimGitHub,
  number: number,
  opts: { from: string; base: string; change: Record<string, string | null>; forkOwner?: string },
): { head: string; merge: string } {
  const branch = `feature-${number}`;
  fx.repository.createBranch(branch, opts.from);
  const head = fx.repository.commit(branch, opts.change, { author: opts.forkOwner ?? "alice" });
  const pr = fx.repository.openPullRequest({
    head: branch,
    base: opts.base,
    number,
    title: `PR ${number}`,
    author: opts.forkOwner ?? "alice",
    fork: opts.forkOwner !== undefined,
  });
  const merge = fx.repository.testMerge(pr as never).sha;
  if (!merge) throw new Error(`PR #${number} does not merge cleanly`);
  return { head, merge };
}

/**
 * main (config + policy), production (GOOD_WEB), staging (the same files, its own commit), and PR #7 from a
 * feature branch into production that changes `change` — by default nothing but a README. `fx.sha` names
 * main, prod, staging, head and merge.
 */
export function productionRepo(opts: RepoOptions = {}): SimGitHub {
  const main: Record<string, string> = { "policy/main.rego": POLICY, "README.md": README, ...opts.mainFiles };
  const config = opts.config === undefined ? BRANCH_CONFIG() : opts.config;
  if (config !== null) main[".github/stagegate.yml"] = config;
  const fx = new SimGitHub(main);
  const repo = fx.repository;
  fx.sha.main = repo.branchSha("main")!;
  repo.createBranch("production", "main");
  fx.sha.prod = repo.commit("production", { [WEB]: GOOD_WEB });
  repo.createBranch("staging", "production");
  fx.sha.staging = repo.commit("staging", {}, { message: "Promote to staging" });
  const pull = openPull(fx, 7, {
    from: opts.base ?? "production",
    base: opts.base ?? "production",
    change: opts.change ?? { "README.md": "# changed\n" },
    forkOwner: opts.forkOwner,
  });
  fx.sha.head = pull.head;
  fx.sha.merge = pull.merge;
  return fx;
}

/** The sample repository's layout: one branch, a directory per environment; PR #5 into main changes `change`. */
export function directoryRepo(change: Record<string, string | null>): SimGitHub {
  const fx = new SimGitHub({
    ".github/stagegate.yml": DIRECTORY_CONFIG,
    "policy/main.rego": POLICY,
    "README.md": README,
    [WEB]: GOOD_WEB,
  });
  fx.sha.main = fx.repository.branchSha("main")!;
  const pull = openPull(fx, 5, { from: "main", base: "main", change });
  fx.sha.head = pull.head;
  fx.sha.merge = pull.merge;
  return fx;
}

/** production is promoted from staging and waits for Argo CD to report staging healthy. */
export const PROMOTING_CONFIG = configWith(`  staging:
    branches: [staging]
  production:
    branches: [production]
    promote_from: staging
    gates:
      verified_by: ["argocd/staging"]
`);

/** PR #7 into production (violating), production promoted from staging with a verified_by gate. */
export const promotingRepo = (): SimGitHub => productionRepo({ config: PROMOTING_CONFIG, change: { [WEB]: BAD_WEB } });

/** The repository/sender/installation part of any payload. */
export function envelope(fx: SimGitHub) {
  return {
    repository: {
      id: fx.repository.id,
      name: fx.repo,
      full_name: fx.fullName,
      owner: { login: fx.owner, id: 2, type: "Organization" },
      default_branch: fx.defaultBranch,
      private: false,
    },
    sender: { login: "argocd", id: 9, type: "Bot" },
    installation: { id: fx.installationId },
  };
}

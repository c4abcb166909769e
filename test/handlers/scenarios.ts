/** Repositories the suites share: config and policies on main, a production branch, one PR into it. */
import { GitHubFixture, type PullSpec } from "./github-fixture.js";
import { BAD_WEB, BRANCH_CONFIG, configWith, DIRECTORY_CONFIG, GOOD_WEB, POLICY, README } from "./repo-content.js";

export const SHA = {
  main: "a1".repeat(20),
  prod: "b2".repeat(20),
  staging: "e5".repeat(20),
  head: "c3".repeat(20),
  merge: "d4".repeat(20),
  other: "f6".repeat(20),
} as const;

export const WEB = "envs/production/web.yaml";
export const PROD_CHECK = "stagegate / production";
export const STAGING_CHECK = "stagegate / staging";
export const CONFIG_CHECK = "stagegate / config";

export interface RepoOptions {
  /** Config on the default branch; undefined = no config at all. */
  config?: string | null;
  /** Extra or replaced files on main (policies…). */
  mainFiles?: Record<string, string>;
  /** Files the PR changes, with their content at the head (and the test merge). */
  change?: Record<string, string>;
  pull?: Partial<PullSpec>;
}

/**
 * main (config + policy), production (GOOD_WEB), and PR #7 from a feature
 * branch into production that changes `change` — by default nothing but a README.
 */
export function productionRepo(opts: RepoOptions = {}): GitHubFixture {
  const fx = new GitHubFixture();
  const main: Record<string, string> = { "policy/main.rego": POLICY, "README.md": README, ...opts.mainFiles };
  const config = opts.config === undefined ? BRANCH_CONFIG() : opts.config;
  if (config !== null) main[".github/stagegate.yml"] = config;
  fx.commit(SHA.main, main).branch("main", SHA.main);
  const prod = { ...main, [WEB]: GOOD_WEB };
  fx.commit(SHA.prod, prod).branch("production", SHA.prod);
  fx.commit(SHA.staging, prod).branch("staging", SHA.staging);
  const change = opts.change ?? { "README.md": "# changed\n" };
  const head = { ...prod, ...change };
  fx.commit(SHA.head, head).commit(SHA.merge, head);
  fx.pull({
    number: 7,
    baseRef: "production",
    headSha: SHA.head,
    mergeable: true,
    mergeCommitSha: SHA.merge,
    files: Object.keys(change),
    ...opts.pull,
  });
  return fx;
}

/** The sample repository's layout: one branch, a directory per environment; PR #5 into main changes `change`. */
export function directoryRepo(change: Record<string, string>): GitHubFixture {
  const fx = new GitHubFixture();
  const main = {
    ".github/stagegate.yml": DIRECTORY_CONFIG,
    "policy/main.rego": POLICY,
    "README.md": README,
    [WEB]: GOOD_WEB,
  };
  fx.commit(SHA.main, main).branch("main", SHA.main);
  const head = { ...main, ...change };
  fx.commit(SHA.head, head).commit(SHA.merge, head);
  fx.pull({ number: 5, baseRef: "main", headSha: SHA.head, mergeCommitSha: SHA.merge, files: Object.keys(change) });
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
export const promotingRepo = (): GitHubFixture =>
  productionRepo({ config: PROMOTING_CONFIG, change: { [WEB]: BAD_WEB } });

/** The repository/sender/installation part of any payload. */
export function envelope(fx: GitHubFixture) {
  return {
    repository: {
      id: 1,
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

import { ConfigError, DEFAULT_CONFIG_FILE, parseConfig } from "../../config/load.js";
import type { Principals, StagegateConfig } from "../../config/types.js";
import { Engine, type EngineOptions } from "../../gate/engine.js";
import { compilePolicySet, readPolicySources, testPolicySet } from "../../gate/policy-set.js";
import { InputError, readPolicyInputs, staticPrefix } from "../../gate/sources.js";
import { GitHubRepoReader } from "../../github/repo-reader.js";
import { isPolicyFile, POLICY_CHECK } from "../../config/targeting.js";
import { PolicyError } from "../../policy/inspect.js";
import { isRegoTestFile } from "../../policy/sources.js";
import { loadConfig, type ConfigState } from "../config-source.js";
import type { Deps, Trigger } from "../deps.js";
import { approvalStatus, approverCheck } from "../../gate/policy-approval.js";
import { latestReviews } from "../../gather/reviews.js";
import { MAX_PR_FILES } from "../../github/client.js";
import { GitHubPullFacts } from "../../github/pull-facts.js";
import { previewImpact } from "./impact.js";
import { renderPolicyCheck, type PolicyCheckResult } from "./summary.js";
import { CheckPublisher } from "../publish.js";

export { POLICY_CHECK };

export interface PolicyCheckOptions {
  /** Clock for policies' `time.now_ns` in the impact preview, nanoseconds; default the real clock. */
  now?: () => bigint;
  /** Budgets of the proposed policies' evaluation (default 10 s, 256 MiB): expiry fails the check. */
  budget?: EngineOptions["sandbox"];
}

/**
 * The `stagegate / policy` check for a pull request into the default branch
 * that changes the config, Rego, or the policy data and schema files. The
 * PR's own policies are read here only to judge them: compiled by opa and run
 * in the wasm sandbox, never used to gate another pull request. Who may
 * approve comes from the default branch. Returns whether a check was published.
 */
export async function runPolicyCheck(
  deps: Deps,
  number: number,
  trigger: Trigger,
  options: PolicyCheckOptions = {},
): Promise<boolean> {
  const { client } = deps;
  const pr = await client.pullRequest(number);
  if (pr.state !== "open") return false;
  const def = await client.defaultBranch();
  if (pr.baseRef !== def.name) return false;
  const { files, complete } = await client.pullRequestChanges(pr);
  const paths = [...new Set(files.flatMap((f) => (f.previousPath ? [f.path, f.previousPath] : [f.path])))];

  const cfg = await loadConfig(client);
  const current = cfg.kind === "ok" ? cfg.config : undefined;
  // A repository not using Stagegate gets this check only from the PR that adopts it.
  if (cfg.kind === "absent" && !paths.includes(DEFAULT_CONFIG_FILE)) return false;
  const changed = paths.filter((p) => isPolicyFile(p, current)).sort();

  const externalId = `${trigger.deliveryId}:${POLICY_CHECK}`;
  // The pipeline listed this commit's runs a moment ago for the same delivery; that listing serves here.
  const existing = await client.checks.list(pr.headSha, deps.appId, { reuse: true });
  if (existing.some((r) => r.externalId === externalId)) return false; // redelivery: already done
  const publisher = new CheckPublisher(client);
  if (!complete) {
    // The file list stops at 3,000 and the trees were too large to compare: a policy file may hide past the end.
    await publisher.post(POLICY_CHECK, pr.headSha, externalId, "failure", {
      title: `Cannot tell whether policy files changed: more than ${MAX_PR_FILES.toLocaleString("en")} files`,
      summary:
        `GitHub lists only the first ${MAX_PR_FILES.toLocaleString("en")} files of a pull request, and the ` +
        `repository's trees are too large to compare instead, so a policy change could not be ruled out. Split the ` +
        `pull request.`,
    });
    return true;
  }
  if (changed.length === 0) {
    // Green at once, so branch protection can require `stagegate / policy` on the default branch.
    await publisher.post(POLICY_CHECK, pr.headSha, externalId, "success", {
      title: "No policy files changed",
      summary:
        "This pull request changes neither `.github/stagegate.yml` nor any policy, data or schema file, so " +
        "there is no policy change to approve.",
    });
    return true;
  }
  const id = await publisher.start(POLICY_CHECK, pr.headSha, externalId);
  const log = {
    repository: `${client.repo.owner}/${client.repo.repo}`,
    pr: number,
    sha: pr.headSha,
    deliveryId: trigger.deliveryId,
    reason: trigger.reason,
  };

  try {
    const baseSha = cfg.kind === "absent" ? def.sha : cfg.sha;
    const result = await judge(
      deps,
      cfg,
      { number, headSha: pr.headSha, author: pr.author, baseSha, changed, defaultBranch: def },
      options,
    );
    const { conclusion, output } = renderPolicyCheck(result);
    await publisher.complete(id, conclusion, output);
    deps.log.info({ ...log, check: POLICY_CHECK, conclusion, approvedBy: result.approval.approvedBy }, "policy check");
  } catch (err) {
    deps.log.error({ ...log, err }, "policy check failed");
    const reason = err instanceof Error ? err.message : String(err);
    await publisher
      .fail(
        id,
        `Stagegate could not check this policy change: ${reason}`,
        `Stagegate failed closed: the policy check did not finish, so it fails rather than pass ` +
          `unverified.\n\n**Error:** ${reason}\n\nDelivery \`${trigger.deliveryId}\` (${trigger.reason}).`,
      )
      .catch((e: unknown) =>
        deps.log.error({ err: e, deliveryId: trigger.deliveryId }, "could not complete check run"),
      );
  }
  return true;
}

interface Subject {
  number: number;
  headSha: string;
  author: string;
  baseSha: string;
  changed: string[];
  defaultBranch: { name: string; sha: string };
}

async function judge(
  deps: Deps,
  cfg: ConfigState,
  s: Subject,
  options: PolicyCheckOptions,
): Promise<PolicyCheckResult> {
  const { client } = deps;
  const approvers: Principals = cfg.kind === "ok" ? cfg.config.policy.approvers : { users: [], teams: [] };
  // The same review reading as the approvals gate: the latest verdict per reviewer.
  const activity = await new GitHubPullFacts(client).pullActivity(s.number, {
    reviews: true,
    commits: false,
    teams: [],
  });
  const approval = await approvalStatus(
    latestReviews(activity.reviews ?? [], s.headSha),
    s.author,
    approvers,
    approverCheck(client.access, approvers),
  );
  const result: PolicyCheckResult = {
    headSha: s.headSha,
    baseSha: s.baseSha,
    changed: s.changed,
    configProblems: [],
    configRemoved: false,
    buildProblems: [],
    built: false,
    tests: [],
    approval,
  };

  const head = new GitHubRepoReader(client, s.headSha);
  const text = await head.readFile(DEFAULT_CONFIG_FILE);
  if (text === undefined) {
    result.configRemoved = true;
    result.impactNote = "No impact preview: the pull request removes the config.";
    return result;
  }
  let config: StagegateConfig;
  try {
    config = parseConfig(text, DEFAULT_CONFIG_FILE);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    result.configProblems = err.problems;
    return result;
  }

  // Build: compile exactly what the engine would (same code as `stagegate build`).
  await head.preload(config.policies.paths, (p) => p.endsWith(".rego"));
  await head.preload([...config.policies.data.map(staticPrefix), ...config.schemas.custom.map((c) => c.schema)], (p) =>
    /\.(json|ya?ml)$/i.test(p),
  );
  const all = await readPolicySources(config, head, "all");
  const policies = all.filter((p) => !isRegoTestFile(p.path));
  let engine: Engine | undefined;
  try {
    await compilePolicySet(config, policies);
    const inputs = await readPolicyInputs(config, head);
    engine = await Engine.create(config, inputs, { sandbox: options.budget });
    result.built = true;
  } catch (err) {
    if (err instanceof PolicyError)
      result.buildProblems = err.problems.length
        ? err.problems
        : [{ file: "(policies)", line: 1, column: 1, code: "build", message: err.message }];
    else if (err instanceof InputError)
      result.buildProblems = [{ file: err.file, line: err.line, column: 1, code: "input", message: err.message }];
    else throw err;
  }

  // Test: the proposed *_test.rego, with the data the policies will see (same code as `stagegate test`).
  if (all.some((p) => isRegoTestFile(p.path))) {
    const data = engine ? await readPolicyInputs(config, head).then((i) => i.data) : {};
    const run = await testPolicySet(config, all, { ...data, stagegate: { params: config.policies.params } });
    if (run.errors.length && result.built) result.buildProblems.push(...run.errors); // errors only in test files
    result.tests = run.results;
  }

  if (!engine) return result;
  let currentEngine: Engine | undefined;
  if (cfg.kind === "ok") {
    try {
      currentEngine = await deps.engines.get(
        `${client.repo.owner}/${client.repo.repo}`,
        cfg.sha,
        cfg.config,
        cfg.reader,
      );
    } catch (err) {
      result.impactNote = `The current policies could not be built (${err instanceof Error ? err.message.split("\n")[0] : String(err)}); every proposed failure is listed as new.`;
    }
  }
  const now = options.now?.() ?? BigInt(Date.now()) * 1_000_000n;
  try {
    result.impact = await previewImpact(client, s.defaultBranch, engine, currentEngine, now);
  } finally {
    await engine.close(); // the proposed engine's worker; the cached current engine's stops when idle
  }
  return result;
}

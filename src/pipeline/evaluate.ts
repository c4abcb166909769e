import type { Logger } from "probot";
import { manifestFilesFor } from "../config/environments.js";
import type { ConfigError } from "../config/load.js";
import type { EnvironmentConfig } from "../config/types.js";
import type { SourceFile } from "../manifests/parse.js";
import { COMPARE_FILE_CAP, MAX_PR_FILES, type GitHubClient } from "../github/client.js";
import { overrideFor } from "../commands/overrides.js";
import { isBlocking, type Verdict } from "../gate/verdict.js";
import type { Finding } from "../types.js";
import { freezeFacts, gatherPrInput } from "../github/facts.js";
import type { FreezeFacts, PrInput } from "../gate/pr-input.js";
import type { ChangedFile, CheckAnnotation, PullRequest } from "../github/types.js";
import { renderCheckRun } from "../report/check-run.js";
import { loadConfig, type ConfigState } from "./config-source.js";
import type { EngineCache } from "./engines.js";
import { Deadline } from "./deadline.js";
import { CheckPublisher } from "./publish.js";
import { checkName, CONFIG_CHECK, environmentsForPullRequest, gatesApply } from "./targets.js";

export interface Deps {
  client: GitHubClient;
  appId: number;
  log: Logger;
  engines: EngineCache;
  makeClient: (owner: string, repo: string) => GitHubClient;
}

/** Why an evaluation runs; the delivery id makes a redelivered event idempotent. */
export interface Trigger {
  deliveryId: string;
  reason: string;
}

/** What gets evaluated and where its checks go: a PR's head, or a merge group's. */
interface Subject {
  headSha: string;
  baseRef: string;
  /** Commit whose content is evaluated (the test merge commit when there is one). */
  contentSha: string;
  changed: string[];
  /** Every path the change affects: `changed` plus removed files and the old names of renamed ones. */
  touched: string[];
  /** GitHub lists at most this many changed files for the subject (3,000 for a PR, 300 for a compare). */
  listCap: number;
  note?: string;
  pr?: number;
  /** For pull requests: the facts PR-level gates and overrides are judged on. */
  pull?: { pr: PullRequest; files: ChangedFile[] };
}

/** Evaluates an open PR for every environment its base maps to and publishes the checks. */
export async function evaluatePullRequest(deps: Deps, number: number, trigger: Trigger): Promise<void> {
  const cfg = await loadConfig(deps.client, deps.makeClient);
  if (cfg.kind === "absent") {
    deps.log.debug({ pr: number }, "no .github/stagegate.yml: repository not using Stagegate");
    return;
  }
  let pr = await deps.client.pullRequest(number);
  if (pr.state !== "open") return;
  if (pr.mergeable === null) pr = await retryMergeable(deps.client, pr);
  const files = await deps.client.pullRequestFiles(number);
  const changed = files.filter((f) => f.status !== "removed").map((f) => f.path);
  // Deleting or moving an environment's files changes what it runs too: those paths count for targeting and gates.
  const touched = [...new Set(files.flatMap((f) => (f.previousPath ? [f.path, f.previousPath] : [f.path])))];
  const subject: Subject = {
    headSha: pr.headSha,
    baseRef: pr.baseRef,
    contentSha: pr.headSha,
    changed,
    touched,
    listCap: MAX_PR_FILES,
    pr: number,
    pull: { pr, files },
  };
  if (pr.mergeable && pr.mergeCommitSha) {
    subject.contentSha = pr.mergeCommitSha;
  } else if (pr.mergeable === false) {
    subject.note = await conflictNote(deps.client, pr, changed);
  } else {
    subject.note = "GitHub had not computed the test merge commit yet, so the head commit was evaluated.";
  }
  await evaluateSubject(deps, cfg, subject, trigger);
}

/** Evaluates a merge queue's group commit so required checks never stall the queue. */
export async function evaluateMergeGroup(
  deps: Deps,
  group: { headSha: string; baseSha: string; baseRef: string },
  trigger: Trigger,
): Promise<void> {
  const cfg = await loadConfig(deps.client, deps.makeClient);
  if (cfg.kind === "absent") return;
  const diff = await deps.client.compare(group.baseSha, group.headSha);
  const subject = {
    headSha: group.headSha,
    baseRef: group.baseRef,
    contentSha: group.headSha,
    changed: diff.files,
    touched: diff.files,
    listCap: COMPARE_FILE_CAP,
  };
  await evaluateSubject(deps, cfg, subject, trigger);
}

async function evaluateSubject(
  deps: Deps,
  cfg: Exclude<ConfigState, { kind: "absent" }>,
  subject: Subject,
  trigger: Trigger,
): Promise<void> {
  const publisher = new CheckPublisher(deps.client);
  const existing = await deps.client.checkRuns(subject.headSha, deps.appId);
  const seen = new Set(existing.map((r) => r.externalId));
  const externalId = (name: string) => `${trigger.deliveryId}:${name}`;

  if (cfg.kind === "invalid") {
    if (seen.has(externalId(CONFIG_CHECK))) return;
    const id = await publisher.start(CONFIG_CHECK, subject.headSha, externalId(CONFIG_CHECK));
    // The check is failing either way; if the detailed output cannot be written, a plain failure still completes it.
    await publishConfigError(publisher, id, cfg.error, cfg.sha).catch(() =>
      publisher.fail(
        id,
        "Invalid .github/stagegate.yml",
        cfg.error.problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}`).join("\n"),
      ),
    );
    deps.log.warn(
      { ...logFields(deps, subject, trigger), revision: cfg.sha, problems: cfg.error.problems.length },
      "invalid stagegate config",
    );
    return;
  }

  const defaultBranch = cfg.branch;
  const envs = environmentsForPullRequest(cfg.config, subject.baseRef, defaultBranch);
  // Idempotent: a redelivered event finds its own runs and does nothing more.
  const pending = envs.filter((env) => !seen.has(externalId(checkName(env.name))));
  if (pending.length === 0) return;
  // Environments this change does not touch (no manifests, no gates): green at once, in one request.
  const untouched = pending.filter(
    (env) => manifestFilesFor(env, subject.touched).length === 0 && !(subject.pull && gatesApply(env, subject.touched)),
  );
  for (const env of untouched) {
    const rendered = renderCheckRun(emptyVerdict(env), {
      policyRevision: cfg.sha,
      durationMs: 0,
      detailsNote: subject.note,
    });
    await publisher.post(
      checkName(env.name),
      subject.headSha,
      externalId(checkName(env.name)),
      "success",
      rendered.output,
    );
    deps.log.info(
      {
        ...logFields(deps, subject, trigger),
        environment: env.name,
        mode: env.mode,
        conclusion: "success",
        policyRevision: cfg.sha,
        durationMs: 0,
      },
      "decision (no changes)",
    );
  }
  const toEvaluate = pending.filter((env) => !untouched.includes(env));
  if (toEvaluate.length === 0) return;
  const runs = new Map<string, number>();
  const started = performance.now();
  const deadline = new Deadline(cfg.config.limits.timeout_ms);
  try {
    // Inside the try: if creating the second run fails, the first is still completed (as failed).
    for (const env of toEvaluate)
      runs.set(env.name, await publisher.start(checkName(env.name), subject.headSha, externalId(checkName(env.name))));
    const engine = await deadline.race(
      "loading policies",
      deps.engines.get(`${deps.client.repo.owner}/${deps.client.repo.repo}`, cfg.sha, cfg.config, cfg.reader),
    );
    const { files, unreadable } = await deadline.race(
      "reading the changed manifests",
      fetchManifests(deps.client, subject, toEvaluate),
    );
    const nowMs = Date.now();
    for (const env of toEvaluate) {
      deadline.check(`evaluating ${env.name}`);
      const verdict = engine.check(env.name, files);
      verdict.findings.unshift(...visibilityProblems(env, subject, unreadable));
      if (!subject.pull) {
        // A merge group has no pull request of its own, but a freeze still stops it: the queue must not merge into a
        // frozen environment.
        const freeze = await deadline.race("reading freezes", freezeFacts(deps.client, env, deps.appId, nowMs));
        verdict.gates = engine.checkGates(env.name, groupInput(env, subject, freeze, nowMs), {
          now: () => BigInt(nowMs) * 1_000_000n,
          only: ["freeze"],
        });
      }
      if (subject.pull && gatesApply(env, subject.touched)) {
        const input = await deadline.race(
          "gathering pull request facts",
          gatherPrInput(deps.client, { ...subject.pull, env, config: cfg.config, appId: deps.appId, nowMs }),
        );
        verdict.gates = engine.checkGates(env.name, input, { now: () => BigInt(nowMs) * 1_000_000n });
        // Overrides are only looked up when they could matter: a blocking verdict with overriders configured.
        if (isBlocking(verdict) && env.override.allowed.users.length + env.override.allowed.teams.length > 0) {
          verdict.override = await deadline.race(
            "reading overrides",
            overrideFor(deps.client, { pr: subject.pull.pr, env: env.name, config: cfg.config, appId: deps.appId }),
          );
        }
      }
      deadline.check(`evaluating ${env.name}`);
      const rendered = renderCheckRun(verdict, {
        policyRevision: cfg.sha,
        durationMs: performance.now() - started,
        detailsNote: subject.note,
      });
      // Nothing of this environment changed: still green, so branch protection can require the check.
      const conclusion = rendered.conclusion === "neutral" ? "success" : rendered.conclusion;
      await publisher.complete(runs.get(env.name)!, conclusion, {
        ...rendered.output,
        annotations: rendered.output.annotations as CheckAnnotation[],
      });
      deps.log.info(
        {
          ...logFields(deps, subject, trigger),
          environment: env.name,
          mode: env.mode,
          conclusion,
          failures: verdict.findings.filter((f) => f.severity === "failure").length,
          gates: verdict.gates?.filter((g) => g.state !== "passed").map((g) => `${g.gate}:${g.state}`),
          override: verdict.override?.by,
          policyRevision: cfg.sha,
          durationMs: Math.round(performance.now() - started),
        },
        env.mode === "shadow" ? "decision (shadow: never blocks)" : "decision",
      );
      runs.delete(env.name);
    }
  } catch (err) {
    deps.log.error({ ...logFields(deps, subject, trigger), err }, "evaluation failed");
    const reason = err instanceof Error ? err.message : String(err);
    for (const [, id] of runs) {
      await publisher
        .fail(id, `Stagegate could not evaluate this change: ${reason}`.slice(0, 255), failureDetail(reason, trigger))
        .catch((e: unknown) =>
          deps.log.error({ err: e, deliveryId: trigger.deliveryId }, "could not complete check run"),
        );
    }
  }
}

function logFields(deps: Deps, subject: Subject, trigger: Trigger) {
  return {
    repository: `${deps.client.repo.owner}/${deps.client.repo.repo}`,
    pr: subject.pr,
    sha: subject.headSha,
    deliveryId: trigger.deliveryId,
    reason: trigger.reason,
  };
}

/** Reads the changed manifests of every environment at the evaluated commit, in batches. */
async function fetchManifests(
  client: GitHubClient,
  subject: Subject,
  envs: EnvironmentConfig[],
): Promise<{ files: SourceFile[]; unreadable: string[] }> {
  const wanted = new Set<string>();
  for (const env of envs) for (const p of manifestFilesFor(env, subject.changed)) wanted.add(p);
  if (wanted.size === 0) return { files: [], unreadable: [] };
  const contents = await client.readFiles(subject.contentSha, [...wanted].sort());
  const files: SourceFile[] = [];
  const unreadable: string[] = [];
  for (const [path, content] of contents) {
    if (content !== undefined) files.push({ path, content });
    else unreadable.push(path);
  }
  return { files, unreadable };
}

/**
 * What the evaluation could not see is a failure, never a silent pass: a
 * changed manifest that is not a readable file at the evaluated commit (a
 * submodule, a symlink), and PRs beyond the 3,000 files GitHub lists.
 */
function visibilityProblems(env: EnvironmentConfig, subject: Subject, unreadable: string[]): Finding[] {
  const mine = new Set(manifestFilesFor(env, unreadable));
  const out: Finding[] = unreadable
    .filter((p) => mine.has(p))
    .map((path) => ({
      ruleId: "engine/unreadable",
      message: `could not read ${path} at ${subject.contentSha.slice(0, 7)} as a file (a submodule or symlink?), so it was not checked`,
      severity: "failure" as const,
      source: "engine" as const,
      location: { file: path, line: 1 },
    }));
  if (subject.touched.length >= subject.listCap) {
    const cap = subject.listCap.toLocaleString("en");
    out.push({
      ruleId: "limit/changed-files",
      message: `this change touches ${cap} or more files; GitHub lists only the first ${cap}, so the rest could not be checked — split it`,
      severity: "failure",
      source: "limit",
      location: { file: subject.touched[0], line: 1 },
    });
  }
  return out;
}

async function retryMergeable(client: GitHubClient, pr: PullRequest): Promise<PullRequest> {
  await new Promise((r) => setTimeout(r, 1500));
  return client.pullRequest(pr.number, { fresh: true });
}

/** Names the files both sides changed, which is where the conflict is. */
async function conflictNote(client: GitHubClient, pr: PullRequest, changed: string[]): Promise<string> {
  const onBase = await client.compare(pr.headSha, pr.baseRef).then((d) => new Set(d.files));
  const both = changed.filter((p) => onBase.has(p));
  const list = both.length ? both.map((p) => `\`${p}\``).join(", ") : "(GitHub did not say which files)";
  return (
    `**This pull request conflicts with \`${pr.baseRef}\`** in ${list}, so there is no test merge commit and the head commit was evaluated. ` +
    `Merge or rebase \`${pr.baseRef}\` into \`${pr.headRef}\`, resolve the conflicts and push; Stagegate re-evaluates the result.`
  );
}

async function publishConfigError(
  publisher: CheckPublisher,
  id: number,
  error: ConfigError,
  sha: string,
): Promise<void> {
  const lines = error.problems.map((p) => `- \`${p.file}:${p.line}:${p.column}\` ${p.message}`);
  const annotations: CheckAnnotation[] = error.problems
    .filter((p) => !p.file.includes(" "))
    .slice(0, 50)
    .map((p) => ({
      path: p.file,
      start_line: p.line,
      end_line: p.line,
      annotation_level: "failure",
      message: p.message,
      title: "Invalid Stagegate config",
    }));
  await publisher.complete(id, "failure", {
    title: `Invalid .github/stagegate.yml: ${error.problems.length} problem(s)`,
    summary:
      `Stagegate's config on the default branch (revision \`${sha.slice(0, 7)}\`) is invalid, so no environment was evaluated ` +
      `and required \`stagegate / <env>\` checks stay pending until it is fixed.\n\n${lines.join("\n")}`.slice(
        0,
        65_000,
      ),
    annotations,
  });
}

function failureDetail(reason: string, trigger: Trigger): string {
  return (
    `Stagegate failed closed: the evaluation did not finish, so this check fails rather than pass unverified.\n\n` +
    `**Error:** ${reason}\n\nDelivery \`${trigger.deliveryId}\` (${trigger.reason}). Re-run the check, or comment \`/gate check\`, once the cause is fixed.`
  );
}

function emptyVerdict(env: EnvironmentConfig): Verdict {
  return {
    environment: env.name,
    mode: env.mode,
    findings: [],
    exemptions: [],
    filesChecked: 0,
    documentsChecked: 0,
    durationMs: 0,
  };
}

/** The PR-level input for a merge group's commit: no pull request facts, just the freeze. */
function groupInput(env: EnvironmentConfig, subject: Subject, freeze: FreezeFacts, nowMs: number): PrInput {
  return {
    environment: { name: env.name, mode: env.mode, source: env.promote_from ?? null },
    pull_request: {
      number: 0,
      title: "merge group",
      body: "",
      author: "",
      author_association: "NONE",
      draft: false,
      labels: [],
      base: { ref: subject.baseRef, sha: "" },
      head: { ref: "", sha: subject.headSha },
      fork: false,
    },
    files: [],
    freeze,
    gates: env.gates,
    now_ns: nowMs * 1e6,
  };
}

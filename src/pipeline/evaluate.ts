import type { ConfigState } from "./config-source.js";
import { loadConfig } from "./config-source.js";
import { configUnreadable } from "./config-unreadable.js";
import { checkName, CONFIG_CHECK, environmentsForPullRequest, untouchedBy } from "../config/targeting.js";
import type { EnvironmentConfig, StagegateConfig } from "../config/types.js";
import { judge, untouchedVerdict, withOverride } from "../gate/judge.js";
import { isBlocking, type Verdict } from "../gate/verdict.js";
import { GitHubPullFacts } from "../github/pull-facts.js";
import type { OpenWork } from "../github/open-work.js";
import { DEFAULT_CONFIG_FILE } from "../config/load.js";
import { Deadline } from "./deadline.js";
import type { Deps, Trigger } from "./deps.js";
import { gatherGateInput, gatherOverride, readManifests } from "./gather.js";
import { configErrorPlain, presentConfigError, presentFailure, presentVerdict } from "./present.js";
import { DeferredRuns } from "./deferred-runs.js";
import { sharedRenderCache } from "./render-cache.js";
import { readsByEnvironment, RenderGatherer } from "./render-gather.js";
import { CheckPublisher } from "./publish.js";
import { groupSubject, pullSubject, type Subject } from "./subject.js";

export type { Deps, Trigger } from "./deps.js";

/**
 * The webhook path of one evaluation, in one direction:
 * trigger → gather (GitHub reads) → judge (pure) → present → publish.
 * The only writes are the check runs, through the publisher.
 */

/** Evaluates an open PR for every environment its base maps to and publishes the checks. */
export function evaluatePullRequest(deps: Deps, number: number, trigger: Trigger): Promise<void> {
  return tracked(deps, async () => {
    const open = openWork(deps);
    const cfg = await configOrFailure(deps, { pr: number }, trigger);
    if (cfg) await evaluatePullWith(deps, cfg, number, trigger, open);
  });
}

async function evaluatePullWith(
  deps: Deps,
  cfg: ConfigState,
  number: number,
  trigger: Trigger,
  open: Promise<OpenWork>,
): Promise<void> {
  if (cfg.kind === "absent") {
    deps.log.debug({ pr: number }, "no .github/stagegate.yml: repository not using Stagegate");
    return;
  }
  const subject = await pullSubject(deps.client, number);
  if (subject) await evaluateSubject(deps, cfg, subject, trigger, open);
}

/**
 * The open pull requests (who shares the head) and open issues (freezes) this evaluation judges by, read once
 * for it and in the same GraphQL request as the config when that is still to be read. Unused when there is
 * nothing to evaluate: a failure then is nobody's (each user awaits it and fails closed).
 */
function openWork(deps: Deps): Promise<OpenWork> {
  const open = deps.client.openWork(DEFAULT_CONFIG_FILE);
  open.catch(() => undefined);
  return open;
}

/** Evaluates a merge queue's group commit so required checks never stall the queue. */
export async function evaluateMergeGroup(
  deps: Deps,
  group: { headSha: string; baseSha: string; baseRef: string },
  trigger: Trigger,
): Promise<void> {
  return tracked(deps, async () => {
    const open = openWork(deps);
    const cfg = await configOrFailure(deps, { headSha: group.headSha, baseRef: group.baseRef }, trigger);
    if (!cfg || cfg.kind === "absent") return;
    await evaluateSubject(deps, cfg, await groupSubject(deps.client, group), trigger, open);
  });
}

/** The config, or undefined once a config that cannot be read has been reported as a failing check. */
async function configOrFailure(
  deps: Deps,
  target: { pr?: number; headSha?: string; baseRef?: string },
  trigger: Trigger,
): Promise<ConfigState | undefined> {
  const repo = `${deps.client.repo.owner}/${deps.client.repo.repo}`;
  let cfg: ConfigState;
  try {
    cfg = await loadConfig(deps.client);
  } catch (err) {
    await configUnreadable(deps, target, err, trigger);
    return undefined;
  }
  const recovery = deps.runtime?.recovery;
  if (recovery) {
    recovery.settled(`${repo}#${target.pr ?? target.headSha}`);
    deps.runtime!.metrics.configRetries.set(recovery.pending);
    if (cfg.kind === "ok") recovery.remember(repo, { config: cfg.config, branch: cfg.branch });
  }
  return cfg;
}

/** In-flight work: a shutdown waits for it, and the gauge shows it. */
async function tracked(deps: Deps, fn: () => Promise<void>): Promise<void> {
  const runtime = deps.runtime;
  if (!runtime) return fn();
  runtime.metrics.inFlight.inc();
  try {
    await runtime.lifecycle.track(fn());
  } finally {
    runtime.metrics.inFlight.dec();
  }
}

type KnownConfig = Exclude<ConfigState, { kind: "absent" }>;

async function evaluateSubject(
  deps: Deps,
  cfg: KnownConfig,
  subject: Subject,
  trigger: Trigger,
  open: Promise<OpenWork>,
): Promise<void> {
  const publisher = new CheckPublisher(deps.client, deps.runtime?.runs);
  const existing = await deps.client.checks.list(subject.headSha, deps.appId);
  const seen = new Set(existing.map((r) => r.externalId));
  const externalId = (name: string) => `${trigger.deliveryId}:${name}`;

  if (cfg.kind === "invalid") {
    if (seen.has(externalId(CONFIG_CHECK))) return;
    const id = await publisher.start(CONFIG_CHECK, subject.headSha, externalId(CONFIG_CHECK));
    const shown = presentConfigError(cfg.error, cfg.sha);
    // The check is failing either way; if the detailed output cannot be written, a plain failure still completes it.
    await publisher.complete(id, shown.conclusion, shown.output).catch(() => {
      const plain = configErrorPlain(cfg.error);
      return publisher.fail(id, plain.title, plain.detail);
    });
    deps.log.warn(
      { ...logFields(deps, subject, trigger), revision: cfg.sha, problems: cfg.error.problems.length },
      "invalid stagegate config",
    );
    return;
  }

  const envs = environmentsForPullRequest(cfg.config, subject.baseRef, cfg.branch);
  // Idempotent: a redelivered event finds its own runs and does nothing more.
  const pending = envs.filter((env) => !seen.has(externalId(checkName(env.name))));
  if (pending.length === 0) return;
  // A merge group is always judged: a freeze must stop the queue even when the group changes no manifest.
  // A change set that may be incomplete leaves no environment untouched: each fails, saying why.
  const knowsChanges = subject.touched.length < subject.listCap;
  const repoKey = `${deps.client.repo.owner}/${deps.client.repo.repo}`;
  const renders = new RenderGatherer(deps.client, {
    repoKey,
    baseSha: subject.baseSha,
    headSha: subject.contentSha,
    maxFileBytes: cfg.config.limits.max_file_bytes,
  });
  // Environments the change seems not to touch: for those that render, what their entry points read decides
  // whether a change to a shared base touches them after all.
  const seemingly = subject.pull && knowsChanges ? untouchedBy(pending, subject.touched, () => new Set()) : [];
  const reads = await readsByEnvironment(renders, seemingly);
  const untouched = untouchedBy(seemingly, subject.touched, (env) => reads.get(env.name));
  for (const env of untouched) {
    const shown = presentVerdict(untouchedVerdict(env), {
      policyRevision: cfg.sha,
      durationMs: 0,
      detailsNote: subject.note,
    });
    await publisher.post(
      checkName(env.name),
      subject.headSha,
      externalId(checkName(env.name)),
      "success",
      shown.output,
    );
    deps.runtime?.metrics.completed("success", "untouched", trigger.receivedAtMs);
    deps.log.info(
      { ...logFields(deps, subject, trigger), ...decisionFields(env, "success", cfg.sha, 0) },
      "decision (no changes)",
    );
  }
  const toEvaluate = pending.filter((env) => !untouched.includes(env));
  if (toEvaluate.length === 0) return;

  const names = toEvaluate.map((env) => checkName(env.name));
  const runs = new DeferredRuns(publisher, subject.headSha, names, externalId, deps.runtime?.startAfterMs ?? 0);
  const started = performance.now();
  const deadline = new Deadline(cfg.config.limits.timeout_ms);
  try {
    // Inside the try: if creating the second run fails, the first is still completed (as failed).
    await runs.begin();
    const engine = await deadline.race("loading policies", deps.engines.get(repoKey, cfg.sha, cfg.config, cfg.reader));
    const manifests = await deadline.race(
      "reading the changed manifests",
      readManifests(deps.client, subject, toEvaluate, cfg.config.limits.max_file_bytes),
    );
    // In the try: a listing that cannot be read whole fails the checks, saying so.
    const siblings = subject.pull
      ? await deadline.race("listing open pull requests", sharingHead(open, subject, cfg.config, cfg.branch))
      : new Map<string, number[]>();
    const note = manifests.note ?? subject.note;
    if (manifests.contentSha !== subject.contentSha) renders.useHead(manifests.contentSha);
    const nowMs = Date.now();
    // One memoised view of the PR's facts for every environment: a fact two environments need costs one read.
    const facts = new GitHubPullFacts(deps.client, { open, appId: deps.appId });
    for (const env of toEvaluate) {
      const renderStarted = performance.now();
      const render = env.render ? await deadline.race(`rendering ${env.name}`, renders.render(env)) : undefined;
      const renderMs = render ? Math.round(performance.now() - renderStarted) : undefined;
      const ctx = { config: cfg.config, env, subject, appId: deps.appId, nowMs, reads: render?.reads };
      const gates = await gatherGateInput(facts, ctx, deadline);
      deadline.check(`evaluating ${env.name}`);
      let verdict: Verdict = judge({
        engine,
        env,
        files: manifests.files,
        unreadable: manifests.unreadable,
        contentSha: manifests.contentSha,
        touched: subject.touched,
        listCap: subject.listCap,
        limits: cfg.config.limits,
        sharedWith: siblings.get(env.name),
        gates,
        render,
        nowMs,
      });
      // Overrides are only looked up when they could matter: a blocking verdict with overriders configured.
      if (isBlocking(verdict) && gates?.kind === "pull") {
        verdict = withOverride(verdict, await gatherOverride(deps.client, ctx, deadline));
      }
      deadline.check(`evaluating ${env.name}`);
      const durationMs = performance.now() - started;
      const shown = presentVerdict(verdict, { policyRevision: cfg.sha, durationMs, detailsNote: note });
      await runs.complete(checkName(env.name), shown.conclusion, shown.output);
      deps.runtime?.metrics.completed(shown.conclusion, "verdict", trigger.receivedAtMs);
      deps.log.info(
        {
          ...logFields(deps, subject, trigger),
          ...decisionFields(env, shown.conclusion, cfg.sha, durationMs),
          failures: verdict.findings.filter((f) => f.severity === "failure").length,
          gates: verdict.gates?.filter((g) => g.state !== "passed").map((g) => `${g.gate}:${g.state}`),
          override: verdict.override?.by,
          rendered: verdict.rendered?.map((r) => `${r.label}: ${r.objects.length} changed, ${r.judged} judged`),
          renderMs,
          renderCache: render ? sharedRenderCache.stats() : undefined,
        },
        env.mode === "shadow" ? "decision (shadow: never blocks)" : "decision",
      );
    }
  } catch (err) {
    deps.log.error({ ...logFields(deps, subject, trigger), err }, "evaluation failed");
    const failure = presentFailure(err instanceof Error ? err.message : String(err), trigger);
    const failed = await runs.failAll(failure.title, failure.detail, (e: unknown) =>
      deps.log.error({ err: e, deliveryId: trigger.deliveryId }, "could not complete check run"),
    );
    for (let i = 0; i < failed; i++) deps.runtime?.metrics.completed("failure", "error", trigger.receivedAtMs);
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

function decisionFields(env: EnvironmentConfig, conclusion: string, policyRevision: string, durationMs: number) {
  return { environment: env.name, mode: env.mode, conclusion, policyRevision, durationMs: Math.round(durationMs) };
}

/** Per environment, the other open pull requests with this same head commit that map it too. */
async function sharingHead(
  open: Promise<OpenWork>,
  subject: Subject,
  config: StagegateConfig,
  defaultBranch: string,
): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  const others = (await open).pulls.filter((pr) => pr.headSha === subject.headSha && pr.number !== subject.pr);
  for (const pr of others) {
    for (const env of environmentsForPullRequest(config, pr.baseRef, defaultBranch)) {
      out.set(env.name, [...(out.get(env.name) ?? []), pr.number]);
    }
  }
  return out;
}

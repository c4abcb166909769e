import { checkName, environmentsForPullRequest } from "../config/targeting.js";
import { DEFAULT_CONFIG_FILE } from "../config/load.js";
import type { Deps, Trigger } from "./deps.js";
import { CheckPublisher } from "./publish.js";

/** The one check posted when a config cannot be read and none was read before for the repository. */
export const UNKNOWN_CONFIG_CHECK = "stagegate";

/**
 * Fail closed, visibly, when `.github/stagegate.yml` cannot be read (GitHub
 * errors after its retries): a failing check under each check name the last
 * good config maps this PR to, or one `stagegate` check when none is known,
 * and a retry on a schedule that re-evaluates the PR once GitHub answers.
 */
export async function configUnreadable(
  deps: Deps,
  target: { pr?: number; headSha?: string; baseRef?: string },
  err: unknown,
  trigger: Trigger,
): Promise<void> {
  const repo = `${deps.client.repo.owner}/${deps.client.repo.repo}`;
  const runtime = deps.runtime;
  const key = `${repo}#${target.pr ?? target.headSha}`;
  const reason = describe(err);
  // Only pull requests are retried: a merge group that fails leaves the queue, and a new group is a new event.
  const rerun = runtime?.rerun;
  const pr = target.pr;
  const retryIn =
    pr !== undefined && rerun
      ? runtime.recovery.retry(key, (attempt) =>
          rerun(deps.client.forRepo(deps.client.repo.owner, deps.client.repo.repo), pr, {
            // Each attempt its own delivery id: its checks must not be mistaken for an earlier attempt's.
            deliveryId: `config-retry-${attempt}:${trigger.deliveryId.replace(/^config-retry-\d+:/, "")}`,
            reason: `config could not be read (${reason}); retrying`,
          }),
        )
      : undefined;
  runtime?.metrics.configRetries.set(runtime.recovery.pending);
  deps.log.error(
    { err, repository: repo, pr, deliveryId: trigger.deliveryId, retryInMs: retryIn },
    "config could not be read: failing closed",
  );

  let headSha = target.headSha;
  let baseRef = target.baseRef;
  if (pr !== undefined) {
    const pull = await deps.client.pullRequest(pr);
    if (pull.state !== "open") return;
    headSha = pull.headSha;
    baseRef = pull.baseRef;
  }
  if (!headSha || baseRef === undefined) return;

  const known = runtime?.recovery.lastKnown(repo);
  const names = known
    ? environmentsForPullRequest(known.config, baseRef, known.branch).map((e) => checkName(e.name))
    : [UNKNOWN_CONFIG_CHECK];
  if (names.length === 0) return;
  const seen = new Set((await deps.client.checks.list(headSha, deps.appId)).map((r) => r.externalId));
  const publisher = new CheckPublisher(deps.client, runtime?.runs);
  const when = retryIn === undefined ? "" : ` Stagegate tries again in ${Math.round(retryIn / 1000)} s on its own.`;
  for (const name of names) {
    const externalId = `${trigger.deliveryId}:${name}`;
    if (seen.has(externalId)) continue;
    await publisher.post(name, headSha, externalId, "failure", {
      title: `Stagegate could not read ${DEFAULT_CONFIG_FILE}: ${reason}`.slice(0, 255),
      summary:
        `Stagegate failed closed: its config on the default branch could not be read, so nothing was evaluated ` +
        `and this check fails rather than pass unverified.${when}\n\n**Error:** ${reason}\n\nDelivery ` +
        `\`${trigger.deliveryId}\` (${trigger.reason}). Re-run the check, or comment \`/gate check\`, ` +
        `once GitHub answers again.`,
    });
    runtime?.metrics.completed("failure", "config_unreadable", trigger.receivedAtMs);
  }
}

function describe(err: unknown): string {
  const status = (err as { status?: number }).status;
  const message = err instanceof Error ? err.message : String(err);
  return status ? `GitHub answered ${status} (${message.split("\n")[0].slice(0, 120)})` : message.slice(0, 160);
}

import type { Logger } from "probot";
import type { Runtime } from "./runtime.js";

export const INTERRUPTED_TITLE = "Stagegate stopped before finishing this evaluation: re-run this check";

/** Default grace period for in-flight evaluations (Kubernetes allows 30 s between SIGTERM and SIGKILL). */
export const DEFAULT_GRACE_MS = 25_000;

/**
 * Graceful stop: take no new work, give the evaluations in hand `graceMs` to
 * finish, stop the timers (config retries, freeze re-checks), then complete
 * every check run still `in_progress` as a failure that invites a re-run — a
 * required check never stays spinning because a replica went away.
 */
export async function shutdown(
  runtime: Runtime,
  graceMs: number,
  log: Logger,
): Promise<{ finished: boolean; interrupted: number }> {
  const inFlight = runtime.lifecycle.inFlight;
  if (inFlight > 0) log.info({ inFlight, graceMs }, "shutting down: waiting for evaluations in flight");
  const finished = await runtime.lifecycle.drain(graceMs);
  runtime.stop();
  const interrupted = await runtime.runs.abandonAll(
    INTERRUPTED_TITLE,
    "Stagegate was shut down (a deploy or a restart) while this check was being evaluated, and the evaluation " +
      "did not finish within the grace period. Nothing was judged, so the check fails rather than pass unverified. " +
      "Re-run it (or comment `/gate check`); after a restart Stagegate also re-evaluates such pull requests itself.",
    (run, err) =>
      log.error({ err, repository: run.repo, checkRun: run.id }, "could not complete check run on shutdown"),
  );
  if (interrupted > 0) log.warn({ interrupted }, "check runs completed as interrupted on shutdown");
  runtime.lifecycle.markStopped();
  return { finished, interrupted };
}

/** `STAGEGATE_SHUTDOWN_GRACE_SECONDS`, else 25 s. */
export function graceFromEnv(value: string | undefined): number {
  if (value === undefined || value === "") return DEFAULT_GRACE_MS;
  const s = Number(value);
  if (!Number.isFinite(s) || s < 0) {
    throw new Error(`STAGEGATE_SHUTDOWN_GRACE_SECONDS must be a number of seconds >= 0, got "${value}"`);
  }
  return s * 1000;
}

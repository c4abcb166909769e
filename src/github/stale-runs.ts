import type { GitHubClient } from "./client.js";

/** A check run of this app still `queued` or `in_progress` on a commit. */
export interface StaleRun {
  id: number;
  name: string;
  startedAtMs: number;
}

/** This app's runs on `sha` that are not completed (GitHub filters by status; one request per status). */
export async function unfinishedRuns(client: GitHubClient, sha: string, appId: number): Promise<StaleRun[]> {
  const { octokit, repo } = client;
  const out: StaleRun[] = [];
  for (const status of ["in_progress", "queued"] as const) {
    const runs = await octokit.paginate(octokit.rest.checks.listForRef, {
      ...repo,
      ref: sha,
      status,
      app_id: appId,
      filter: "all",
      per_page: 100,
    });
    for (const r of runs) {
      if (r.app?.id !== undefined && r.app?.id !== appId) continue;
      out.push({ id: r.id, name: r.name, startedAtMs: r.started_at ? Date.parse(r.started_at) : 0 });
    }
  }
  return out;
}

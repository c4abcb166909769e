import type { Context, Probot } from "probot";
import { GitHubClient } from "./client.js";
import type { RepoId } from "./types.js";

/**
 * Where Probot's octokit instances enter: handlers and the scheduler get a
 * GitHubClient from here and never touch octokit themselves.
 */

/** The gateway for an event's repository, authenticated as the installation that received it. */
export function clientForEvent(context: Context, repo: RepoId): GitHubClient {
  return new GitHubClient(context.octokit, repo);
}

/** This app's id, asked of GitHub with the app's JWT (`GET /app`). */
export async function authenticatedAppId(app: Probot): Promise<number> {
  const octokit = await app.auth();
  return (await octokit.rest.apps.getAuthenticated()).data?.id ?? 0;
}

/** Every repository of every installation, each with its gateway (for work that no event starts). */
export async function* installationRepositories(
  app: Probot,
): AsyncGenerator<{ fullName: string; client: GitHubClient }> {
  const appOctokit = await app.auth();
  const installations = await appOctokit.paginate(appOctokit.rest.apps.listInstallations, { per_page: 100 });
  for (const inst of installations) {
    const octokit = await app.auth(inst.id);
    const repos = await octokit.paginate(octokit.rest.apps.listReposAccessibleToInstallation, { per_page: 100 });
    for (const r of repos) {
      yield { fullName: r.full_name, client: new GitHubClient(octokit, { owner: r.owner.login, repo: r.name }) };
    }
  }
}

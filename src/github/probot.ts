import type { Context, Probot } from "probot";
import { GitHubClient } from "./client.js";
import type { RepoId } from "./types.js";

/**
 * Where Probot's octokit instances enter: handlers and the scheduler get a
 * GitHubClient from here and never touch octokit themselves.
 */

/** The gateway for an event's repository, authenticated as the installation that received it. */
export function clientForEvent(context: Context, repo: RepoId): GitHubClient {
  const installation = (context.payload as { installation?: { id?: number } }).installation?.id;
  return new GitHubClient(context.octokit, repo, installation);
}

/** The gateway for one repository of an installation, for work that left its event behind (a queued job). */
export async function clientForInstallation(app: Probot, installationId: number, repo: RepoId): Promise<GitHubClient> {
  return new GitHubClient(await app.auth(installationId), repo, installationId);
}

/** The installation a gateway acts as, when it was built from one: a queued job names it. */
export function installationOf(client: GitHubClient): number | undefined {
  return client.installationId;
}

/** This app's id, asked of GitHub with the app's JWT (`GET /app`). */
export async function authenticatedAppId(app: Probot): Promise<number> {
  const octokit = await app.auth();
  return (await octokit.rest.apps.getAuthenticated()).data?.id ?? 0;
}

/**
 * Every repository of every installation, each with its gateway (for work
 * that no event starts). One installation that cannot be reached (suspended,
 * its token refused, GitHub failing for it) is reported to `failed` and
 * skipped: it must not stop the others. Listing the installations themselves
 * failing throws.
 */
export async function* installationRepositories(
  app: Probot,
  failed: (installationId: number, err: unknown) => void = () => {},
): AsyncGenerator<{ fullName: string; client: GitHubClient; installationId: number }> {
  const appOctokit = await app.auth();
  const installations = await appOctokit.paginate(appOctokit.rest.apps.listInstallations, { per_page: 100 });
  for (const inst of installations) {
    let listed: Array<{ fullName: string; client: GitHubClient; installationId: number }>;
    try {
      const octokit = await app.auth(inst.id);
      const repos = await octokit.paginate(octokit.rest.apps.listReposAccessibleToInstallation, { per_page: 100 });
      listed = repos.map((r) => {
        const client = new GitHubClient(octokit, { owner: r.owner.login, repo: r.name }, inst.id);
        return { fullName: r.full_name, client, installationId: inst.id };
      });
    } catch (err) {
      failed(inst.id, err);
      continue;
    }
    yield* listed;
  }
}

/**
 * A pull request's change set and contents in as few requests as GitHub allows (issue 13): 101–300 changed files
 * come from one compare request instead of a page of the PR's file list per 100; a 300-file PR's entries and
 * contents take one GraphQL request each. Against the simulator, which validates every request.
 */
import { GitHubClient } from "../../src/github/client.js";
import { startApp, useNock } from "../handlers/harness.js";
import { productionRepo } from "../handlers/scenarios.js";
import type { SimGitHub } from "../support/github.js";

useNock();

const manifest = (i: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\ndata:\n  n: "${i}"\n`;

function changed(n: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < n; i++) out[`envs/production/cm-${String(i).padStart(3, "0")}.yaml`] = manifest(i);
  return out;
}

async function clientFor(fx: SimGitHub): Promise<GitHubClient> {
  const { probot } = await startApp(fx);
  return new GitHubClient(await probot.auth(fx.installationId), { owner: fx.owner, repo: fx.repo }, fx.installationId);
}

describe("a pull request's changes", () => {
  test("300 changed files: listed by one compare request, with status and line counts", async () => {
    const fx = productionRepo({ change: changed(300) });
    const client = await clientFor(fx);
    const pr = await client.pullRequest(7);
    expect(pr.changedFiles).toBe(300);
    const before = fx.requests.length;
    const { files, complete } = await client.pullRequestChanges(pr);
    expect(fx.requests.slice(before)).toEqual([
      expect.stringMatching(new RegExp(`^GET /repos/acme/gitops/compare/${pr.baseSha}\\.\\.\\.${pr.headSha}`)),
    ]);
    expect(complete).toBe(true);
    expect(files).toHaveLength(300);
    expect(files[0]).toEqual({ path: "envs/production/cm-000.yaml", status: "added", additions: 6, deletions: 0 });
  });

  test.each([3, 301])("%i changed files: the PR's file list, a page per 100, no compare", async (n) => {
    const fx = productionRepo({ change: changed(n) });
    const client = await clientFor(fx);
    const before = fx.requests.length;
    const { files } = await client.pullRequestChanges(await client.pullRequest(7));
    expect(files).toHaveLength(n);
    const listed = fx.requests.slice(before).filter((r) => r.includes("/pulls/7/files"));
    expect(listed).toHaveLength(Math.ceil(n / 100));
    expect(fx.requests.slice(before).filter((r) => r.includes("/compare/"))).toEqual([]);
  });

  test("a forRepo client acts as the same installation", async () => {
    const fx = productionRepo();
    const client = await clientFor(fx);
    expect(client.forRepo("acme", ".github").installationId).toBe(fx.installationId);
  });

  test("300 files' entries and contents: one GraphQL request each", async () => {
    const fx = productionRepo({ change: changed(300) });
    const client = await clientFor(fx);
    const paths = Object.keys(changed(300));
    const before = fx.requests.length;
    const { entries } = await client.entries(fx.sha.head, paths);
    const contents = await client.readFiles(fx.sha.head, paths);
    // (The installation token is fetched on the first request.)
    expect(fx.requests.slice(before).filter((r) => !r.includes("/access_tokens"))).toEqual([
      "POST /graphql",
      "POST /graphql",
    ]);
    expect([...entries.values()].every((e) => e?.kind === "file")).toBe(true);
    expect(new TextDecoder().decode(contents.get(paths[299]))).toBe(manifest(299));
  });
});

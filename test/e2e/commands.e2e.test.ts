/**
 * End to end for `/gate` commands: the real server receives signed
 * `issue_comment` webhooks and acts through the GitHub API simulator, which
 * marks what the app's installation token made (`performed_via_github_app`),
 * the provenance the override and freeze checks trust.
 */
import { payloads, type SimCheckRun, type SimComment, type SimRepo } from "../support/sim/index.js";
import { latestRuns, waitForChecks } from "../../demo/harness.js";
import { baseFiles, WEB, WEB_FIXED, webViolating } from "../../demo/story.js";
import { ACCEPTED, PROD, SLOW, STAGING, stack, useStack } from "./stack.js";

const CONFIG = ".github/stagegate.yml";
let repoSeq = 0;
useStack();

/** The sample repository, with carol allowed to override and freeze production. */
function newRepo(): SimRepo {
  repoSeq += 1;
  const files = baseFiles();
  const config = files[CONFIG];
  if (!/^ {2}production:\n/m.test(config) || !config.trimEnd().endsWith("library: [pod-security-restricted]")) {
    throw new Error(`${CONFIG}: production is no longer the last environment; update this test's config`);
  }
  files[CONFIG] =
    `${config.trimEnd()}\n    override:\n      allowed:\n        users: [carol]\n    freeze:\n      ` +
    `allowed:\n        users: [carol]\n`;
  const repo = stack.sim.createRepo(`acme/commands-${repoSeq}`, { files, installationId: 200 + repoSeq });
  repo.setPermission("carol", "write");
  repo.setPermission("mallory", "read");
  return repo;
}

async function openPr(repo: SimRepo, branch: string, files: Record<string, string>, title: string) {
  repo.createBranch(branch, "main");
  repo.commit(branch, files, { message: title, author: "alice" });
  const pr = repo.openPullRequest({ head: branch, base: "main", title, author: "alice" });
  const res = await stack.deliver("pull_request", payloads.pullRequest(repo, pr.number, "opened"));
  expect(ACCEPTED).toContain(res.status);
  return pr;
}

/** `user` comments `body` on the PR, and GitHub delivers `issue_comment.created`. */
async function command(repo: SimRepo, pr: number, user: string, body: string): Promise<SimComment> {
  const c = repo.addComment(pr, user, body);
  const res = await stack.deliver("issue_comment", payloads.issueComment(repo, c.id, "created"));
  expect(ACCEPTED).toContain(res.status);
  return c;
}

/**
 * Polls until `done` holds, bounded by attempts (not a timed assertion);
 * throws with `describe()` when it never does.
 */
async function waitFor<T>(probe: () => T | undefined, describe: () => string, attempts = 4800): Promise<T> {
  for (let i = 0; i < attempts; i++) {
    const v = probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`gave up waiting: ${describe()}`);
}

/** The latest production run on `sha` once it is completed and satisfies `pred`. */
function latestProd(repo: SimRepo, sha: string, pred: (run: SimCheckRun) => boolean): Promise<SimCheckRun> {
  return waitFor(
    () => {
      const run = latestRuns(repo, sha).get(PROD);
      return run && run.status === "completed" && pred(run) ? run : undefined;
    },
    () => {
      const run = latestRuns(repo, sha).get(PROD);
      return `latest ${PROD} on ${sha.slice(0, 7)}: ${run ? `${run.status}/${run.conclusion} "${run.output.title}"` : "absent"}`;
    },
  );
}

/** The comments the app made on issue `n`. */
function appComments(repo: SimRepo, n: number): SimComment[] {
  return repo.comments(n).filter((c) => c.author === "stagegate[bot]");
}

/** Waits for the app's reply on `n` that matches `re`, made after `after`. */
function reply(repo: SimRepo, n: number, after: SimComment, re: RegExp): Promise<SimComment> {
  return waitFor(
    () => appComments(repo, n).find((c) => c.id > after.id && re.test(c.body)),
    () => `a reply matching ${re} on #${n}; the app said: ${JSON.stringify(appComments(repo, n).map((c) => c.body))}`,
  );
}

/** Waits until the comment has the reaction that ends a command (👍, 👎 or 😕). */
function finished(repo: SimRepo, n: number, c: SimComment): Promise<string> {
  const final = ["+1", "-1", "confused"];
  return waitFor(
    () =>
      repo
        .comments(n)
        .find((x) => x.id === c.id)
        ?.reactions.find((r) => final.includes(r.content))?.content,
    () => `a final reaction on comment ${c.id}`,
  );
}

describe("/gate override", () => {
  test(
    "an allowed user's override turns the failing check green with a record; someone without write " +
      "permission is refused",
    async () => {
      const repo = newRepo();
      const pr = await openPr(repo, "web-1.5", { [WEB]: webViolating() }, "web: release 1.5.0");
      const runs = await waitForChecks(repo, pr.headSha, [PROD, STAGING]);
      expect(runs.get(PROD)!.conclusion).toBe("failure");

      // mallory (read permission) is refused, and nothing changes
      const refused = await command(repo, pr.number, "mallory", "/gate override it is fine");
      const no = await reply(repo, pr.number, refused, /@mallory cannot override/);
      expect(no.body).toMatch(/needs write permission on acme\/commands-\d+/);
      expect(no.body).toContain("Nothing was changed");
      expect(await finished(repo, pr.number, refused)).toBe("-1");
      expect(appComments(repo, pr.number).some((c) => c.body.includes("stagegate:override"))).toBe(false);
      const stillFailing = latestRuns(repo, pr.headSha).get(PROD)!;
      expect(stillFailing.conclusion).toBe("failure");
      expect(stillFailing.output.title).not.toMatch(/^Overridden/);

      // carol (write, on production's override.allowed) overrides
      const ok = await command(repo, pr.number, "carol", "/gate override hotfix for INC-1");
      const overridden = await latestProd(repo, pr.headSha, (r) =>
        (r.output.title ?? "").startsWith("Overridden by @carol"),
      );
      expect(overridden.conclusion).toBe("success");
      expect(overridden.output.title).toContain("hotfix for INC-1");
      expect(overridden.id).toBeGreaterThan(runs.get(PROD)!.id);

      // the record: one comment by the app, made through its installation, holding the marker for this head
      const records = appComments(repo, pr.number).filter(
        (c) => c.id > ok.id && c.body.includes("<!-- stagegate:override "),
      );
      expect(records).toHaveLength(1);
      expect(records[0].body).toContain("by @carol");
      expect(records[0].body).toContain(pr.headSha.slice(0, 7));
      const marker = JSON.parse(/<!-- stagegate:override (\{.*\}) -->/.exec(records[0].body)![1]);
      expect(marker).toMatchObject({
        environment: "production",
        sha: pr.headSha,
        by: "carol",
        reason: "hotfix for INC-1",
      });
      expect(await finished(repo, pr.number, ok)).toBe("+1");
    },
    SLOW,
  );

  test(
    "a record-shaped comment by a user is not an override",
    async () => {
      const repo = newRepo();
      const pr = await openPr(repo, "web-forged", { [WEB]: webViolating() }, "web: release 1.5.0");
      const first = await waitForChecks(repo, pr.headSha, [PROD]);
      expect(first.get(PROD)!.conclusion).toBe("failure");
      // mallory pastes a copy of a record (not through the app: performed_via_github_app is null), then asks for a
      // re-check
      const marker = `<!-- stagegate:override ${JSON.stringify({ environment: "production", sha: pr.headSha, by: "carol", reason: "forged" })} -->`;
      repo.addComment(
        pr.number,
        "mallory",
        `**Override of \`production\`** by @carol for commit ${pr.headSha.slice(0, 7)}: forged\n\n${marker}`,
      );
      repo.setPermission("mallory", "write");
      const check = await command(repo, pr.number, "mallory", "/gate check");
      expect(await finished(repo, pr.number, check)).toBe("+1");
      const after = await latestProd(repo, pr.headSha, (r) => r.id > first.get(PROD)!.id);
      expect(after.conclusion).toBe("failure");
      expect(after.output.title).not.toMatch(/^Overridden/);
    },
    SLOW,
  );
});

describe("/gate freeze", () => {
  test(
    "an allowed user's freeze fails the check of every open pull request into production",
    async () => {
      const repo = newRepo();
      const a = await openPr(repo, "web-fix-a", { [WEB]: WEB_FIXED }, "web: release 1.5.0");
      const b = await openPr(
        repo,
        "web-fix-b",
        { [WEB]: WEB_FIXED.replace("replicas: 2", "replicas: 3") },
        "web: three replicas",
      );
      const before = await waitForChecks(repo, b.headSha, [PROD]);
      expect((await waitForChecks(repo, a.headSha, [PROD])).get(PROD)!.conclusion).toBe("success");
      expect(before.get(PROD)!.conclusion).toBe("success");

      const c = await command(repo, a.number, "carol", "/gate freeze production incident");
      const frozen = await latestProd(repo, b.headSha, (r) => r.id > before.get(PROD)!.id);
      expect(frozen.conclusion).toBe("failure");
      const text = `${frozen.output.title}\n${frozen.output.summary}`;
      expect(text).toMatch(/froz/i);
      expect(text).toContain("incident");

      // the freeze is an issue opened by the app, labelled for production
      const issues = repo.issues().filter((i) => !i.isPullRequest);
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatchObject({
        author: "stagegate[bot]",
        state: "open",
        labels: ["stagegate:freeze:production"],
      });
      expect(issues[0].title).toContain("production");
      expect(await finished(repo, a.number, c)).toBe("+1");
      await reply(repo, a.number, c, /Froze `production`/);
    },
    SLOW,
  );
});

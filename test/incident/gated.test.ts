/** Which commits are gated, whether a push is an incident, and the last gated commit: on plain objects. */
import { GatedHistory, passed } from "../../src/gate/gated.js";
import type { CommitFact, HistoryFacts, PullFact, RunFact } from "../../src/gate/incident-facts.js";
import { assessPush, type PushFacts } from "../../src/gate/incident.js";

const run = (id: number, conclusion: string | null, name = "stagegate / production"): RunFact => ({
  id,
  name,
  status: conclusion === null ? "in_progress" : "completed",
  conclusion,
});
const commit = (sha: string, files?: string[]): CommitFact => ({ sha, title: sha, author: "x", parents: [], files });

/** A repository's answers, as plain maps; `asked` counts the questions. */
function facts(o: {
  runs?: Record<string, RunFact[]>;
  pulls?: Record<string, PullFact[]>;
  commits?: Record<number, string[]>;
  history?: Record<string, CommitFact[]>;
}) {
  const asked: string[] = [];
  const f: HistoryFacts = {
    appRuns: async (sha) => (asked.push(`runs ${sha}`), o.runs?.[sha] ?? []),
    pullsOf: async (sha) => (asked.push(`pulls ${sha}`), o.pulls?.[sha] ?? []),
    pullCommits: async (n) => (asked.push(`commits #${n}`), o.commits?.[n] ?? []),
    history: async (sha, limit) => (o.history?.[sha] ?? []).slice(0, limit),
  };
  return { f, asked };
}

const merged7: PullFact = { number: 7, baseRef: "production", headSha: "h7", merged: true, mergeCommitSha: "m7" };

describe("passed", () => {
  test("the newest run of the environment's check decides", () => {
    expect(passed([run(1, "success")], "production")).toBe(true);
    expect(passed([run(1, "success"), run(2, "failure")], "production")).toBe(false);
    expect(passed([run(2, "success"), run(1, "failure")], "production")).toBe(true);
    expect(passed([run(3, null), run(1, "success")], "production")).toBe(false);
    expect(passed([run(1, "success", "stagegate / staging")], "production")).toBe(false);
    expect(passed([], "production")).toBe(false);
  });
});

describe("GatedHistory", () => {
  test("a commit with its own passing check (merge queue, fast-forward)", async () => {
    const { f } = facts({ runs: { c1: [run(1, "success")] } });
    expect(await new GatedHistory(f, "production", "production").evidence("c1")).toEqual({ kind: "check", sha: "c1" });
  });

  test("the merge of a PR into the branch whose head passed, and that PR's own commits", async () => {
    const { f, asked } = facts({
      runs: { h7: [run(1, "success")] },
      pulls: { m7: [merged7], f1: [merged7] },
      commits: { 7: ["f1", "h7"] },
    });
    const g = new GatedHistory(f, "production", "production");
    expect(await g.evidence("m7")).toEqual({ kind: "pull", sha: "m7", pull: 7, headSha: "h7", merge: true });
    expect(await g.evidence("f1")).toEqual({ kind: "pull", sha: "f1", pull: 7, headSha: "h7", merge: false });
    await g.evidence("m7");
    expect(asked.filter((a) => a === "runs h7")).toHaveLength(1); // asked once
  });

  test("not gated: a PR into another branch, an unmerged PR, a PR whose head failed last", async () => {
    const into = (p: Partial<PullFact>) => ({ m7: [{ ...merged7, ...p }] });
    const h7 = { h7: [run(1, "success")] };
    const g = (o: Parameters<typeof facts>[0]) => new GatedHistory(facts(o).f, "production", "production");
    expect(await g({ runs: h7, pulls: into({ baseRef: "staging" }) }).evidence("m7")).toBeUndefined();
    expect(await g({ runs: h7, pulls: into({ merged: false, mergeCommitSha: null }) }).evidence("m7")).toBeUndefined();
    const failedLast = { h7: [run(1, "success"), run(2, "failure")] };
    expect(await g({ runs: failedLast, pulls: into({}) }).evidence("m7")).toBeUndefined();
    expect(await g({}).evidence("direct")).toBeUndefined();
  });
});

describe("assessPush", () => {
  const push = (p: Partial<PushFacts>): PushFacts => ({
    branch: "production",
    before: "m7",
    after: "x",
    pusher: "mallory",
    forced: false,
    added: [],
    dropped: [],
    base: "m7",
    ...p,
  });
  const repo = facts({
    runs: { h7: [run(1, "success")] },
    pulls: { m7: [merged7] },
    history: { m7: [commit("m7"), commit("h7"), commit("root")], root: [commit("root")] },
  }).f;
  const assess = (p: PushFacts, concerns?: (c: CommitFact) => boolean) =>
    assessPush(new GatedHistory(repo, "production", "production"), repo, p, concerns);

  test("a gated push is no incident", async () => {
    expect(await assess(push({ added: [commit("h7"), commit("m7")] }))).toBeUndefined();
  });

  test("a direct push: the ungated commit, and the last gated commit from the history before it", async () => {
    const incident = await assess(push({ added: [commit("x")] }));
    expect(incident?.ungated.map((c) => c.sha)).toEqual(["x"]);
    expect(incident?.lastGated?.commit.sha).toBe("m7");
    expect(incident?.push.forced).toBe(false);
  });

  test("a force push: the last gated commit is among the dropped ones, newest first", async () => {
    const incident = await assess(
      push({ forced: true, before: "m7", added: [commit("x")], dropped: [commit("h7"), commit("m7")], base: "root" }),
    );
    expect(incident?.lastGated).toEqual({ commit: commit("m7"), evidence: expect.objectContaining({ pull: 7 }) });
  });

  test("a force push is an incident even when it adds nothing ungated", async () => {
    const incident = await assess(push({ forced: true, added: [], dropped: [commit("m7")], base: "root" }));
    expect(incident?.ungated).toEqual([]);
    expect(incident?.lastGated?.commit.sha).toBe("m7");
  });

  test("commits that do not concern the environment are not its incident", async () => {
    const inside = (c: CommitFact) => !c.files || c.files.some((p) => p.startsWith("envs/production/"));
    expect(await assess(push({ added: [commit("x", ["README.md"])] }), inside)).toBeUndefined();
    expect(await assess(push({ added: [commit("x", ["envs/production/a.yaml"])] }), inside)).toBeDefined();
    expect(await assess(push({ added: [commit("x")] }), inside)).toBeDefined(); // files unknown: it concerns it
  });

  test("no gated commit anywhere", async () => {
    const incident = await assess(push({ added: [commit("x")], base: "root" }));
    expect(incident?.lastGated).toBeUndefined();
  });
});

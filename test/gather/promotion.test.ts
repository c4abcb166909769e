import { parseConfig } from "../../src/config/load.js";
import { gatherPromotion, promotionMode } from "../../src/gather/promotion.js";
import { MAX_SOAK_FILES } from "../../src/gather/promotion-content.js";
import { FactsError, type PullFile } from "../../src/gather/pull-facts.js";
import { verificationOf } from "../../src/gather/verification.js";
import { plainFacts, pullInfo, sha } from "./plain-facts.js";

const HEAD = sha("a");
const OLD = sha("b");
const C1 = sha("c");
const C2 = sha("d");
const STAGING = sha("e");
const MAIN = sha("f");
const at = (iso: string) => Date.parse(iso) * 1e6;

const branches = parseConfig(`
version: 1
environments:
  staging:
    branches: [staging]
  production:
    branches: [production]
    promote_from: staging
    gates:
      verified_by: [argocd/staging]
      soak: 1h
`);

const directories = parseConfig(`
version: 1
environments:
  staging:
    paths: ["envs/staging/**"]
  production:
    paths: ["envs/production/**"]
    promote_from: staging
    gates:
      soak: 1h
      promotion: { ignore_fields: [spec.replicas] }
`);

function request(
  config: typeof branches,
  files: PullFile[] = [],
  over: { verification?: boolean; soak?: boolean } = {},
) {
  return {
    pr: pullInfo(HEAD, { baseRef: config === branches ? "production" : "main" }),
    files,
    env: config.environments.production,
    config,
    verification: over.verification ?? false,
    soak: over.soak ?? true,
  };
}

describe("promotionMode", () => {
  it("is commits between branches and content between directories, unless configured", () => {
    expect(promotionMode(branches.environments.production, branches.environments.staging)).toBe("commits");
    expect(promotionMode(directories.environments.production, directories.environments.staging)).toBe("content");
    const forced = { ...branches.environments.production, gates: { promotion: { mode: "content" } } };
    expect(promotionMode(forced, branches.environments.staging)).toBe("content");
  });
});

describe("commits mode", () => {
  it("lists the head's commits not yet in the source branch, and does not soak them", async () => {
    const facts = plainFacts({
      comparisons: {
        [`staging...${HEAD}`]: {
          aheadBy: 2,
          behindBy: 0,
          base: { sha: STAGING, committedAt: null },
          commits: [
            { sha: C2, parents: [C1], committedAt: null },
            { sha: HEAD, parents: [C2], committedAt: null },
          ],
        },
      },
    });
    const out = await gatherPromotion(facts, request(branches));
    expect(out).toEqual({
      source: "staging",
      mode: "commits",
      commits_not_in_source: [C2, HEAD],
      files_not_in_source: [],
      verification: [],
      in_source_since_ns: null,
    });
    expect(facts.reads).toEqual([`compare staging...${HEAD}`]);
  });

  it("soaks since the source commit that has the head as a parent", async () => {
    const facts = plainFacts({
      comparisons: {
        [`staging...${HEAD}`]: { aheadBy: 0, behindBy: 3, base: { sha: STAGING, committedAt: null }, commits: [] },
        [`${HEAD}...${STAGING}`]: {
          aheadBy: 2,
          behindBy: 0,
          base: { sha: HEAD, committedAt: "2025-06-01T00:00:00Z" },
          commits: [
            { sha: C1, parents: [OLD], committedAt: "2025-06-05T10:00:00Z" },
            { sha: C2, parents: [C1, HEAD], committedAt: "2025-06-06T09:30:00Z" },
          ],
        },
      },
    });
    expect((await gatherPromotion(facts, request(branches))).in_source_since_ns).toBe(at("2025-06-06T09:30:00Z"));
  });

  it("soaks since the head's own date when the source branch is at the head; not at all when it diverged", async () => {
    const same = { aheadBy: 0, behindBy: 0, base: { sha: HEAD, committedAt: "2025-06-04T11:00:00Z" }, commits: [] };
    const atHead = plainFacts({ comparisons: { [`staging...${HEAD}`]: same, [`${HEAD}...${HEAD}`]: same } });
    expect((await gatherPromotion(atHead, request(branches))).in_source_since_ns).toBe(at("2025-06-04T11:00:00Z"));

    const diverged = plainFacts({
      comparisons: {
        [`staging...${HEAD}`]: { ...same, base: { sha: STAGING, committedAt: null } },
        [`${HEAD}...${STAGING}`]: { ...same, behindBy: 1 },
      },
    });
    expect((await gatherPromotion(diverged, request(branches))).in_source_since_ns).toBeNull();
  });

  it("says which source branch is missing", async () => {
    await expect(gatherPromotion(plainFacts(), request(branches))).rejects.toThrow(
      new FactsError("cannot compare aaaaaaa with branch staging: not found (does the source stage's branch exist?)"),
    );
  });

  it("rejects an unknown source stage", async () => {
    const env = { ...branches.environments.production, promote_from: "qa" };
    await expect(gatherPromotion(plainFacts(), { ...request(branches), env })).rejects.toThrow(
      'promote_from names unknown environment "qa"',
    );
  });
});

describe("content mode", () => {
  const staging = "kind: Deployment\nmetadata: { name: web }\nspec:\n  replicas: 2\n  image: web:1.2.3\n";
  const files: PullFile[] = [
    { path: "envs/production/web.yaml", status: "modified", additions: 1, deletions: 1 },
    { path: "envs/production/api.yaml", status: "modified", additions: 1, deletions: 1 },
    { path: "envs/production/new.yaml", status: "added", additions: 5, deletions: 0 },
    { path: "envs/production/old.yaml", status: "removed", additions: 0, deletions: 5 },
    { path: "envs/staging/other.yaml", status: "modified", additions: 1, deletions: 0 }, // not production's
  ];
  const history = (web: string, api: string) => ({
    [MAIN]: {
      "envs/staging/web.yaml": { sha: C1, committedAt: web },
      "envs/staging/api.yaml": { sha: C2, committedAt: api },
    },
  });

  it("names files missing from or different in the source stage (ignored fields aside)", async () => {
    const facts = plainFacts({
      branches: { main: MAIN },
      files: {
        [HEAD]: {
          "envs/production/web.yaml": staging.replace("replicas: 2", "replicas: 6"),
          "envs/production/api.yaml": staging.replace("1.2.3", "1.2.4"),
          "envs/production/new.yaml": staging,
        },
        [MAIN]: {
          "envs/staging/web.yaml": staging,
          "envs/staging/api.yaml": staging,
          "envs/staging/old.yaml": staging, // removed in production, still in staging
        },
      },
    });
    const out = await gatherPromotion(facts, request(directories, files));
    expect(out.mode).toBe("content");
    expect(out.files_not_in_source).toEqual([
      { path: "envs/production/api.yaml", source_path: "envs/staging/api.yaml", reason: "different" },
      { path: "envs/production/new.yaml", source_path: "envs/staging/new.yaml", reason: "missing" },
      { path: "envs/production/old.yaml", source_path: "envs/staging/old.yaml", reason: "different" },
    ]);
    expect(out.in_source_since_ns).toBeNull(); // not all there: no soak
    expect(facts.reads).toEqual(["branch main", `files ${HEAD}`, `files ${MAIN}`]);
  });

  it("soaks since the last source commit touching the promoted files", async () => {
    const facts = plainFacts({
      branches: { main: MAIN },
      files: {
        [HEAD]: { "envs/production/web.yaml": staging, "envs/production/api.yaml": staging },
        [MAIN]: { "envs/staging/web.yaml": staging, "envs/staging/api.yaml": staging },
      },
      history: history("2025-06-04T10:00:00Z", "2025-06-04T11:30:00Z"),
    });
    const out = await gatherPromotion(facts, request(directories, files.slice(0, 2)));
    expect(out.files_not_in_source).toEqual([]);
    expect(out.in_source_since_ns).toBe(at("2025-06-04T11:30:00Z"));
  });

  it("reads at most MAX_SOAK_FILES histories; a file without history leaves the soak time unknown", async () => {
    const many: PullFile[] = Array.from({ length: MAX_SOAK_FILES + 5 }, (_, i) => ({
      path: `envs/production/f${i}.yaml`,
      status: "modified",
      additions: 1,
      deletions: 1,
    }));
    const text = (prefix: string) =>
      Object.fromEntries(many.map((f) => [f.path.replace("production", prefix), "a: 1"]));
    const dates = Object.fromEntries(
      many.map((f) => [f.path.replace("production", "staging"), { sha: C1, committedAt: "2025-06-04T10:00:00Z" }]),
    );
    const facts = plainFacts({
      branches: { main: MAIN },
      files: { [HEAD]: text("production"), [MAIN]: text("staging") },
      history: { [MAIN]: dates },
    });
    const out = await gatherPromotion(facts, request(directories, many));
    expect(out.in_source_since_ns).toBe(at("2025-06-04T10:00:00Z"));
    expect(facts.reads.filter((r) => r.startsWith("history"))).toHaveLength(MAX_SOAK_FILES);

    const unknown = plainFacts({
      branches: { main: MAIN },
      files: { [HEAD]: text("production"), [MAIN]: text("staging") },
    });
    expect((await gatherPromotion(unknown, request(directories, many))).in_source_since_ns).toBeNull();
  });

  it("needs a path map when the stages share a branch and their paths give none", async () => {
    const config = parseConfig(`
version: 1
environments:
  staging:
    paths: ["**/staging/*.yaml"]
  production:
    paths: ["**/production/*.yaml"]
    promote_from: staging
`);
    await expect(gatherPromotion(plainFacts(), request(config))).rejects.toThrow(/set gates.promotion.path_map/);
  });
});

describe("verified_by", () => {
  const any = (context: string) => ({ context, app: null, creator: null });
  const run = (id: number, name: string, status: string, conclusion: string | null, app: string | null = "ci") => ({
    id,
    name,
    headSha: C1,
    status,
    conclusion,
    app,
  });

  it("reads the source stage's reports at the commit the source branch is at", async () => {
    const facts = plainFacts({
      comparisons: {
        [`staging...${HEAD}`]: { aheadBy: 1, behindBy: 0, base: { sha: STAGING, committedAt: null }, commits: [] },
      },
      ci: { [STAGING]: { sha: STAGING, statuses: [{ context: "argocd/staging", state: "success", creator: "argo" }] } },
    });
    const out = await gatherPromotion(facts, request(branches, [], { verification: true, soak: false }));
    expect(out.verification).toEqual([{ ...any("argocd/staging"), state: "success", sha: STAGING }]);
  });

  it("takes the worst of each source's latest report; a source's newer report supersedes its older one", () => {
    const reports = {
      sha: null,
      // newest first, as GitHub lists them
      statuses: [
        { context: "a", state: "success", creator: "x" },
        { context: "a", state: "error", creator: "y" },
        { context: "b", state: "pending", creator: "x" },
        { context: "g", state: "success", creator: "x" },
        { context: "g", state: "failure", creator: "x" }, // superseded by x's newer success
      ],
      checkRuns: [
        run(1, "c", "completed", "failure"),
        run(2, "c", "completed", "success"), // the same app's re-run
        run(3, "d", "completed", "neutral"),
        run(4, "e", "in_progress", null),
        run(5, "b", "completed", "skipped"),
      ],
    };
    expect(verificationOf(reports, "staging", ["a", "b", "c", "d", "e", "f", "g"].map(any))).toEqual([
      { ...any("a"), state: "failure", sha: C1 },
      { ...any("b"), state: "pending", sha: C1 },
      { ...any("c"), state: "success", sha: C1 },
      { ...any("d"), state: "success", sha: C1 },
      { ...any("e"), state: "pending", sha: C1 },
      { ...any("f"), state: "missing", sha: C1 },
      { ...any("g"), state: "success", sha: C1 },
    ]);
    // nothing reported at all: the ref stands for the commit
    expect(verificationOf({ sha: null, statuses: [], checkRuns: [] }, "staging", [any("a")])).toEqual([
      { ...any("a"), state: "missing", sha: "staging" },
    ]);
  });

  it("issue 11 item 7: reads only the trusted source of a bound entry, whose failure wins", () => {
    const reports = {
      sha: C1,
      statuses: [
        { context: "deploy", state: "success", creator: "mallory" },
        { context: "deploy", state: "failure", creator: "argocd[bot]" },
        { context: "sync", state: "success", creator: "github-actions[bot]" },
        { context: "sync", state: "failure", creator: "argo-notifier" },
      ],
      checkRuns: [
        run(1, "deploy", "completed", "success", "argocd"),
        run(9, "deploy", "completed", "success", "github-actions"),
        run(2, "health", "completed", "failure", "github-actions"),
        run(3, "health", "completed", "success", "argocd"),
      ],
    };
    const sources = [
      { context: "deploy", app: "argocd", creator: null }, // its check run passed, the status it posted failed
      { context: "sync", app: null, creator: "argo-notifier" },
      { context: "health", app: "argocd", creator: null }, // the workflow's failure is not its business
      { context: "sync", app: "argocd", creator: null }, // it never reported
    ];
    expect(verificationOf(reports, "staging", sources).map((v) => v.state)).toEqual([
      "failure",
      "failure",
      "success",
      "missing",
    ]);
  });
});

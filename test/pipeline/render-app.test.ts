/**
 * The app judges what each environment will run: in a repository shaped like Flux's example (the workload in
 * apps/base, patches in apps/staging and apps/production), entry points are rendered at the base and at the
 * commit that would land, through the GitHub simulator, and the changed objects are judged.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { sharedRenderCache } from "../../src/pipeline/render-cache.js";
import { startApp, useNock } from "../handlers/harness.js";
import { mergeGroup, pullRequest } from "../handlers/payloads.js";
import { openPull, PROD_CHECK, STAGING_CHECK } from "../handlers/scenarios.js";
import { FLUX_SHAPED } from "../render/reader.js";
import { SimGitHub } from "../support/github.js";

useNock();

const CONFIG = `version: 1
policies:
  paths: [policy]
  namespaces: [main]
  library: [images]
schemas:
  kubernetes: { enabled: false }
  unknown_kinds: skip
environments:
  staging:
    paths: ["apps/staging/**"]
    render: [{ kustomize: apps/staging }]
  production:
    paths: ["apps/production/**"]
    render:
      entry_points: [{ kustomize: apps/production }]
      judge: changed
`;

const BASE = "apps/base/podinfo/deployment.yaml";
const PROD_PATCH = "apps/production/replicas.yaml";
const PROD_KUSTOMIZATION = "apps/production/kustomization.yaml";

function fixtureFiles(dir = FLUX_SHAPED): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const abs = join(e.parentPath, e.name);
    out[relative(FLUX_SHAPED, abs)] = readFileSync(abs, "utf8");
  }
  return out;
}

const original = (path: string) => fixtureFiles()[path];

/** The fixture on main (with `main` files replaced) and the render config; PR #5 into main changes `change`. */
function fluxRepo(change: Record<string, string | null>, number = 5, main: Record<string, string> = {}): SimGitHub {
  const fx = new SimGitHub({ ...fixtureFiles(), ".github/stagegate.yml": CONFIG, ...main });
  fx.sha.main = fx.repository.branchSha("main")!;
  const pull = openPull(fx, number, { from: "main", base: "main", change });
  fx.sha.head = pull.head;
  return fx;
}

async function evaluate(fx: SimGitHub, number = 5) {
  const app = await startApp(fx);
  await app.receive("pull_request", pullRequest(fx, number, "opened"));
  const result = (name: string) => {
    // The run as GitHub holds it, whether it was created completed or completed by an update.
    const [run] = fx.runsNamed(name);
    const annotations = run.annotations.map((a) => `${a.path}:${a.start_line} ${a.title ?? ""} ${a.message}`);
    return { conclusion: run.conclusion, output: run.output, annotations };
  };
  expect(fx.pending()).toEqual([]);
  return { staging: result(STAGING_CHECK), production: result(PROD_CHECK), logs: app.logs };
}

const latest = () =>
  original(BASE).replace("ghcr.io/stefanprodan/podinfo:6.9.2", "ghcr.io/stefanprodan/podinfo:latest");

test("a change only to the base fails staging and production, on the base file's image line", async () => {
  const { staging, production, logs } = await evaluate(fluxRepo({ [BASE]: latest() }));
  for (const env of [staging, production]) {
    expect(env.conclusion).toBe("failure");
    expect(env.annotations).toEqual([expect.stringMatching(new RegExp(`^${BASE}:19 .*podinfo:latest`))]);
  }
  // The summary shows what production will run after the merge: the changed object and its rendered diff.
  const summary = production.output.summary as string;
  expect(summary).toContain("### What production will run");
  expect(summary).toContain("**kustomize apps/production**: 0 added, 1 changed, 0 removed (1 object judged)");
  expect(summary).toContain("- `~` apps/Deployment podinfo/podinfo");
  expect(summary).toContain("+++ head/apps/Deployment podinfo/podinfo");
  expect(summary).toMatch(
    /\n-\s+image: ghcr\.io\/stefanprodan\/podinfo:6\.9\.2\n\+\s+image: ghcr\.io\/stefanprodan\/podinfo:latest\n/,
  );
  const decision = logs.find((l) => l.msg === "decision" && l.environment === "production");
  expect(decision).toMatchObject({
    rendered: ["kustomize apps/production: 1 changed, 1 judged"],
    renderMs: expect.any(Number),
    renderCache: { hits: expect.any(Number), misses: expect.any(Number) },
  });
});

test("a production patch that breaks a production rule fails production on the patch's line; staging stays green", async () => {
  const { staging, production } = await evaluate(fluxRepo({ [PROD_PATCH]: original(PROD_PATCH).replace("3", "1") }));
  expect(production.conclusion).toBe("failure");
  expect(production.annotations).toEqual([expect.stringMatching(new RegExp(`^${PROD_PATCH}:6 .*1 replica`))]);
  expect(staging.conclusion).toBe("success");
  expect(staging.annotations).toEqual([]);
});

test("a kustomization naming a missing file fails that environment there; the others are still judged", async () => {
  const broken = original(PROD_KUSTOMIZATION).replace(
    "  - path: replicas.yaml\n",
    "  - path: replicas.yaml\n  - path: gone.yaml\n",
  );
  const { staging, production } = await evaluate(fluxRepo({ [BASE]: latest(), [PROD_KUSTOMIZATION]: broken }));
  expect(production.conclusion).toBe("failure");
  expect(production.annotations).toEqual([
    expect.stringMatching(new RegExp(`^${PROD_KUSTOMIZATION}:7 .*apps/production/gone.yaml does not exist`)),
  ]);
  expect(production.output.summary).toContain("The change does not render: see the findings.");
  // What a change that does not render would remove is unknown: no object is listed as removed.
  expect(production.output.summary).toContain("0 added, 0 changed, 0 removed (not rendered)");
  expect(staging.conclusion).toBe("failure");
  expect(staging.annotations).toEqual([expect.stringMatching(new RegExp(`^${BASE}:19 .*podinfo:latest`))]);
});

test("a change that renders the same objects passes, saying nothing it runs changes; renders are cached", async () => {
  const hits = sharedRenderCache.hits;
  const comment = `# The podinfo workload.\n${original(BASE)}`;
  const { staging, production } = await evaluate(fluxRepo({ [BASE]: comment }));
  for (const env of [staging, production]) {
    expect(env.conclusion).toBe("success");
    expect(env.output.title).toMatch(/^No rendered object of (staging|production) changes/);
    expect(env.output.summary).toContain("No rendered object changes.");
  }
  // The base commit is the fixture's own, rendered by the tests above: its renders come from the cache.
  expect(sharedRenderCache.hits).toBeGreaterThanOrEqual(hits + 2);
});

test("a merge queue's group is rendered and judged against the queue's base", async () => {
  const fx = new SimGitHub({ ...fixtureFiles(), ".github/stagegate.yml": CONFIG });
  fx.repository.createBranch("gh-readonly-queue/main/pr-1", "main");
  const group = fx.repository.commit("gh-readonly-queue/main/pr-1", { [BASE]: latest() });
  const { receive } = await startApp(fx);
  await receive("merge_group", mergeGroup(fx, "checks_requested", { headSha: group, baseRef: "main" }));
  for (const name of [STAGING_CHECK, PROD_CHECK]) {
    const [run] = fx.runsNamed(name);
    expect(run.conclusion).toBe("failure");
    expect(run.annotations.map((a) => `${a.path}:${a.start_line}`)).toEqual([`${BASE}:19`]);
  }
  expect(fx.pending()).toEqual([]);
});

const COMMENT = { [BASE]: `# The podinfo workload.\n${original(BASE)}` };
const ONE_REPLICA = { [PROD_PATCH]: original(PROD_PATCH).replace("3", "1") };

test("judge: changed leaves alone a violation already on the base that the change does not touch", async () => {
  const { production } = await evaluate(fluxRepo(COMMENT, 5, ONE_REPLICA));
  expect(production.conclusion).toBe("success");
});

test("judge: all judges every rendered object: a violation already on the base fails the change", async () => {
  const all = CONFIG.replace("judge: changed", "judge: all");
  const { production } = await evaluate(fluxRepo(COMMENT, 5, { ...ONE_REPLICA, ".github/stagegate.yml": all }));
  expect(production.conclusion).toBe("failure");
  expect(production.annotations).toEqual([expect.stringMatching(new RegExp(`^${PROD_PATCH}:6 .*1 replica`))]);
  expect(production.output.summary).toContain("0 added, 0 changed, 0 removed (3 objects judged)");
});

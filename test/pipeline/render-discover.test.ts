/**
 * `render: {discover: …}`: production's entry points come from the Flux Kustomization under its `paths`
 * (clusters/production/apps.yaml, `spec.path: ./apps/production`), not from `entry_points`. A change only to
 * the base that overlay includes targets production through the discovered entry point and fails it. The same
 * through an Argo CD Application whose repoURL is this repository.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { startApp, useNock } from "../handlers/harness.js";
import { pullRequest } from "../handlers/payloads.js";
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
    paths: ["clusters/staging/**"]
  production:
    paths: ["clusters/production/**"]
    render: { discover: flux }
`;

// What \`flux bootstrap\` leaves in a repository: the cluster's Kustomization of the apps overlay.
const APPS = `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  sourceRef:
    kind: GitRepository
    name: flux-system
  path: ./apps/production
  prune: true
`;

const ARGO_APPLICATION = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: podinfo-production
  namespace: argocd
spec:
  project: default
  source:
    repoURL: https://github.com/acme/gitops.git
    path: apps/production
  destination: { server: https://kubernetes.default.svc, namespace: podinfo }
`;

const BASE = "apps/base/podinfo/deployment.yaml";

function fixtureFiles(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(FLUX_SHAPED, { withFileTypes: true, recursive: true })) {
    if (e.isFile())
      out[relative(FLUX_SHAPED, join(e.parentPath, e.name))] = readFileSync(join(e.parentPath, e.name), "utf8");
  }
  return out;
}

/** The fixture with `extra` files and `config` on main; PR #5 changes only the base's image to `:latest`. */
async function baseChange(config: string, extra: Record<string, string>) {
  const files = fixtureFiles();
  const fx = new SimGitHub({ ...files, ".github/stagegate.yml": config, ...extra });
  fx.sha.main = fx.repository.branchSha("main")!;
  const latest = files[BASE].replace("ghcr.io/stefanprodan/podinfo:6.9.2", "ghcr.io/stefanprodan/podinfo:latest");
  fx.sha.head = openPull(fx, 5, { from: "main", base: "main", change: { [BASE]: latest } }).head;
  const app = await startApp(fx);
  await app.receive("pull_request", pullRequest(fx, 5, "opened"));
  expect(fx.pending()).toEqual([]);
  return { production: fx.runsNamed(PROD_CHECK)[0], staging: fx.runsNamed(STAGING_CHECK)[0] };
}

test("a change only to the base fails production through its discovered Flux Kustomization", async () => {
  const { production, staging } = await baseChange(CONFIG, { "clusters/production/apps.yaml": APPS });
  expect(production.conclusion).toBe("failure");
  expect(production.annotations.map((a) => `${a.path}:${a.start_line} ${a.message}`)).toEqual([
    expect.stringMatching(new RegExp(`^${BASE}:19 .*podinfo:latest`)),
  ]);
  expect(production.output.summary).toContain("**kustomize apps/production**: 0 added, 1 changed, 0 removed");
  // Staging asks for no rendering and none of its paths changed: green, as before.
  expect(staging.conclusion).toBe("success");
});

test("an Argo CD Application on this repository's address is discovered with discover: argo", async () => {
  const { production } = await baseChange(CONFIG.replace("discover: flux", "discover: argo"), {
    "clusters/production/podinfo.yaml": ARGO_APPLICATION,
  });
  expect(production.conclusion).toBe("failure");
  expect(production.output.summary).toContain("**kustomize apps/production**: 0 added, 1 changed, 0 removed");
});

test("discover: flux passes over an Argo CD Application: nothing renders, and production's paths did not change", async () => {
  const { production } = await baseChange(CONFIG, { "clusters/production/podinfo.yaml": ARGO_APPLICATION });
  expect(production.conclusion).toBe("success");
});

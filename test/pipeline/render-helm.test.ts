/** A Helm entry point in the app: a chart in the repository, rendered with an environment's values files. */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { PACKAGE_ROOT } from "../../src/policy/toolchain.js";
import { startApp, useNock } from "../handlers/harness.js";
import { pullRequest } from "../handlers/payloads.js";
import { openPull, PROD_CHECK } from "../handlers/scenarios.js";
import { SimGitHub } from "../support/github.js";

useNock();

const ROOT = join(PACKAGE_ROOT, "test", "fixtures", "render", "helm-repo");
const CONFIG = `version: 1
policies:
  paths: [policy]
  namespaces: [main]
  library: [images]
schemas:
  kubernetes: { enabled: false }
  unknown_kinds: skip
environments:
  production:
    paths: ["envs/prod/**"]
    render: [{ helm: charts/web, values: [envs/prod/web.yaml] }]
`;
const VALUES = "charts/web/values.yaml";

/** The fixture's web chart (and the library chart it depends on); production's values pin no tag. */
function helmRepo(change: Record<string, string>): SimGitHub {
  const files: Record<string, string> = { ".github/stagegate.yml": CONFIG, "policy/main.rego": "package main\n" };
  for (const e of readdirSync(join(ROOT, "charts"), { withFileTypes: true, recursive: true })) {
    const path = relative(ROOT, join(e.parentPath, e.name));
    if (e.isFile() && /^charts\/(web|lib)\//.test(path)) files[path] = readFileSync(join(ROOT, path), "utf8");
  }
  files["envs/prod/web.yaml"] = "replicaCount: 3\n";
  const fx = new SimGitHub(files);
  openPull(fx, 5, { from: "main", base: "main", change });
  return fx;
}

test("a change to a chart's default values targets the environment rendering it and fails on the values line", async () => {
  const values = readFileSync(join(ROOT, VALUES), "utf8");
  const fx = helmRepo({ [VALUES]: values.replace('tag: "1.2.3"', "tag: latest") });
  const { receive } = await startApp(fx);
  await receive("pull_request", pullRequest(fx, 5, "opened"));
  const [run] = fx.runsNamed(PROD_CHECK);
  expect(run.conclusion).toBe("failure");
  expect(run.annotations.map((a) => `${a.path}:${a.start_line} ${a.message}`)).toEqual([
    expect.stringMatching(new RegExp(`^${VALUES}:4 .*ghcr.io/acme/web:latest`)),
  ]);
  expect(run.output.summary).toContain("**helm charts/web**: 0 added, 1 changed, 0 removed (1 object judged)");
});

/** `render:` on an environment: the list form, the mapping form, and what the config rules refuse. */
import { ConfigError, parseConfig } from "../../src/config/load.js";
import { entryPoints } from "../../src/config/render.js";
import { gatesApply, pushTargets, untouchedBy } from "../../src/config/targeting.js";

const config = (render: string) => `version: 1
environments:
  production:
    paths: ["apps/production/**"]
${render}`;

const problems = (text: string): string[] => {
  try {
    parseConfig(text);
    return [];
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return e.problems.map((p) => `${p.line}: ${p.message}`);
  }
};

test("a list of entry points judges changed objects", () => {
  const env = parseConfig(config("    render: [{kustomize: apps/production}]\n")).environments.production;
  expect(env.render).toEqual({ entry_points: [{ kustomize: "apps/production" }], judge: "changed" });
  expect(entryPoints(env)).toEqual([
    { kind: "kustomize", dir: "apps/production", values: [], label: "kustomize apps/production" },
  ]);
});

test("the mapping form takes entry points, Helm charts with values, and judge: all", () => {
  const text = config(
    "    render:\n      entry_points:\n        - kustomize: apps/production\n" +
      "        - helm: charts/web\n          values: [apps/production/values.yaml]\n      judge: all\n",
  );
  const env = parseConfig(text).environments.production;
  expect(env.render).toEqual({
    entry_points: [{ kustomize: "apps/production" }, { helm: "charts/web", values: ["apps/production/values.yaml"] }],
    judge: "all",
  });
  expect(entryPoints(env)[1]).toMatchObject({ kind: "helm", dir: "charts/web", label: "helm charts/web" });
});

test("no render: the environment has none", () => {
  expect(parseConfig(config("")).environments.production.render).toBeUndefined();
  expect(parseConfig(config("    render: []\n")).environments.production.render).toBeUndefined();
});

test("discover: true, flux or argo renders what the environment's Flux / Argo CD objects declare", () => {
  const render = (r: string) => parseConfig(config(`    render: ${r}\n`)).environments.production.render;
  expect(render("{discover: true}")).toEqual({ entry_points: [], judge: "changed", discover: "all" });
  expect(render("{discover: argo, entry_points: [{kustomize: apps/production}]}")).toEqual({
    entry_points: [{ kustomize: "apps/production" }],
    judge: "changed",
    discover: "argo",
  });
  expect(render("{discover: false}")).toBeUndefined();
  expect(problems(config("    render: {discover: helm}\n"))[0]).toMatch(/render\.discover: must be one of/);
});

test("bad entry points are located problems", () => {
  expect(problems(config("    render: [{kustomize: apps/production, helm: charts/web}]\n"))).toEqual([
    "5: environments.production.render[0]: needs exactly one of `kustomize` (a directory) or `helm` (a chart)",
  ]);
  expect(problems(config("    render: [{kustomize: ../elsewhere}]\n"))[0]).toMatch(
    /render\[0\]\.kustomize: must be a path relative to the repository root/,
  );
  expect(problems(config("    render: [{kustomize: /abs}]\n"))).toHaveLength(1);
  expect(problems(config("    render: [{kustomize: apps/production, values: [v.yaml]}]\n"))).toEqual([
    "5: environments.production.render[0].values: only applies to `helm` entry points",
  ]);
  expect(problems(config("    render:\n      judge: some\n"))[0]).toMatch(/render\.judge: must be one of changed, all/);
  expect(problems(config("    render: [{kustomise: apps/production}]\n")).join("\n")).toMatch(
    /render\[0\]\.kustomise: unknown key \(did you mean "kustomize"\?\)/,
  );
});

test("a push to the default branch that changes a manifest anywhere re-evaluates environments that render", () => {
  const text = `version: 1
environments:
  staging:
    paths: ["apps/staging/**"]
  production:
    paths: ["apps/production/**"]
    render: [{kustomize: apps/production}]
`;
  const cfg = parseConfig(text);
  expect(pushTargets(cfg, "main", "main", ["apps/base/podinfo/deployment.yaml"], false)).toBe(true);
  expect(pushTargets(cfg, "main", "main", ["README.md"], false)).toBe(false);
  delete cfg.environments.production.render;
  expect(pushTargets(cfg, "main", "main", ["apps/base/podinfo/deployment.yaml"], false)).toBe(false);
});

test("an environment whose render reads a changed file is touched, and its gates apply", () => {
  const env = parseConfig(config("    render: [{kustomize: apps/production}]\n")).environments.production;
  const base = ["apps/base/podinfo/deployment.yaml"];
  expect(untouchedBy([env], base, () => new Set())).toEqual([env]);
  expect(untouchedBy([env], base, () => new Set(base))).toEqual([]);
  // Reads that could not be worked out: the environment is judged (its render says why it failed).
  expect(untouchedBy([env], base, () => undefined)).toEqual([]);
  expect(gatesApply(env, base, new Set(base))).toBe(true);
  expect(gatesApply(env, base)).toBe(false);
});

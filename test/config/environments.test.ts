import { readFileSync } from "node:fs";
import {
  environmentsForBranch,
  environmentsForChange,
  environmentsForPaths,
  LIBRARY_NAMES,
  libraryNamespaces,
  manifestFilesFor,
  namespacesFor,
} from "../../src/config/environments.js";
import { parseConfig } from "../../src/config/load.js";

const config = parseConfig(
  [
    "version: 1",
    "policies:",
    "  namespaces: [main]",
    "  library: [images]",
    "environments:",
    "  dev:",
    "    branches: [develop, 'feature/*']",
    "  production:",
    "    branches: [main, 'release/*']",
    "    namespaces: [prod, 'k8s.*']",
    "    library: [pod-security-restricted, images]",
    "  eu-prod:",
    "    paths: ['clusters/eu-prod/**']",
    "    ignore: ['**/kustomizeconfig.yaml']",
    "  us-prod:",
    "    branches: [main]",
    "    paths: ['clusters/us-prod/**']",
    "",
  ].join("\n"),
);
const names = (envs: { name: string }[]) => envs.map((e) => e.name);

describe("environmentsForBranch", () => {
  test.each([
    ["main", ["production", "us-prod"]],
    ["release/1.4", ["production"]],
    ["release/1.4/hotfix", []],
    ["develop", ["dev"]],
    ["feature/x", ["dev"]],
    ["mainline", []],
  ])("%s → %j", (branch, expected) => {
    expect(names(environmentsForBranch(config, branch))).toEqual(expected);
  });
});

describe("environmentsForPaths", () => {
  test("only environments with matching path globs", () => {
    expect(names(environmentsForPaths(config, ["clusters/eu-prod/app/deploy.yaml"]))).toEqual(["eu-prod"]);
    expect(names(environmentsForPaths(config, ["clusters/us-prod/a.yaml", "clusters/eu-prod/b.yaml"]))).toEqual([
      "eu-prod",
      "us-prod",
    ]);
    expect(names(environmentsForPaths(config, ["README.md", "clusters/eu-staging/a.yaml"]))).toEqual([]);
    expect(environmentsForPaths(config, [])).toEqual([]);
  });
});

describe("environmentsForChange", () => {
  test("every condition an environment has must hold", () => {
    expect(names(environmentsForChange(config, "main", ["clusters/us-prod/a.yaml"]))).toEqual([
      "production",
      "us-prod",
    ]);
    expect(names(environmentsForChange(config, "main", ["apps/a.yaml"]))).toEqual(["production"]);
    expect(
      names(environmentsForChange(config, "develop", ["clusters/eu-prod/a.yaml", "clusters/us-prod/a.yaml"])),
    ).toEqual(["dev", "eu-prod"]);
  });
});

describe("manifestFilesFor", () => {
  const files = [
    "apps/web/deploy.yaml",
    "apps/web/values.yml",
    "apps/web/config.json",
    "apps/web/README.md",
    ".github/workflows/ci.yml",
    "clusters/eu-prod/app/deploy.yaml",
    "clusters/eu-prod/kustomizeconfig.yaml",
    "clusters/us-prod/app/deploy.yaml",
    "top.yaml",
  ];

  test("manifest globs select YAML and JSON, skipping dot-directories", () => {
    expect(manifestFilesFor(config.environments.production, files)).toEqual([
      "apps/web/deploy.yaml",
      "apps/web/values.yml",
      "apps/web/config.json",
      "clusters/eu-prod/app/deploy.yaml",
      "clusters/eu-prod/kustomizeconfig.yaml",
      "clusters/us-prod/app/deploy.yaml",
      "top.yaml",
    ]);
  });

  test("paths restrict and ignore removes", () => {
    expect(manifestFilesFor(config.environments["eu-prod"], files)).toEqual(["clusters/eu-prod/app/deploy.yaml"]);
    expect(manifestFilesFor(config.environments["us-prod"], files)).toEqual(["clusters/us-prod/app/deploy.yaml"]);
  });

  test("a dot-directory matches when a glob names it", () => {
    const env = { ...config.environments.production, manifests: [".flux/**/*.yaml"], ignore: [] };
    expect(manifestFilesFor(env, [".flux/a/b.yaml", "a/b.yaml"])).toEqual([".flux/a/b.yaml"]);
  });
});

describe("library namespaces", () => {
  test("names map to stagegate.lib packages; restricted includes baseline", () => {
    expect(libraryNamespaces(["pod-security-baseline"])).toEqual(["stagegate.lib.pod_security_baseline"]);
    expect(libraryNamespaces(["pod-security-restricted"])).toEqual([
      "stagegate.lib.pod_security_baseline",
      "stagegate.lib.pod_security_restricted",
    ]);
    expect(libraryNamespaces(["images", "pod-security-baseline", "pod-security-restricted", "images"])).toEqual([
      "stagegate.lib.images",
      "stagegate.lib.pod_security_baseline",
      "stagegate.lib.pod_security_restricted",
    ]);
    expect(libraryNamespaces([])).toEqual([]);
  });

  test("unknown names throw", () => {
    expect(() => libraryNamespaces(["podsecurity"])).toThrow(/unknown library package "podsecurity"/);
    expect(() => libraryNamespaces(["constructor"])).toThrow(/unknown library package/);
  });

  test("the schema's enum lists exactly the known names", () => {
    const schema = JSON.parse(
      readFileSync(new URL("../../schemas/stagegate-config.schema.json", import.meta.url), "utf8"),
    );
    expect([...schema.$defs.library.items.enum].sort()).toEqual([...LIBRARY_NAMES].sort());
  });

  test("namespacesFor combines top-level and environment library, and the environment's namespaces", () => {
    expect(namespacesFor(config, config.environments.production)).toEqual({
      namespaces: ["prod", "k8s.*"],
      library: ["stagegate.lib.images", "stagegate.lib.pod_security_baseline", "stagegate.lib.pod_security_restricted"],
    });
    expect(namespacesFor(config, config.environments.dev)).toEqual({
      namespaces: ["main"],
      library: ["stagegate.lib.images"],
    });
  });
});

test("manifest globs match file extensions case-insensitively", () => {
  const config = parseConfig('version: 1\nenvironments:\n  production:\n    paths: ["envs/production/**"]\n');
  expect(
    manifestFilesFor(config.environments.production, [
      "envs/production/a.YML",
      "envs/production/b.Yaml",
      "envs/production/c.txt",
    ]),
  ).toEqual(["envs/production/a.YML", "envs/production/b.Yaml"]);
});

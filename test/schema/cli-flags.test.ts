import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli/main.js";

// A repository with a config, a policy that never fires, a CRD and manifests: only schemas decide.
let repo: string;
beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), "stagegate-schema-flags-"));
  const files: Record<string, string> = {
    ".github/stagegate.yml": "version: 1\nenvironments: { prod: { branches: [main], mode: enforce } }\n",
    "policy/main.rego": 'package main\n\ndeny contains msg if {\n  input.never\n  msg := "never"\n}\n',
    "crds/widget.yaml":
      "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: { name: widgets.example.com }\n" +
      "spec:\n  group: example.com\n  names: { kind: Widget, plural: widgets }\n  scope: Namespaced\n  versions:\n" +
      "    - name: v1\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema:\n" +
      "          type: object\n          properties:\n            spec:\n              type: object\n" +
      "              properties: { size: { type: integer } }\n",
    "apps/widget.yaml": "apiVersion: example.com/v1\nkind: Widget\nmetadata: { name: w }\nspec: { size: big }\n",
    "apps/flow.yaml":
      "apiVersion: flowcontrol.apiserver.k8s.io/v1beta3\nkind: FlowSchema\nmetadata: { name: f }\n" +
      "spec: { priorityLevelConfiguration: { name: global-default } }\n",
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(repo, path, ".."), { recursive: true });
    writeFileSync(join(repo, path), text);
  }
});
afterAll(() => rmSync(repo, { recursive: true, force: true }));

async function check(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(["check", "--no-cache", ...args], {
    out: (s) => out.push(s),
    err: (s) => err.push(s),
    cwd: repo,
  });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

test("--kubernetes-version chooses the schemas: v1beta3 FlowSchema is served by 1.30, removed by 1.37", async () => {
  const old = await check("--kubernetes-version", "1.30", "apps/flow.yaml");
  expect(old.out).toContain("schema/deprecated-api");
  expect(old.code).toBe(0);
  const current = await check("apps/flow.yaml");
  expect(current.out).toContain("schema/removed-api");
  expect(current.out).toContain("removed in Kubernetes 1.32 (checked against 1.37)");
  expect(current.code).toBe(1);
});

test("--crd validates custom resources from their CRD; without it the kind is unknown", async () => {
  const withCrd = await check("--crd", "crds", "apps/widget.yaml");
  expect(withCrd.out).toContain("schema/type");
  expect(withCrd.code).toBe(1);
  const without = await check("apps/widget.yaml");
  expect(without.out).toContain("schema/unknown-kind");
  expect(without.code).toBe(0);
  const ignored = await check("--ignore-missing-schemas", "apps/widget.yaml");
  expect(ignored.out).not.toContain("schema/unknown-kind");
});

test("an unknown --kubernetes-version is a usage error", async () => {
  const r = await check("--kubernetes-version", "1.20", "apps/flow.yaml");
  expect(r.code).toBe(2);
  expect(r.err).toContain("--kubernetes-version 1.20: schemas exist for 1.30, 1.34, 1.35, 1.36, 1.37");
});

test("--summary counts valid, invalid and schema-less documents (kubeconform's -summary)", async () => {
  const r = await check("--summary", "apps");
  expect(r.out.split("\n").at(-1)).toBe("Summary: 2 resources found in 2 files - Valid: 0, Invalid: 1, No schema: 1");
  const withCrd = await check("--summary", "--crd", "crds/widget.yaml", "--kubernetes-version", "1.30", "apps");
  expect(withCrd.out.split("\n").at(-1)).toBe(
    "Summary: 2 resources found in 2 files - Valid: 1, Invalid: 1, No schema: 0",
  );
});

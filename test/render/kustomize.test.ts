import { existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderKustomize, type RenderedEntry } from "../../src/render/render.js";
import type { DocPath, ManifestDocument } from "../../src/types.js";
import { fixtureReader, memoryReader } from "./reader.js";

function doc(r: RenderedEntry, kind: string): ManifestDocument {
  const found = r.files.flatMap((f) => f.documents).find((d) => d.value.kind === kind);
  if (!found) throw new Error(`no ${kind} rendered`);
  return found;
}

const at = (d: ManifestDocument, path: DocPath) => {
  const l = d.locate(path);
  return `${l.file}:${l.line}`;
};

describe("rendering a base with staging and production overlays", () => {
  test("renders the objects, without kustomize's build annotations, and lists what it read", async () => {
    const r = await renderKustomize(fixtureReader(), "apps/production");
    expect(r.problems).toEqual([]);
    expect(r.objects.map((o) => o.value.kind).sort()).toEqual(["Deployment", "Namespace", "Service"]);
    expect(JSON.stringify(r.objects)).not.toContain("config.kubernetes.io");
    expect(r.objects.every((o) => !("annotations" in (o.value.metadata as object)))).toBe(true);
    expect(r.reads).toEqual([
      "apps/base/podinfo/deployment.yaml",
      "apps/base/podinfo/kustomization.yaml",
      "apps/base/podinfo/namespace.yaml",
      "apps/base/podinfo/service.yaml",
      "apps/production/kustomization.yaml",
      "apps/production/replicas.yaml",
      "apps/production/resources.json-patch.yaml",
    ]);
    const d = doc(r, "Deployment");
    expect(d.value).toMatchObject({ metadata: { name: "podinfo", namespace: "podinfo" }, spec: { replicas: 3 } });
    expect(d.file).toBe("apps/base/podinfo/deployment.yaml");
  });

  test("a field the base sets maps to the base file's line", async () => {
    const r = await renderKustomize(fixtureReader(), "apps/production");
    const d = doc(r, "Deployment");
    expect(at(d, ["spec", "template", "spec", "containers", 1, "image"])).toBe("apps/base/podinfo/deployment.yaml:19");
    expect(at(d, ["spec", "template", "spec", "containers", 1, "env", 0, "value"])).toBe(
      "apps/base/podinfo/deployment.yaml:24",
    );
    // A field nothing sets: the nearest place that holds its parent (the container in the base).
    expect(at(d, ["spec", "template", "spec", "containers", 0, "securityContext"])).toBe(
      "apps/base/podinfo/deployment.yaml:16",
    );
  });

  test("a field a strategic-merge patch sets maps to the patch file's line", async () => {
    const prod = await renderKustomize(fixtureReader(), "apps/production");
    expect(at(doc(prod, "Deployment"), ["spec", "replicas"])).toBe("apps/production/replicas.yaml:6");
    const staging = await renderKustomize(fixtureReader(), "apps/staging");
    const d = doc(staging, "Deployment");
    // The merge moved the patched container first; containers are matched by name, not index.
    expect(at(d, ["spec", "template", "spec", "containers", 0, "env", 0, "value"])).toBe(
      "apps/staging/log-level.yaml:12",
    );
    expect(at(d, ["spec", "template", "spec", "containers", 0, "image"])).toBe("apps/base/podinfo/deployment.yaml:19");
    expect(at(d, ["spec", "template", "spec", "containers", 1, "image"])).toBe("apps/base/podinfo/deployment.yaml:17");
    expect(at(d, ["spec", "replicas"])).toBe("apps/base/podinfo/deployment.yaml:6");
  });

  test("a field a JSON6902 patch adds maps to the operation's value", async () => {
    const r = await renderKustomize(fixtureReader(), "apps/production");
    const d = doc(r, "Deployment");
    expect(d.value).toMatchObject({
      spec: { template: { spec: { containers: [{}, { resources: { limits: { memory: "256Mi" } } }] } } },
    });
    expect(at(d, ["spec", "template", "spec", "containers", 1, "resources", "limits", "memory"])).toBe(
      "apps/production/resources.json-patch.yaml:5",
    );
  });

  test("an inline patch maps to its line inside the kustomization", async () => {
    const kustomization = [
      "resources:",
      "  - ../base/podinfo",
      "patches:",
      "  - target:",
      "      kind: Deployment",
      "    patch: |-",
      "      - op: replace",
      "        path: /spec/replicas",
      "        value: 5",
    ].join("\n");
    const r = await renderKustomize(
      fixtureReader({ "apps/staging/kustomization.yaml": kustomization }),
      "apps/staging",
    );
    expect(r.problems).toEqual([]);
    const d = doc(r, "Deployment");
    expect(d.value).toMatchObject({ spec: { replicas: 5 } });
    const l = d.locate(["spec", "replicas"]);
    expect([l.file, l.line, l.column]).toEqual(["apps/staging/kustomization.yaml", 9, 9]);
  });
});

describe("a directory without a kustomization (as Flux renders it)", () => {
  test("its Kubernetes YAML files and its subdirectories with a kustomization are the resources", async () => {
    const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  a: "1"\n`;
    const r = await renderKustomize(
      memoryReader({
        "clusters/prod/a.yaml": cm("a"),
        "clusters/prod/notes.yaml": "title: not an object\n",
        "clusters/prod/deep/b.yml": cm("b"),
        "clusters/prod/apps/kustomization.yaml": "resources:\n  - c.yaml\n",
        "clusters/prod/apps/c.yaml": cm("c"),
        "clusters/prod/apps/ignored.yaml": cm("ignored"),
      }),
      "clusters/prod",
    );
    expect(r.problems).toEqual([]);
    expect(r.objects.map((o) => (o.value.metadata as { name: string }).name).sort()).toEqual(["a", "b", "c"]);
    expect(r.reads).not.toContain("clusters/prod/kustomization.yaml");
    const b = r.files.flatMap((f) => f.documents).find((d) => d.file === "clusters/prod/deep/b.yml")!;
    expect(b.locate(["data", "a"])).toMatchObject({ file: "clusters/prod/deep/b.yml", line: 6 });
  });
});

describe("what is not rendered is a located failure", () => {
  const base = "resources:\n  - ../base/podinfo\n";

  test("a missing file names the file, on the line that references it", async () => {
    const k = base + "configMapGenerator:\n  - name: scripts\n    files:\n      - scripts/backup.sh\n";
    const r = await renderKustomize(fixtureReader({ "apps/staging/kustomization.yaml": k }), "apps/staging");
    expect(r.objects).toEqual([]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({
      ruleId: "render/missing-file",
      severity: "failure",
      location: { file: "apps/staging/kustomization.yaml", line: 6 },
    });
    expect(r.problems[0].message).toContain("apps/staging/scripts/backup.sh does not exist");
  });

  test("several missing files: one failure naming them all", async () => {
    const k = "resources:\n  - ../nowhere\n  - gone.yaml\n";
    const r = await renderKustomize(fixtureReader({ "apps/staging/kustomization.yaml": k }), "apps/staging");
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0].location).toMatchObject({ file: "apps/staging/kustomization.yaml", line: 2 });
    expect(r.problems[0].message).toMatch(/apps\/nowhere .*also missing: apps\/staging\/gone\.yaml/);
  });

  test("a remote base is refused before kustomize runs", async () => {
    const k = base + "  - github.com/acme/infra//base?ref=v1.2.3\n  - https://example.com/all.yaml\n";
    const r = await renderKustomize(fixtureReader({ "apps/staging/kustomization.yaml": k }), "apps/staging");
    expect(r.problems.map((p) => [p.ruleId, p.location.line])).toEqual([
      ["render/remote-base", 3],
      ["render/remote-base", 4],
    ]);
  });

  test("a cycle of kustomizations", async () => {
    const r = await renderKustomize(
      fixtureReader({
        "loop/a/kustomization.yaml": "resources:\n  - ../b\n",
        "loop/b/kustomization.yaml": "resources:\n  - ../a\n",
      }),
      "loop/a",
    );
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ ruleId: "render/cycle", location: { file: "loop/b/kustomization.yaml" } });
    expect(r.problems[0].message).toContain("loop/a → loop/b → loop/a");
  });

  test("a directory without a kustomization, a path outside the repository, Helm charts", async () => {
    const none = await renderKustomize(fixtureReader(), "apps/base");
    expect(none.problems.map((p) => p.ruleId)).toEqual(["render/not-kustomization"]);
    const k =
      base + "  - ../../../etc\nhelmCharts:\n  - name: podinfo\n    repo: https://stefanprodan.github.io/podinfo\n";
    const r = await renderKustomize(fixtureReader({ "apps/staging/kustomization.yaml": k }), "apps/staging");
    expect(r.problems.map((p) => [p.ruleId, p.location.line])).toEqual([
      ["render/outside-repository", 3],
      ["render/helm-not-rendered", 4],
    ]);
  });

  test("a Component is not an entry point", async () => {
    const component = "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n  - cm.yaml\n";
    const r = await renderKustomize(
      fixtureReader({ "comp/kustomization.yaml": component, "comp/cm.yaml": "kind: ConfigMap\n" }),
      "comp",
    );
    expect(r.problems.map((p) => [p.ruleId, p.location.file, p.location.line])).toEqual([
      ["render/component-entry", "comp/kustomization.yaml", 2],
    ]);
  });

  test("kustomize's own error is reported with repository paths, not the sandbox's", async () => {
    const patch = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: nope\nspec:\n  replicas: 2\n";
    const k = base + "patches:\n  - path: nope.yaml\n";
    const r = await renderKustomize(
      fixtureReader({ "apps/staging/kustomization.yaml": k, "apps/staging/nope.yaml": patch }),
      "apps/staging",
    );
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0].ruleId).toBe("render/failed");
    expect(r.problems[0].message).toContain("kustomize build failed");
    expect(r.problems[0].message).not.toContain(tmpdir());
    expect(r.problems[0].location.file).toMatch(/^apps\/staging\//);
  });

  test("exec and KRM function plugins are not run", async () => {
    const marker = join(tmpdir(), `stagegate-render-marker-${process.pid}`);
    rmSync(marker, { force: true });
    const fn = [
      "apiVersion: example.com/v1",
      "kind: Touch",
      "metadata:",
      "  name: touch",
      "  annotations:",
      "    config.kubernetes.io/function: |",
      "      exec:",
      "        path: ./touch.sh",
      "",
    ].join("\n");
    const r = await renderKustomize(
      fixtureReader({
        "apps/staging/kustomization.yaml": base + "transformers:\n  - touch.yaml\n",
        "apps/staging/touch.yaml": fn,
        "apps/staging/touch.sh": `#!/bin/sh\ntouch ${marker}\n`,
      }),
      "apps/staging",
    );
    expect(r.problems.map((p) => p.ruleId)).toEqual(["render/failed"]);
    expect(r.problems[0].message).toContain("external plugins disabled");
    expect(existsSync(marker)).toBe(false);
  });

  test("a render that runs past its time limit is stopped", async () => {
    const limits = { timeoutMs: 1, maxOutputBytes: 1 << 20, maxMemoryBytes: 1 << 30 };
    const r = await renderKustomize(fixtureReader(), "apps/staging", { limits });
    expect(r.problems.map((p) => [p.ruleId, p.location.file])).toEqual([
      ["render/limit", "apps/staging/kustomization.yaml"],
    ]);
  });
});

import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { discoverFromReader, renderDiscovered } from "../../src/render/discover-read.js";
import { renderEntry, renderHelm } from "../../src/render/render.js";
import type { RenderReader } from "../../src/render/reader.js";
import type { DocPath, ManifestDocument } from "../../src/types.js";
import { PACKAGE_ROOT } from "../../src/policy/toolchain.js";

const ROOT = join(PACKAGE_ROOT, "test", "fixtures", "render", "helm-repo");

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/** The fixture repository with a file listing, some files replaced or added in memory. */
function reader(overrides: Record<string, string> = {}, textOnly = false): RenderReader {
  const files = [...new Set([...walk(ROOT).map((f) => relative(ROOT, f)), ...Object.keys(overrides)])];
  return {
    async readFile(path) {
      if (path in overrides) return overrides[path];
      try {
        // As the git revision reader does: archives as bytes (the working tree reader gives text only).
        if (!textOnly && path.endsWith(".tgz")) return new Uint8Array(readFileSync(join(ROOT, path)));
        return readFileSync(join(ROOT, path), "utf8");
      } catch {
        return undefined;
      }
    },
    async listFiles(dir) {
      return files.filter((f) => dir === "." || f.startsWith(`${dir}/`));
    },
  };
}

function doc(docs: ManifestDocument[], kind: string): ManifestDocument {
  const found = docs.find((d) => d.value.kind === kind);
  if (!found) throw new Error(`no ${kind} rendered`);
  return found;
}

const at = (d: ManifestDocument, path: DocPath) => {
  const l = d.locate(path);
  return `${l.file}:${l.line}`;
};

describe("helm template of an in-repository chart", () => {
  test("renders templates with the chart's values, a local dependency, and lists what it read", async () => {
    const r = await renderHelm(reader(), "charts/web", { releaseName: "shop", namespace: "prod" });
    expect(r.problems).toEqual([]);
    expect(r.objects.map((o) => o.value.kind).sort()).toEqual(["ConfigMap", "Deployment", "Service"]);
    expect(r.reads).toEqual([
      "charts/lib/Chart.yaml",
      "charts/lib/templates/configmap.yaml",
      "charts/web/Chart.yaml",
      "charts/web/templates/deployment.yaml",
      "charts/web/templates/service.yaml",
      "charts/web/values.yaml",
    ]);
    const docs = r.files.flatMap((f) => f.documents);
    const d = doc(docs, "Deployment");
    expect(d.value).toMatchObject({ metadata: { name: "shop" }, spec: { replicas: 1 } });
    expect(d.file).toBe("charts/web/templates/deployment.yaml");
    expect(doc(docs, "Service").value).toMatchObject({ metadata: { namespace: "prod" } });
    // The dependency's object is placed on the dependency's own template.
    expect(doc(docs, "ConfigMap").file).toBe("charts/lib/templates/configmap.yaml");
  });

  test("values files apply in order; fields map to the values line that set them, else the template line", async () => {
    const r = await renderHelm(reader(), "charts/web", { valuesFiles: ["envs/prod/web.yaml"] });
    expect(r.problems).toEqual([]);
    expect(r.reads).toContain("envs/prod/web.yaml");
    const d = doc(
      r.files.flatMap((f) => f.documents),
      "Deployment",
    );
    const container = ["spec", "template", "spec", "containers", 0];
    expect(d.value).toMatchObject({
      spec: { replicas: 3, template: { spec: { containers: [{ image: "ghcr.io/acme/web:latest" }] } } },
    });
    expect(at(d, ["spec", "replicas"])).toBe("envs/prod/web.yaml:1");
    expect(at(d, [...container, "image"])).toBe("envs/prod/web.yaml:3");
    // Through toYaml: the chart's values.yaml holds it.
    expect(at(d, [...container, "resources", "limits", "memory"])).toBe("charts/web/values.yaml:7");
    // A field set in the template itself.
    expect(at(d, [...container, "name"])).toBe("charts/web/templates/deployment.yaml:18");
  });

  test("inline values (a HelmRelease's spec.values) win over the values files, on the declaring line", async () => {
    const origin = { file: "clusters/prod/web.yaml", line: 9 };
    const r = await renderHelm(reader(), "charts/web", {
      valuesFiles: ["envs/prod/web.yaml"],
      inlineValues: { replicaCount: 5 },
      origin,
    });
    expect(r.problems).toEqual([]);
    const d = doc(
      r.files.flatMap((f) => f.documents),
      "Deployment",
    );
    expect(d.value).toMatchObject({ spec: { replicas: 5 } });
    expect(at(d, ["spec", "replicas"])).toBe("clusters/prod/web.yaml:9");
    expect(at(d, ["spec", "template", "spec", "containers", 0, "image"])).toBe("envs/prod/web.yaml:3");
    expect(r.reads).toContain("clusters/prod/web.yaml");
  });

  test("a dependency from a chart repository that is not vendored fails closed, on its line", async () => {
    const r = await renderHelm(reader(), "charts/remote-dep");
    expect(r.objects).toEqual([]);
    expect(r.problems).toEqual([
      expect.objectContaining({
        ruleId: "render/helm-remote-chart",
        severity: "failure",
        location: expect.objectContaining({ file: "charts/remote-dep/Chart.yaml", line: 7 }),
      }),
    ]);
    expect(r.problems[0].message).toContain("not rendered offline");
    expect(r.files).toEqual([expect.objectContaining({ file: "charts/remote-dep/Chart.yaml", problems: r.problems })]);
  });

  test("a template error is a located failure on the template's line", async () => {
    const broken =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: {{ required "set a" .Values.a }}\n';
    const r = await renderHelm(reader({ "charts/web/templates/broken.yaml": broken }), "charts/web");
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({
      ruleId: "render/failed",
      location: { file: "charts/web/templates/broken.yaml", line: 6 },
    });
    expect(r.problems[0].message).toContain("set a");
    expect(r.problems[0].message).not.toMatch(/stagegate-helm-/);
  });

  test("a values file that does not exist, or is not YAML, is a located failure", async () => {
    const origin = { file: "clusters/prod/web.yaml", line: 9 };
    const missing = await renderHelm(reader(), "charts/web", { valuesFiles: ["envs/nope.yaml"], origin });
    expect(missing.problems).toEqual([expect.objectContaining({ ruleId: "render/missing-file", location: origin })]);
    const bad = await renderHelm(reader({ "envs/bad.yaml": "a: 1\nb: [\n" }), "charts/web", {
      valuesFiles: ["envs/bad.yaml"],
    });
    expect(bad.problems).toHaveLength(1);
    expect(bad.problems[0].location.file).toBe("envs/bad.yaml");
  });

  test("renderEntry renders a directory with a Chart.yaml as a chart", async () => {
    const r = await renderEntry(reader(), "charts/web/");
    expect(r.entry).toBe("charts/web");
    expect(r.problems).toEqual([]);
    expect(r.objects).toHaveLength(3);
  });

  test("a chart that prints too much is stopped: a located failure, not a crash", async () => {
    const flood =
      "{{ range until 5000 }}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{{ . }}\n{{ end }}\n";
    const limits = { timeoutMs: 60_000, maxOutputBytes: 64 * 1024, maxMemoryBytes: 1024 * 1024 * 1024 };
    const r = await renderHelm(reader({ "charts/web/templates/flood.yaml": flood }), "charts/web", { limits });
    expect(r.objects).toEqual([]);
    expect(r.problems).toEqual([
      expect.objectContaining({ ruleId: "render/limit", location: { file: "charts/web/Chart.yaml", line: 1 } }),
    ]);
    expect(r.problems[0].message).toContain("printed too much");
  });

  test("a vendored dependency (unpacked under charts/) renders offline", async () => {
    const vendored = {
      "charts/remote-dep/charts/redis/Chart.yaml": "apiVersion: v2\nname: redis\nversion: 20.0.0\n",
      "charts/remote-dep/charts/redis/templates/svc.yaml":
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: redis\nspec:\n  ports: [{port: 6379}]\n",
    };
    const r = await renderHelm(reader(vendored), "charts/remote-dep");
    expect(r.problems).toEqual([]);
    expect(r.objects.map((o) => o.value.kind).sort()).toEqual(["ConfigMap", "Service"]);
    expect(r.files.map((f) => f.file).sort()).toEqual([
      "charts/remote-dep/charts/redis/templates/svc.yaml",
      "charts/remote-dep/templates/cm.yaml",
    ]);
  });
});

describe("a packaged dependency vendored in charts/", () => {
  test("renders offline from the archive; its objects are placed on the chart's Chart.yaml", async () => {
    const r = await renderHelm(reader(), "charts/vendored", { releaseName: "app" });
    expect(r.problems).toEqual([]);
    expect(r.objects.map((o) => (o.value.metadata as { name: string }).name).sort()).toEqual(["app", "app-redis"]);
    expect(r.reads).toContain("charts/vendored/charts/redis-1.0.0.tgz");
    const svc = doc(
      r.files.flatMap((f) => f.documents),
      "Service",
    );
    expect(at(svc, ["spec", "ports"])).toBe("charts/vendored/Chart.yaml:1");
    const finding = {
      ruleId: "x",
      message: "ports",
      severity: "failure" as const,
      source: "policy" as const,
      location: svc.locate(["spec", "ports"]),
    };
    r.annotate([finding]);
    expect(finding.message).toBe(
      "ports (rendered from a packaged dependency in charts/; shown on the chart's Chart.yaml)",
    );
  });

  test("a reader that gives only text cannot carry the archive: a located failure, not a corrupt render", async () => {
    const r = await renderHelm(reader({}, true), "charts/vendored");
    expect(r.problems).toEqual([
      expect.objectContaining({
        ruleId: "render/helm-unreadable",
        location: { file: "charts/vendored/charts/redis-1.0.0.tgz", line: 1 },
      }),
    ]);
  });
});

describe("a Flux HelmRelease on a chart of this repository", () => {
  const release = [
    "apiVersion: helm.toolkit.fluxcd.io/v2",
    "kind: HelmRelease",
    "metadata: {name: web, namespace: shop}",
    "spec:",
    "  chart:",
    "    spec:",
    "      chart: ./charts/web",
    "      valuesFiles: [envs/prod/web.yaml]",
    "      sourceRef: {kind: GitRepository, name: flux-system, namespace: flux-system}",
    "  values:",
    "    resources: {limits: {memory: 1Gi}}",
  ].join("\n");

  test("is discovered and rendered with its values files and inline values, under its release name", async () => {
    const repo = reader({ "clusters/prod/web.yaml": release });
    const d = await discoverFromReader(repo);
    expect(d.entries).toHaveLength(1);
    const r = await renderDiscovered(repo, d.entries[0]);
    expect(r.problems).toEqual([]);
    const dep = doc(
      r.files.flatMap((f) => f.documents),
      "Deployment",
    );
    expect(dep.value).toMatchObject({
      metadata: { name: "web" },
      spec: { replicas: 3, template: { spec: { containers: [{ resources: { limits: { memory: "1Gi" } } }] } } },
    });
    expect(
      doc(
        r.files.flatMap((f) => f.documents),
        "Service",
      ).value,
    ).toMatchObject({ metadata: { namespace: "shop" } });
    const memory = ["spec", "template", "spec", "containers", 0, "resources", "limits", "memory"];
    expect(at(dep, memory)).toBe("clusters/prod/web.yaml:11");
    expect(r.reads).toEqual(expect.arrayContaining(["clusters/prod/web.yaml", "envs/prod/web.yaml"]));
  });
});

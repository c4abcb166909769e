import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parseManifestFile, type ParsedFile } from "../../src/manifests/parse.js";
import { discoverEntryPoints, normalizeRepoUrl, type Discovery } from "../../src/render/discover.js";

const CORPUS = "/work/shared/corpus";
const corpus = existsSync(join(CORPUS, "fluxcd__flux2-kustomize-helm-example")) ? describe : describe.skip;

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.name.startsWith(".") ? [] : e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/** Every YAML file of a corpus repository, parsed, and the list of its files. */
function repo(name: string): { parsed: ParsedFile[]; files: string[] } {
  const root = join(CORPUS, name);
  const files = walk(root).map((f) => relative(root, f));
  const parsed = files
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => parseManifestFile({ path: f, content: readFileSync(join(root, f), "utf8") }));
  return { parsed, files };
}

function memory(files: Record<string, string>): ParsedFile[] {
  return Object.entries(files).map(([path, content]) => parseManifestFile({ path, content }));
}

const summary = (d: Discovery) => d.entries.map((e) => `${e.kind} ${e.path} ${e.origin.file}:${e.origin.line}`);

corpus("discovery on the shared corpus", () => {
  test("Flux's example: the apps and infrastructure Kustomizations, through the ArtifactGenerator", () => {
    const { parsed, files } = repo("fluxcd__flux2-kustomize-helm-example");
    const d = discoverEntryPoints(parsed, { files });
    expect(summary(d).sort()).toEqual([
      "kustomize apps/production clusters/production/apps.yaml:16",
      "kustomize apps/staging clusters/staging/apps.yaml:16",
      "kustomize infrastructure/configs clusters/production/infrastructure.yaml:32",
      "kustomize infrastructure/configs clusters/staging/infrastructure.yaml:32",
      "kustomize infrastructure/controllers clusters/production/infrastructure.yaml:14",
      "kustomize infrastructure/controllers clusters/staging/infrastructure.yaml:14",
    ]);
    // The podinfo HelmRelease takes its chart from a Helm repository: passed over, and said why.
    const helm = d.skipped.filter((s) => s.by.startsWith("Flux HelmRelease"));
    expect(helm.map((s) => s.reason)).toContain(
      "its chart comes from HelmRepository podinfo, not from this repository",
    );
    expect(d.entries.find((e) => e.path === "apps/staging")!.by).toBe("Flux Kustomization flux-system/apps");
  });

  test("bjw-s home-ops: every Kustomization on the bootstrap GitRepository is an entry point", () => {
    const { parsed, files } = repo("bjw-s-labs__home-ops");
    const d = discoverEntryPoints(parsed, { files });
    const litellm = d.entries.find((e) => e.path === "kubernetes/apps/ai/litellm/app");
    expect(litellm).toMatchObject({
      kind: "kustomize",
      namespace: "ai",
      origin: { file: "kubernetes/apps/ai/litellm/ks.yaml" },
    });
    expect(d.entries.length).toBeGreaterThan(50);
    expect(d.entries.every((e) => !e.path.startsWith("./") && e.kind === "kustomize")).toBe(true);
  });

  test("Argo CD: Applications on a configured repository address are found, the others are passed over", () => {
    const { parsed, files } = repo("argoproj__argo-cd");
    const none = discoverEntryPoints(parsed, { files });
    expect(none.entries).toEqual([]);
    expect(none.skipped.length).toBeGreaterThan(0);
    const d = discoverEntryPoints(parsed, { files, repoUrls: ["git@github.com:argoproj/argo-cd.git"] });
    expect(d.entries.length).toBeGreaterThan(0);
    for (const e of d.entries) expect(e.by).toMatch(/^Argo CD Application(Set)? /);
  });
});

describe("discovery rules", () => {
  test("repository addresses compare without scheme, user, .git or host case", () => {
    const same = [
      "https://GitHub.com/acme/gitops.git",
      "git@github.com:acme/gitops.git",
      "ssh://git@github.com/acme/gitops/",
    ];
    expect(new Set(same.map(normalizeRepoUrl))).toEqual(new Set(["github.com/acme/gitops"]));
  });

  test("a Flux Kustomization on a GitRepository of another address is passed over, on one of ours is found", () => {
    const parsed = memory({
      "clusters/prod/sources.yaml": [
        "apiVersion: source.toolkit.fluxcd.io/v1",
        "kind: GitRepository",
        "metadata: {name: other, namespace: flux-system}",
        "spec: {url: https://github.com/acme/other}",
        "---",
        "apiVersion: source.toolkit.fluxcd.io/v1",
        "kind: GitRepository",
        "metadata: {name: ours, namespace: flux-system}",
        "spec: {url: https://github.com/acme/gitops}",
      ].join("\n"),
      "clusters/prod/apps.yaml": [
        "apiVersion: kustomize.toolkit.fluxcd.io/v1",
        "kind: Kustomization",
        "metadata: {name: a, namespace: flux-system}",
        "spec:",
        "  sourceRef: {kind: GitRepository, name: other}",
        "  path: ./apps",
        "---",
        "apiVersion: kustomize.toolkit.fluxcd.io/v1",
        "kind: Kustomization",
        "metadata: {name: b, namespace: flux-system}",
        "spec:",
        "  sourceRef: {kind: GitRepository, name: ours}",
        "  path: ./apps/prod/",
      ].join("\n"),
    });
    const d = discoverEntryPoints(parsed, { repoUrls: ["git@github.com:acme/gitops.git"] });
    expect(summary(d)).toEqual(["kustomize apps/prod clusters/prod/apps.yaml:13"]);
    expect(d.skipped).toEqual([
      expect.objectContaining({ reason: expect.stringContaining("https://github.com/acme/other, not one of") }),
    ]);
  });

  test("an ExternalArtifact copying the whole repository maps paths one to one", () => {
    const parsed = memory({
      "clusters/prod/sync.yaml": [
        "apiVersion: source.extensions.fluxcd.io/v1beta1",
        "kind: ArtifactGenerator",
        "metadata: {name: gen, namespace: flux-system}",
        "spec:",
        "  sources: [{alias: repo, kind: GitRepository, name: flux-system}]",
        "  artifacts:",
        "    - name: all",
        "      copy: [{from: '@repo/**', to: '@artifact/'}]",
        "---",
        "apiVersion: kustomize.toolkit.fluxcd.io/v1",
        "kind: Kustomization",
        "metadata: {name: apps, namespace: flux-system}",
        "spec:",
        "  sourceRef: {kind: ExternalArtifact, name: all}",
        "  path: ./apps/prod",
      ].join("\n"),
    });
    expect(summary(discoverEntryPoints(parsed))).toEqual(["kustomize apps/prod clusters/prod/sync.yaml:15"]);
  });

  test("a Flux HelmRelease with a chart from this repository: chart path, values files, inline values", () => {
    const parsed = memory({
      "apps/podinfo.yaml": [
        "apiVersion: helm.toolkit.fluxcd.io/v2",
        "kind: HelmRelease",
        "metadata: {name: podinfo, namespace: apps}",
        "spec:",
        "  targetNamespace: web",
        "  chart:",
        "    spec:",
        "      chart: ./charts/podinfo",
        "      valuesFiles: [./charts/podinfo/values-prod.yaml]",
        "      sourceRef: {kind: GitRepository, name: flux-system, namespace: flux-system}",
        "  values: {replicaCount: 3}",
      ].join("\n"),
    });
    const [e] = discoverEntryPoints(parsed).entries;
    expect(e).toMatchObject({
      kind: "helm",
      path: "charts/podinfo",
      valuesFiles: ["charts/podinfo/values-prod.yaml"],
      inlineValues: { replicaCount: 3 },
      releaseName: "web-podinfo",
      namespace: "web",
      origin: { file: "apps/podinfo.yaml", line: 8 },
    });
  });

  test("Argo CD: Helm values from a $ref source; an ApplicationSet over a list and git directories", () => {
    const parsed = memory({
      "argo/app.yaml": [
        "apiVersion: argoproj.io/v1alpha1",
        "kind: Application",
        "metadata: {name: web, namespace: argocd}",
        "spec:",
        "  destination: {namespace: web}",
        "  sources:",
        "    - repoURL: https://github.com/acme/gitops.git",
        "      path: charts/web",
        "      helm:",
        "        releaseName: web-prod",
        "        valueFiles: [values.yaml, $env/envs/prod/web.yaml]",
        "    - repoURL: https://github.com/acme/gitops",
        "      ref: env",
      ].join("\n"),
      "argo/appset.yaml": [
        "apiVersion: argoproj.io/v1alpha1",
        "kind: ApplicationSet",
        "metadata: {name: envs, namespace: argocd}",
        "spec:",
        "  generators:",
        "    - list: {elements: [{env: staging}, {env: production}]}",
        "    - git:",
        "        repoURL: https://github.com/acme/gitops",
        "        directories: [{path: 'addons/*'}, {path: addons/skip, exclude: true}]",
        "  template:",
        "    metadata: {name: '{{env}}'}",
        "    spec:",
        "      source:",
        "        repoURL: https://github.com/acme/gitops",
        "        path: '{{env}}{{path}}'",
      ].join("\n"),
    });
    const files = [
      "charts/web/Chart.yaml",
      "addons/a/x.yaml",
      "addons/skip/y.yaml",
      "overlays/staging/kustomization.yaml",
    ];
    const d = discoverEntryPoints(parsed, { repoUrls: ["https://github.com/acme/gitops"], files });
    expect(d.entries[0]).toMatchObject({
      kind: "helm",
      path: "charts/web",
      valuesFiles: ["charts/web/values.yaml", "envs/prod/web.yaml"],
      releaseName: "web-prod",
      namespace: "web",
      origin: { file: "argo/app.yaml", line: 8 },
    });
    // '{{env}}{{path}}' needs both generators at once (a matrix): neither alone fills it.
    expect(d.entries).toHaveLength(1);
    expect(d.skipped.filter((s) => s.reason === "its path is set by a generator")).toHaveLength(3);
  });
});

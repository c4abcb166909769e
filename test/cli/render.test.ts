import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli/main.js";
import { FLUX_SHAPED } from "../render/reader.js";

async function run(argv: string[], cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s), cwd });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

interface Report {
  environments: Array<{
    environment: string;
    blocking: boolean;
    findings: Array<{ ruleId: string; message: string; file: string; line: number }>;
  }>;
}

async function check(cwd: string, ...argv: string[]) {
  const r = await run(["check", "--render", "-o", "json", ...argv], cwd);
  if (!r.out) throw new Error(`no report (exit ${r.code}): ${r.err}`);
  const report = JSON.parse(r.out) as Report;
  const byEnv = Object.fromEntries(
    report.environments.map((e) => [e.environment, e.findings.map((f) => `${f.ruleId} ${f.file}:${f.line}`)]),
  );
  return { code: r.code, err: r.err, byEnv, report };
}

/** A copy of the fixture repository with some files changed. */
function variant(changes: Record<string, (text: string) => string>): string {
  const dir = mkdtempSync(join(tmpdir(), "stagegate-render-cli-"));
  cpSync(FLUX_SHAPED, dir, { recursive: true });
  for (const [file, change] of Object.entries(changes)) {
    writeFileSync(join(dir, file), change(readFileSync(join(dir, file), "utf8")));
  }
  return dir;
}

describe("stagegate check --render on a base with staging and production overlays", () => {
  test("the fixture as it is: both environments render and pass", async () => {
    const r = await check(FLUX_SHAPED, "apps/staging", "apps/production");
    expect(r.err).toBe("");
    expect(r.byEnv).toEqual({ staging: [], production: [] });
    expect(r.code).toBe(0);
  });

  test("a base change to an image with :latest fails both overlays, on the base file's image line", async () => {
    const repo = variant({ "apps/base/podinfo/deployment.yaml": (t) => t.replace("podinfo:6.9.2", "podinfo:latest") });
    const r = await check(repo, "apps/staging", "apps/production");
    expect(r.byEnv).toEqual({
      staging: ["images/latest-tag apps/base/podinfo/deployment.yaml:19"],
      production: ["images/latest-tag apps/base/podinfo/deployment.yaml:19"],
    });
    expect(r.code).toBe(1);
  });

  test("a production patch that breaks a production rule fails production on the patch's line; staging passes", async () => {
    const repo = variant({ "apps/production/replicas.yaml": (t) => t.replace("replicas: 3", "replicas: 1") });
    const r = await check(repo, "apps/staging", "apps/production");
    expect(r.byEnv).toEqual({ staging: [], production: ["acme/min-replicas apps/production/replicas.yaml:6"] });
    expect(r.code).toBe(1);
  });

  test("the same rule on a field the base sets and a patch leaves alone points at the base", async () => {
    const repo = variant({ "apps/base/podinfo/deployment.yaml": (t) => t.replace("value: info", "value: debug") });
    const r = await check(repo, "--env", "production", "apps/production");
    expect(r.byEnv).toEqual({ production: ["acme/no-debug apps/base/podinfo/deployment.yaml:24"] });
  });

  test("a missing file is one located failure of that environment; the others are still judged", async () => {
    const repo = variant({
      "apps/staging/kustomization.yaml": (t) => `${t}configMapGenerator:\n  - name: s\n    files: [scripts/run.sh]\n`,
      "apps/base/podinfo/deployment.yaml": (t) => t.replace("podinfo:6.9.2", "podinfo:latest"),
    });
    const r = await check(repo, "apps/staging", "apps/production");
    expect(r.byEnv.staging).toEqual(["render/missing-file apps/staging/kustomization.yaml:9"]);
    expect(r.report.environments[0].findings[0].message).toContain("apps/staging/scripts/run.sh");
    expect(r.byEnv.production).toEqual(["images/latest-tag apps/base/podinfo/deployment.yaml:19"]);
    expect(r.code).toBe(1);
  });

  test("usage errors: not a directory, no environment matching", async () => {
    const notDir = await run(["check", "--render", "apps/production/replicas.yaml"], FLUX_SHAPED);
    expect([notDir.code, notDir.err]).toEqual([2, expect.stringContaining("is not a directory")]);
    const noEnv = await run(["check", "--render", "apps/base/podinfo"], FLUX_SHAPED);
    expect([noEnv.code, noEnv.err]).toEqual([2, expect.stringContaining("choose one with --env")]);
  });
});

const CORPUS = "/work/shared/corpus";
const corpus = existsSync(join(CORPUS, "fluxcd__flux2-kustomize-helm-example")) ? describe : describe.skip;

corpus("stagegate check --render on the shared corpus", () => {
  const policy = join(FLUX_SHAPED, "policy");

  test("Flux's example (staging, production) and podinfo's kustomize directory render; no patch parse errors", async () => {
    const flux = await check(
      join(CORPUS, "fluxcd__flux2-kustomize-helm-example"),
      "-p",
      policy,
      "apps/staging",
      "apps/production",
    );
    const podinfo = await check(join(CORPUS, "stefanprodan__podinfo"), "-p", policy, "kustomize");
    for (const r of [flux, podinfo]) {
      const all = Object.values(r.byEnv).flat();
      expect(all.filter((f) => /^(render|parse)\//.test(f))).toEqual([]);
      expect(r.report.environments.every((e) => e.environment === "default")).toBe(true);
    }
    // Both overlays include the same base: its warnings are listed once.
    const warnings = flux.byEnv.default.filter((f) => f.startsWith("schema/unknown-kind"));
    expect(warnings).toEqual([...new Set(warnings)]);
  });

  test("podinfo's production overlay: one located failure naming the missing script", async () => {
    const r = await check(join(CORPUS, "stefanprodan__podinfo"), "-p", policy, "deploy/overlays/production");
    const findings = r.report.environments.flatMap((e) => e.findings);
    expect(findings).toHaveLength(1);
    expect(findings[0].ruleId).toBe("render/missing-file");
    expect(findings[0].message).toMatch(/^deploy\/bases\/\w+\/scripts\/[\w-]+\.sh does not exist/);
    expect(findings[0].file).toMatch(/^deploy\/bases\/\w+\/kustomization\.yaml$/);
    expect(r.code).toBe(1);
  });
});

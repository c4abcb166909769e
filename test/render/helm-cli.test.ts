import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli/main.js";
import { PACKAGE_ROOT } from "../../src/policy/toolchain.js";
import { FLUX_SHAPED } from "./reader.js";

const CHARTS = join(PACKAGE_ROOT, "test", "fixtures", "render", "helm-repo", "charts");

/** The Flux-shaped fixture (config, policies) with the chart fixtures under charts/, some files changed. */
function repo(changes: Record<string, (text: string) => string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "stagegate-helm-cli-"));
  cpSync(FLUX_SHAPED, dir, { recursive: true });
  cpSync(CHARTS, join(dir, "charts"), { recursive: true });
  for (const [file, change] of Object.entries(changes)) {
    writeFileSync(join(dir, file), change(readFileSync(join(dir, file), "utf8")));
  }
  return dir;
}

async function check(cwd: string, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const argvAll = ["check", "--render", "-o", "json", "--env", "production", ...argv];
  const code = await main(argvAll, { out: (s) => out.push(s), err: (s) => err.push(s), cwd });
  if (!out.length) throw new Error(`no report (exit ${code}): ${err.join("\n")}`);
  const report = JSON.parse(out.join("\n")) as {
    environments: Array<{ findings: Array<{ ruleId: string; file: string; line: number }> }>;
  };
  return { code, findings: report.environments[0].findings.map((f) => `${f.ruleId} ${f.file}:${f.line}`) };
}

describe("stagegate check --render on a Helm chart directory", () => {
  const threeReplicas = (t: string) => t.replace("replicaCount: 1", "replicaCount: 3");

  test("production's minimum replicas fails on the chart's values line; three replicas pass", async () => {
    expect(await check(repo(), "charts/web")).toEqual({
      code: 1,
      findings: ["acme/min-replicas charts/web/values.yaml:1"],
    });
    expect(await check(repo({ "charts/web/values.yaml": threeReplicas }), "charts/web")).toEqual({
      code: 0,
      findings: [],
    });
  });

  test("an image tag :latest in the chart's values fails, on the values line", async () => {
    const values = (t: string) => threeReplicas(t).replace('"1.2.3"', "latest");
    const r = await check(repo({ "charts/web/values.yaml": values }), "charts/web");
    expect(r).toEqual({ code: 1, findings: ["images/latest-tag charts/web/values.yaml:4"] });
  });

  test("a chart with an unvendored remote dependency fails closed, on the dependency's line", async () => {
    const r = await check(repo(), "charts/remote-dep");
    expect(r).toEqual({ code: 1, findings: ["render/helm-remote-chart charts/remote-dep/Chart.yaml:7"] });
  });

  test("diff --base renders charts at the revision and in the working tree", async () => {
    const dir = repo();
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
        cwd: dir,
        stdio: "pipe",
      });
    git("init", "-q");
    git("add", ".");
    git("commit", "-q", "-m", "base");
    const values = join(dir, "charts", "web", "values.yaml");
    writeFileSync(values, readFileSync(values, "utf8").replace("replicaCount: 1", "replicaCount: 4"));
    const out: string[] = [];
    const io = { out: (s: string) => out.push(s), err: (s: string) => out.push(s), cwd: dir };
    await main(["diff", "--base", "HEAD", "--env", "production", "charts/web", "charts/vendored"], io);
    const text = out.join("\n");
    expect(text).toContain("charts/web: 0 added, 1 changed, 0 removed");
    expect(text).toContain("-  replicas: 1\n+  replicas: 4");
    // Both sides read the packaged dependency as bytes (the revision and the working tree): it renders on both,
    // unchanged.
    expect(text).toContain("charts/vendored: 0 added, 0 changed, 0 removed");
    expect(text).not.toContain("render/helm-unreadable");
  });
});

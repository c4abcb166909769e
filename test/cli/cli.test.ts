import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli/main.js";
import { PACKAGE_ROOT } from "../../src/policy/toolchain.js";

const EXAMPLE = join(PACKAGE_ROOT, "examples", "gitops");

async function run(argv: string[], cwd = EXAMPLE) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s), cwd });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("stagegate check on the example GitOps repository", () => {
  test("production: failures located at file:line, exit 1", async () => {
    const r = await run(["check", "--env", "production", "--config", ".github/stagegate.yml", "envs/production/"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(1);
    expect(r.out).toContain("FAIL - envs/production/web.yaml:9:3 - acme/min-replicas");
    expect(r.out).toMatch(/FAIL - envs\/production\/web\.yaml:\d+:\d+ - images\/latest-tag/);
    expect(r.out).toMatch(/FAIL - envs\/production\/web\.yaml:\d+:\d+ - pod-security\/privileged/);
    expect(r.out).not.toContain("api.yaml:"); // the clean file has no findings
  });

  test("staging is warn mode: findings shown, exit 0", async () => {
    const r = await run(["check", "--env", "staging", "envs/staging/"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("staging:");
  });

  test("environments are picked by path when --env is omitted", async () => {
    const r = await run(["check", "-o", "json", "envs/"]);
    const report = JSON.parse(r.out) as { environments: Array<{ environment: string; blocking: boolean }> };
    expect(report.environments.map((e) => [e.environment, e.blocking]).sort()).toEqual([
      ["production", true],
      ["staging", false],
    ]);
    expect(r.code).toBe(1);
  });

  test("every output format renders", async () => {
    for (const format of ["text", "json", "sarif", "junit", "github"]) {
      const r = await run(["check", "-e", "production", "-o", format, "envs/production/web.yaml"]);
      expect([format, r.code]).toEqual([format, 1]);
      expect(r.out.length).toBeGreaterThan(50);
    }
    const gh = await run(["check", "-e", "production", "-o", "github", "envs/production/web.yaml"]);
    expect(gh.out).toMatch(/^::error file=envs\/production\/web\.yaml,line=9,col=3/m);
  });

  test("stagegate test runs the policies' unit tests", async () => {
    const r = await run(["test"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/\b\d+ passed, 0 failed/);
    expect(r.out).toContain("PASS policy/main_test.rego:14 main_test.test_one_replica_denied_in_production");
  });

  test("stagegate build lists the evaluated namespaces", async () => {
    const r = await run(["build"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("main: deny_owner_label, deny_replicas, exception");
    expect(r.out).toContain("stagegate.lib.images");
  });
});

describe("conftest-style use without a config file", () => {
  const dir = mkdtempSync(join(tmpdir(), "sg-cli-"));
  mkdirSync(join(dir, "policy"));
  mkdirSync(join(dir, "k8s"));
  writeFileSync(
    join(dir, "policy", "p.rego"),
    'package main\n\ndeny contains msg if {\n\tinput.kind == "Pod"\n\tmsg := sprintf("pod %s", ' +
      "[input.metadata.name])\n}\n",
  );
  writeFileSync(
    join(dir, "k8s", "pod.yaml"),
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers: []\n",
  );
  writeFileSync(join(dir, "k8s", "svc.yaml"), "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n");

  test("--policy/--namespace defaults, exit 1 on failure", async () => {
    const r = await run(["check", "k8s"], dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain("FAIL - k8s/pod.yaml:1:1 - main.deny - pod p");
  });

  test("rules that produce nothing for the input pass, exit 0", async () => {
    const r = await run(["check", "k8s/svc.yaml"], dir);
    expect(r.code).toBe(0);
  });

  test("nothing to check against, or nothing checked, is an error (exit 2), never a silent pass", async () => {
    const empty = mkdtempSync(join(tmpdir(), "sg-cli-empty-"));
    writeFileSync(join(empty, "pod.yaml"), "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n");
    expect(await run(["check", "pod.yaml"], empty)).toMatchObject({
      code: 2,
      err: expect.stringContaining("no policies found under policy"),
    });
    expect(await run(["build"], empty)).toMatchObject({
      code: 2,
      err: expect.stringMatching(/^error: policy path not found: .*policy$/),
    });
    writeFileSync(join(dir, "notes.txt"), "not a manifest\n");
    expect(await run(["check", "notes.txt"], dir)).toMatchObject({
      code: 2,
      err: expect.stringContaining("none of the given files is a manifest"),
    });
    const bare = await run([], dir);
    expect([bare.code, bare.out, bare.err.startsWith("Usage: stagegate")]).toEqual([2, "", true]);
  });

  test("usage, config and policy errors exit 2 with the reason on stderr", async () => {
    expect((await run(["check", "--output", "xml", "k8s"], dir)).code).toBe(2);
    expect((await run(["frobnicate"], dir)).code).toBe(2);
    expect(await run(["check", "-p", "nonexistent", "k8s"], dir)).toMatchObject({
      code: 2,
      err: "error: no such file or directory: nonexistent",
    });
    const typo = await run(["check", "-n", "mian", "k8s"], dir);
    expect([typo.code, typo.err]).toEqual([2, expect.stringContaining('namespace "mian" matches no Rego package')]);
    const missing = await run(["check", "--config", "nope.yml", "k8s"], dir);
    expect([missing.code, missing.err]).toEqual([2, "error: config file not found: nope.yml"]);
    writeFileSync(join(dir, "policy", "bad.rego"), "package main\n\ndeny contains msg if {\n  msg := foo.bar(1)\n}\n");
    const bad = await run(["build"], dir);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("policy/bad.rego:4:10: rego_type_error: undefined function foo.bar");
  });
});

test("without a config, reported paths are relative to the git checkout's root (as code scanning resolves them)", async () => {
  const repo = mkdtempSync(join(tmpdir(), "sg-cli-git-"));
  spawnSync("git", ["init", "-q"], { cwd: repo });
  mkdirSync(join(repo, "policy"));
  mkdirSync(join(repo, "apps", "web"), { recursive: true });
  writeFileSync(join(repo, "policy", "p.rego"), 'package main\n\ndeny contains "no pods" if input.kind == "Pod"\n');
  writeFileSync(join(repo, "apps", "web", "pod.yaml"), "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n");
  const r = await run(["check", "-p", "../../policy", "-o", "github", "pod.yaml"], join(repo, "apps", "web"));
  expect(r.code).toBe(1);
  expect(r.out).toMatch(/^::error file=apps\/web\/pod\.yaml,line=1,col=1/m);
});

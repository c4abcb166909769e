import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parseCli } from "../../src/cli/args.js";
import { readCheckInputs } from "../../src/cli/check-inputs.js";
import { main } from "../../src/cli/main.js";
import { loadProject } from "../../src/cli/project.js";

// conftest behaviours the CLI matches without a config (issue 14); each in a fresh directory outside any checkout,
// with real opa compiles. bench/conftest-parity.mjs compares with the conftest binary itself.

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx:latest
`;

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "sg-conftest-"));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

async function run(argv: string[], cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s), cwd });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

interface Report {
  environments: Array<{
    findings: Array<{ message: string; severity: string; file: string; source: string }>;
    exemptions: Array<{ rule: string }>;
  }>;
}

async function findings(argv: string[], cwd: string) {
  const r = await run(["check", "-o", "json", ...argv], cwd);
  if (r.code === 2) throw new Error(r.err);
  const report = JSON.parse(r.out) as Report;
  const env = report.environments[0];
  return { code: r.code, findings: env.findings, exemptions: env.exemptions };
}

const V1_DENY = `package main\n\ndeny contains msg if {\n\tinput.kind == "Deployment"\n\tmsg := "no deployments"\n}\n`;

describe("stagegate check without a config, as conftest test", () => {
  test("policies only: no Kubernetes schema findings unless --schemas", async () => {
    const dir = project({ "policy/main.rego": V1_DENY, "d.yaml": DEPLOYMENT }); // no selector: schema-invalid
    const plain = await findings(["d.yaml"], dir);
    expect(plain.findings.map((f) => f.source)).toEqual(["policy"]);
    const schemas = await findings(["--schemas", "d.yaml"], dir);
    expect(schemas.findings.some((f) => f.source === "schema")).toBe(true);
  });

  test("--rego-version v0 reads v0 policies; the default (v1) refuses them", async () => {
    const v0 = `package main\n\ndeny[msg] {\n  input.kind == "Deployment"\n  re_match("^web", input.metadata.name)\n  msg := "v0"\n}\n`;
    const dir = project({ "policy/main.rego": v0, "d.yaml": DEPLOYMENT });
    expect((await findings(["--rego-version", "v0", "d.yaml"], dir)).findings.map((f) => f.message)).toEqual(["v0"]);
    expect((await run(["check", "d.yaml"], dir)).code).toBe(2);
  });

  test("data.conftest.file carries the file's name and directory", async () => {
    const policy =
      'package main\n\ndeny contains msg if {\n\tdata.conftest.file.name == "d.yaml"\n' +
      '\tmsg := sprintf("%s in %s", [data.conftest.file.name, data.conftest.file.dir])\n}\n';
    const dir = project({ "policy/main.rego": policy, "apps/d.yaml": DEPLOYMENT, "apps/e.yaml": DEPLOYMENT });
    const r = await findings(["apps"], dir);
    expect(r.findings.map((f) => [f.file, f.message])).toEqual([["apps/d.yaml", "d.yaml in apps"]]);
  });

  test("namespaces: Go path.Match globs (* crosses dots, ?, […]) and --all-namespaces", async () => {
    const pkg = (name: string) => V1_DENY.replace("package main", `package ${name}`).replace("no deployments", name);
    const dir = project({ "policy/a.rego": pkg("main"), "policy/b.rego": pkg("k8s.apps.web"), "d.yaml": DEPLOYMENT });
    const messages = async (argv: string[]) =>
      (await findings([...argv, "d.yaml"], dir)).findings.map((f) => f.message).sort();
    expect(await messages([])).toEqual(["main"]);
    expect(await messages(["-n", "k8s.*"])).toEqual(["k8s.apps.web"]);
    expect(await messages(["-n", "m?in"])).toEqual(["main"]);
    expect(await messages(["-n", "[lm]ain"])).toEqual(["main"]);
    expect(await messages(["-n", "*"])).toEqual(["k8s.apps.web", "main"]); // never Stagegate's own packages
    expect(await messages(["--all-namespaces"])).toEqual(["k8s.apps.web", "main"]);
  });

  test("results: only set members that are strings or objects with a msg; exceptions exempt warn_ rules too", async () => {
    const policy = [
      "package main",
      "",
      'deny if input.kind == "Deployment"', // a boolean: not a result
      "",
      "deny_numbers contains 42 if true",
      "",
      'deny_empty contains "" if true',
      "",
      'warn_latest contains "latest tag" if true',
      "",
      'deny_obj contains {"msg": "object result", "path": ["spec"]} if true',
      "",
      'exception contains ["latest"] if true',
      "",
    ].join("\n");
    const dir = project({ "policy/main.rego": policy, "d.yaml": DEPLOYMENT });
    const r = await findings(["d.yaml"], dir);
    expect(r.findings.map((f) => f.message)).toEqual(["object result"]);
    expect(r.exemptions.map((e) => e.rule)).toEqual(["warn_latest"]);
  });

  test("--fail-on-warn: warnings alone exit 1", async () => {
    const dir = project({
      "policy/main.rego": 'package main\n\nwarn contains "careful" if true\n',
      "d.yaml": DEPLOYMENT,
    });
    expect((await findings(["d.yaml"], dir)).code).toBe(0);
    expect((await findings(["--fail-on-warn", "d.yaml"], dir)).code).toBe(1);
  });

  test("--data: directories (other files skipped, sub-directories nest), merge conflicts stop the run", async () => {
    const policy =
      'package main\n\ndeny contains msg if {\n\tsome name in data.ports.denied\n\tmsg := sprintf("%v %v", ' +
      "[name, data.nested.limits.max])\n}\n";
    const dir = project({
      "policy/main.rego": policy,
      "d.yaml": DEPLOYMENT,
      "data/ports.yaml": "ports:\n  denied: [22]\n",
      "data/nested/limits.json": '{"limits": {"max": 3}}',
      "data/README.md": "not data",
      "clash/a.yaml": "ports: 1\n",
      "clash/b.yaml": "ports: 2\n",
    });
    expect((await findings(["-d", "data", "d.yaml"], dir)).findings.map((f) => f.message)).toEqual(["22 3"]);
    const clash = await run(["check", "-d", "clash", "d.yaml"], dir);
    expect([clash.code, clash.err]).toEqual([2, expect.stringContaining("merge error")]);
  });

  test("any path: dot-directories and files outside the working directory, named as given", async () => {
    const dir = project({ "work/policy/main.rego": V1_DENY, ".hidden/d.yaml": DEPLOYMENT, "other/e.yaml": DEPLOYMENT });
    const r = await findings(["../.hidden", "../other/e.yaml"], join(dir, "work"));
    expect(r.findings.map((f) => f.file)).toEqual(["../.hidden/d.yaml", "../other/e.yaml"]);
  });
});

describe("stagegate test, as conftest verify", () => {
  test("runs test rules in any file, with --data and Rego v0", async () => {
    const dir = project({
      "policy/main.rego": 'package main\n\ndeny[msg] {\n  input.port == data.limits.port\n  msg := "port"\n}\n',
      "policy/checks.rego": 'package main\n\ntest_port {\n  deny["port"] with input as {"port": 22}\n}\n',
      "data/limits.yaml": "limits:\n  port: 22\n",
    });
    const r = await run(["test", "--rego-version", "v0", "-d", "data"], dir);
    expect([r.code, r.out]).toEqual([0, expect.stringContaining("1 passed, 0 failed")]);
    expect((await run(["test", "--rego-version", "v0"], dir)).code).toBe(1); // without the data the test fails
  });
});

test("--combine: every document of every file as one input [{path, contents}], reported as Combined", async () => {
  const policy =
    "package main\n\ndeny contains msg if {\n\tnames := {e.contents.metadata.name | some e in input}\n" +
    '\tpaths := {e.path | some e in input}\n\tmsg := sprintf("%d objects in %d files", [count(names), count(paths)])\n}\n';
  const dir = project({
    "policy/main.rego": policy,
    "a.yaml": DEPLOYMENT,
    "b.yaml": `${DEPLOYMENT.replace("name: web", "name: api")}---\n${DEPLOYMENT.replace("name: web", "name: db")}`,
  });
  const r = await findings(["--combine", "a.yaml", "b.yaml"], dir);
  expect(r.findings.map((f) => [f.file, f.message])).toEqual([["Combined", "3 objects in 2 files"]]);
});

test("`-` reads standard input, reported as -", () => {
  const dir = project({ "policy/main.rego": V1_DENY });
  const read = readCheckInputs(loadProject(parseCli(["check", "-"]), dir), ["-"], dir, () => Buffer.from(DEPLOYMENT));
  expect(read.files.map((f) => [read.display.get(f.path), Buffer.from(f.content).toString()])).toEqual([
    ["-", DEPLOYMENT],
  ]);
});

test("build and check --rego-version v0 agree; a v0 syntax error is located in the user's file", async () => {
  const dir = project({ "policy/main.rego": "package main\n\ndeny[msg] {\n  msg := \n}\n", "d.yaml": DEPLOYMENT });
  const r = await run(["build", "--rego-version", "v0"], dir);
  expect([r.code, r.err]).toEqual([2, expect.stringContaining("policy/main.rego:5")]);
});

test("exceptions count as conftest counts them: once per time an exception names the rule, results or not", async () => {
  const policy = [
    "package main",
    "",
    'deny_foo contains "foo" if true',
    'deny_foo contains "foo again" if true',
    'warn_bar contains "bar" if true',
    'deny_baz contains "baz" if false',
    "",
    'exception contains ["foo", "bar"] if true',
    'exception contains ["foo"] if true',
    'exception contains ["baz"] if true',
    "",
  ].join("\n");
  const dir = project({ "policy/main.rego": policy, "d.yaml": DEPLOYMENT });
  const r = await findings(["d.yaml"], dir);
  expect([r.code, r.findings]).toEqual([0, []]);
  expect(r.exemptions.map((e) => e.rule).sort()).toEqual(["deny_baz", "deny_foo", "deny_foo", "warn_bar"]);
});

test("--no-fail exits 0 with failures; --suppress-exceptions leaves exemptions out of the text", async () => {
  const policy =
    'package main\n\ndeny contains "no" if true\n\nwarn_x contains "x" if true\n\nexception contains ["x"] if true\n';
  const dir = project({ "policy/main.rego": policy, "d.yaml": DEPLOYMENT });
  expect((await findings(["d.yaml"], dir)).code).toBe(1);
  expect((await findings(["--no-fail", "d.yaml"], dir)).code).toBe(0);
  expect((await findings(["d.yaml"], dir)).exemptions).toHaveLength(1);
  expect((await findings(["--suppress-exceptions", "d.yaml"], dir)).exemptions).toHaveLength(1); // JSON keeps them
  expect((await run(["check", "--suppress-exceptions", "d.yaml"], dir)).out).not.toContain("EXCEPTION");
  expect((await run(["check", "d.yaml"], dir)).out).toContain("EXCEPTION");
});

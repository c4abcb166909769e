import { countFindings, isBlocking } from "../../src/gate/verdict.js";
import { engineFor, file } from "./helpers.js";

const CONFIG = `
version: 1
policies:
  paths: [policy]
  namespaces: [main]
schemas:
  kubernetes: { enabled: true, strict: true }
  unknown_kinds: skip
environments:
  production:
    branches: [production]
    paths: ["envs/production/**"]
  staging:
    branches: [staging]
    paths: ["envs/staging/**"]
    mode: warn
`;

const POLICY = `package main

deny_replicas contains {"id": "acme/replicas", "msg": sprintf("%s needs 2 replicas", [input.metadata.name]), "path": ["spec", "replicas"], "severity_hint": "high"} if {
	input.kind == "Deployment"
	input.spec.replicas < 2
}

deny_image contains {"msg": "container image uses latest", "path": ["spec", "template", "spec", "containers", i, "image"]} if {
	some i, c in input.spec.template.spec.containers
	endswith(c.image, ":latest")
}

warn contains sprintf("%s in %s is document %d of %d", [input.kind, data.stagegate.context.environment, data.stagegate.context.index, count(data.stagegate.context.documents)]) if {
	input.kind == "Service"
}

exception contains rules if {
	input.metadata.labels.team == "data"
	rules := ["replicas"]
}
`;

const DEPLOYMENT = (name: string, replicas: number, image = "nginx:1.27", labels = "{}") => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: ${labels}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
        - name: app
          image: ${image}
`;

describe("Engine.check", () => {
  test("locates each finding on its line, applies exceptions and exposes the context", async () => {
    const engine = await engineFor(CONFIG, { "policy/main.rego": POLICY });
    const service = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: 80\n";
    const verdict = engine.check("production", [
      file("envs/production/web.yaml", `${DEPLOYMENT("web", 1, "nginx:latest")}---\n${service}`),
      file("envs/production/batch.yaml", DEPLOYMENT("batch", 1, "nginx:1", "{team: data}")),
      file("envs/staging/ignored.yaml", DEPLOYMENT("other", 1)),
    ]);
    const summary = verdict.findings.map(
      (f) => `${f.severity} ${f.location.file}:${f.location.line}:${f.location.column} ${f.ruleId} ${f.message}`,
    );
    expect(summary).toEqual([
      "failure envs/production/web.yaml:7:3 acme/replicas web needs 2 replicas",
      "failure envs/production/web.yaml:16:11 main.deny_image container image uses latest",
      "warning envs/production/web.yaml:18:1 main.warn Service in production is document 1 of 2",
    ]);
    expect(verdict.findings[0].metadata).toEqual({ severity_hint: "high" });
    expect(verdict.exemptions.map((e) => [e.ruleId, e.location.file, e.location.line])).toEqual([
      ["acme/replicas", "envs/production/batch.yaml", 7],
    ]);
    expect(countFindings(verdict)).toEqual({ failures: 2, warnings: 1, exceptions: 1 });
    expect(verdict.filesChecked).toBe(2);
    expect(verdict.documentsChecked).toBe(3);
    expect(isBlocking(verdict)).toBe(true);
  });

  test("warn mode reports the same findings without blocking", async () => {
    const engine = await engineFor(CONFIG, { "policy/main.rego": POLICY });
    const verdict = engine.check("staging", [file("envs/staging/web.yaml", DEPLOYMENT("web", 1))]);
    expect(verdict.mode).toBe("warn");
    expect(countFindings(verdict).failures).toBe(1);
    expect(isBlocking(verdict)).toBe(false);
  });

  test("a broken file is a located failure and does not hide the findings of the others", async () => {
    const engine = await engineFor(CONFIG, { "policy/main.rego": POLICY });
    const verdict = engine.check("production", [
      file("envs/production/broken.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n   bad: [\n"),
      file("envs/production/web.yaml", DEPLOYMENT("web", 1)),
    ]);
    const rules = verdict.findings.map((f) => `${f.location.file} ${f.ruleId}`);
    expect(rules).toContain("envs/production/web.yaml acme/replicas");
    const broken = verdict.findings.find((f) => f.location.file === "envs/production/broken.yaml");
    expect(broken).toMatchObject({ severity: "failure", source: "parse" });
    expect(broken!.location.line).toBeGreaterThan(1);
  });

  test("schema errors (strict mode) are findings at the offending key", async () => {
    const engine = await engineFor(CONFIG, { "policy/main.rego": POLICY });
    const doc = DEPLOYMENT("web", 3).replace("  replicas: 3", "  replicas: 3\n  replcias: 2");
    const verdict = engine.check("production", [file("envs/production/web.yaml", doc)]);
    const schema = verdict.findings.filter((f) => f.source === "schema");
    expect(schema).toHaveLength(1);
    expect(schema[0].location.line).toBe(8);
    expect(schema[0].message).toContain("replcias");
  });

  test("a policy that fails at evaluation time fails closed for that file only", async () => {
    const conflict =
      `package main\n\ndeny := input.metadata.name if input.kind == "ConfigMap"\n\ndeny := ` +
      `"other" if input.kind == "ConfigMap"\n`;
    const engine = await engineFor(CONFIG, { "policy/main.rego": conflict });
    const verdict = engine.check("production", [
      file("envs/production/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"),
      file("envs/production/ok.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ok\n"),
    ]);
    expect(verdict.findings.map((f) => [f.location.file, f.ruleId])).toEqual([
      ["envs/production/cm.yaml", "engine/evaluation-error"],
    ]);
    expect(isBlocking(verdict)).toBe(true);
  });

  test("files outside the environment, or not manifests, are not checked", async () => {
    const engine = await engineFor(CONFIG, { "policy/main.rego": POLICY });
    const verdict = engine.check("production", [
      file("envs/production/README.md", "# hi"),
      file("envs/staging/a.yaml", DEPLOYMENT("a", 1)),
    ]);
    expect(verdict.filesChecked).toBe(0);
    expect(verdict.findings).toEqual([]);
  });

  test("data files (paths or globs) are merged into data; stagegate is reserved", async () => {
    const config = CONFIG.replace("  namespaces: [main]", "  namespaces: [main]\n  data: [policy/data/*.yaml]");
    const policy =
      `package main\n\ndeny contains msg if {\n\tnot input.metadata.namespace in ` +
      `data.allowed_namespaces\n\tmsg := sprintf("namespace %s is not allowed (%s)", ` +
      `[input.metadata.namespace, data.owner])\n}\n`;
    const engine = await engineFor(config, {
      "policy/main.rego": policy,
      "policy/data/a.yaml": "allowed_namespaces: [web]\n",
      "policy/data/b.yaml": "owner: platform\n",
    });
    const verdict = engine.check("production", [
      file("envs/production/x.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: db\n"),
    ]);
    expect(verdict.findings.map((f) => f.message)).toEqual(["namespace db is not allowed (platform)"]);
    await expect(
      engineFor(config, { "policy/main.rego": policy, "policy/data/a.yaml": "stagegate: {}\n" }),
    ).rejects.toThrow(/reserved/);
  });
});

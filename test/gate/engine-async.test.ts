import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { PrInput } from "../../src/gate/pr-input.js";
import { PolicyError } from "../../src/policy/inspect.js";
import { PACKAGE_ROOT } from "../../src/policy/toolchain.js";
import { parseConfig } from "../../src/config/load.js";
import { Engine } from "../../src/gate/engine.js";
import { readPolicyInputs } from "../../src/gate/sources.js";
import { engineFor, file, memoryReader } from "./helpers.js";

// Engine.checkAsync / checkGatesAsync: the same verdicts as the synchronous methods, computed in a worker thread.
const example = JSON.parse(
  readFileSync(join(PACKAGE_ROOT, "test", "fixtures", "pr-input.example.json"), "utf8"),
) as PrInput;

const CONFIG = `
version: 1
policies:
  paths: [policy]
  namespaces: [main]
schemas:
  kubernetes: { enabled: true, strict: true }
  unknown_kinds: skip
environments:
  staging:
    branches: [staging]
  production:
    branches: [production]
    promote_from: staging
    gates:
      approvals: { count: 2, from: { users: [alice] } }
      labels: { required: [ready-for-prod] }
      policies: [acme.gates.owner]
`;

const POLICY = `package main

deny contains sprintf("%s needs 2 replicas", [input.metadata.name]) if {
  input.kind == "Deployment"
  input.spec.replicas < 2
}

deny contains "forever" if {
  input.metadata.name == "forever"
  n := count([x | some a in numbers.range(1, 100000); some b in numbers.range(1, 100000); x := a + b])
  n < 0
}
`;

const GATE = `package acme.gates.owner

deny contains "the pull request needs an owner label" if not "owner" in {l | some l in input.pr.labels}
`;

const deployment = (name: string, replicas: number) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replicas: ${replicas}\n` +
  `  selector: {matchLabels: {app: x}}\n  template:\n    metadata: {labels: {app: x}}\n` +
  `    spec: {containers: [{name: c, image: "nginx:1"}]}\n`;

const files = [
  file("apps/b.yaml", `${deployment("b1", 1)}---\n${deployment("b2", 3)}`),
  file("apps/a.yaml", deployment("a", 0)),
  file("apps/broken.yaml", "kind: [\n"),
  file("apps/empty.yaml", ""),
];
const repo = { "policy/main.rego": POLICY, "policy/gate.rego": GATE };
const strip = <T extends { durationMs: number }>(v: T) => ({ ...v, durationMs: 0 });

describe("Engine.checkAsync (issue 11 item 1)", () => {
  test("gives the same verdict and gate results as check / checkGates", async () => {
    const engine = await engineFor(CONFIG, repo);
    try {
      const now = () => BigInt(example.now_ns);
      expect(strip(await engine.checkAsync("production", files, { now }))).toEqual(
        strip(engine.check("production", files, { now })),
      );
      const sync = engine.checkGates("production", example, { now });
      expect(sync.map((g) => g.gate)).toContain("acme.gates.owner");
      expect(await engine.checkGatesAsync("production", example, { now })).toEqual(sync);
    } finally {
      await engine.close();
    }
  });

  test("a policy that runs forever rejects naming the wall-clock budget", async () => {
    const config = CONFIG.replace("policies: [acme.gates.owner]", "policies: []");
    const parsed = parseConfig(config);
    const inputs = await readPolicyInputs(parsed, memoryReader({ "policy/main.rego": POLICY }));
    const budgeted = await Engine.create(parsed, inputs, { cacheDir: false, sandbox: { timeoutMs: 1000 } });
    try {
      await expect(budgeted.checkAsync("production", [file("f.yaml", deployment("forever", 2))])).rejects.toThrow(
        "policy evaluation exceeded its budget of 1 s",
      );
    } finally {
      await budgeted.close();
    }
  });
});

describe("issue 11 item 11: a PR-level gate whose package does not exist", () => {
  test("is an error when the engine is built, naming the config key", async () => {
    const err = await engineFor(CONFIG.replace("acme.gates.owner", "acme.gates.ownr"), repo).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PolicyError);
    expect((err as PolicyError).message).toContain(
      'environments.production.gates.policies[0]: PR-level gate package "acme.gates.ownr"',
    );
    expect((err as PolicyError).problems[0]).toMatchObject({
      file: ".github/stagegate.yml",
      code: "stagegate_gate_unmatched",
    });
  });
});

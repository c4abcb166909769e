import { parseConfig } from "../../src/config/load.js";
import { checkEnvironments } from "../../src/cli/check-pool.js";
import { Engine } from "../../src/gate/engine.js";
import { readPolicyInputs } from "../../src/gate/sources.js";
import { memoryReader } from "../gate/helpers.js";

// Issue 15: `stagegate check` on large inputs judges slices of the files on worker threads (each its own engine and
// wasm instance); the merged verdict is identical to the single-threaded one.
const CONFIG = `
version: 1
policies:
  paths: [policy]
  namespaces: [main]
schemas:
  kubernetes: { enabled: true, strict: true }
  unknown_kinds: skip
limits:
  max_files: 10000
environments:
  production:
    branches: [production]
  staging:
    branches: [staging]
    mode: warn
`;

const POLICY = `package main

deny_replicas contains sprintf("%s needs 2 replicas", [input.metadata.name]) if {
  input.kind == "Deployment"
  input.spec.replicas < 2
}

warn contains sprintf("%s at %d", [input.metadata.name, time.now_ns()]) if input.kind == "Service"

exception contains ["replicas"] if input.metadata.labels.team == "data"
`;

const deployment = (name: string, replicas: number, team = "web") =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  labels: {team: ${team}}\nspec:\n` +
  `  replicas: ${replicas}\n  selector: {matchLabels: {app: x}}\n  template:\n    metadata: {labels: {app: x}}\n` +
  `    spec: {containers: [{name: c, image: "nginx:1", bogus: 1}]}\n`;

/** 250 files: findings from the parser, the schemas and the policies, exemptions, empty files. */
function files() {
  const out: Array<{ path: string; content: string }> = [];
  for (let i = 0; i < 250; i++) {
    const name = `app-${String(i).padStart(3, "0")}`;
    let content = `${deployment(name, i % 3, i % 5 === 0 ? "data" : "web")}---\n`;
    content += `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}}\nspec: {ports: [{port: 80}]}\n`;
    if (i % 17 === 0) content = "kind: [\n";
    if (i % 23 === 0) content = "";
    out.push({ path: `apps/${name}.yaml`, content });
  }
  return out.reverse(); // not in path order: the pool must not depend on it
}

test("issue 15: the worker pool's verdicts equal the single-threaded ones, finding for finding", async () => {
  const config = parseConfig(CONFIG);
  const inputs = await readPolicyInputs(config, memoryReader({ "policy/main.rego": POLICY }));
  const engine = await Engine.create(config, inputs, { cacheDir: false });
  const now = 1_700_000_000_000_000_000n;
  const input = files();
  const envs = ["production", "staging"];
  const single = envs.map((env) => engine.check(env, input, { now: () => now }));
  const pooled = await checkEnvironments(engine, inputs, envs, input, { now, workers: 2, minFiles: 1 });
  const strip = (v: (typeof single)[number]) => ({ ...v, durationMs: 0 });
  expect(pooled.map(strip)).toEqual(single.map(strip));
  expect(single[0].findings.length).toBeGreaterThan(250);
  expect(single[0].exemptions.length).toBeGreaterThan(0);
  expect(new Set(single[0].findings.map((f) => f.source))).toEqual(new Set(["parse", "schema", "policy"]));
});

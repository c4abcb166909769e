/** Repository content served by the fixture: configs, a policy, manifests. */
import { readFileSync } from "node:fs";

const example = (p: string) => readFileSync(new URL(`../../examples/gitops/${p}`, import.meta.url), "utf8");

/** The sample repo's own policy (owner label, min replicas in production). */
export const POLICY = example("policy/main.rego");

// Kubernetes schemas are off: they are tested in test/schema, and building them per app instance is slow.

/** A config with the suites' policy and schema settings, and the given `environments:` entries. */
export const configWith = (environments: string) => `version: 1
policies:
  paths: [policy]
  namespaces: [main]
schemas:
  kubernetes: { enabled: false }
  unknown_kinds: skip
environments:
${environments}`;

/** Environments by base branch: a PR into `production` targets production. */
export const BRANCH_CONFIG = (mode = "enforce") =>
  configWith(`  staging:
    branches: [staging]
    mode: warn
  production:
    branches: [production]
    paths: ["envs/production/**"]
    mode: ${mode}
`);

/** One branch, a directory per environment (the sample repo's layout). */
export const DIRECTORY_CONFIG = configWith(`  staging:
    paths: ["envs/staging/**"]
    mode: warn
  production:
    paths: ["envs/production/**"]
`);

/**
 * Violates both rules of POLICY: no team label (finding on `metadata:`, line 3)
 * and one replica (finding on `replicas: 1`, line 8).
 */
export const BAD_WEB = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.0
`;
export const BAD_LINES = { owner: 3, replicas: 8 };

export const GOOD_WEB = BAD_WEB.replace("    app: web\nspec:", "    app: web\n    team: web\nspec:").replace(
  "replicas: 1",
  "replicas: 3",
);

/** A ConfigMap with `n` keys; with MANY_POLICY every key is a finding on its own line. */
export function manyKeys(n: number): string {
  const keys = Array.from({ length: n }, (_, i) => `  key${i}: "v"`).join("\n");
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: many\ndata:\n${keys}\n`;
}

export const MANY_POLICY = `package main

deny contains {"msg": sprintf("key %s is not allowed", [k]), "path": ["data", k]} if {
	input.kind == "ConfigMap"
	some k, _ in input.data
}
`;

export const README = "# gitops\n";

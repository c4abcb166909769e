import { SchemaLoadError, SchemaValidator, type SchemaValidatorOptions } from "../../src/schema/validator.js";
import { parseOne } from "./helpers.js";

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  creationTimestamp: null
spec:
  replcias: 3
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - containerPort: 8080
          resources:
            requests: { cpu: 0.5, memory: 512 }
            limits: { cpu: 1, memory: 1Gi }
          livenessProbe:
            httpGet: { path: /healthz, port: http }
          readinessProbe:
            httpGet: { path: /ready, port: 8080 }
status: {}
`;

function validator(overrides: Partial<SchemaValidatorOptions> = {}): SchemaValidator {
  return new SchemaValidator({
    kubernetes: { enabled: true, strict: true },
    unknownKinds: "skip",
    custom: [],
    ...overrides,
  });
}

describe("built-in Kubernetes schemas", () => {
  test("reports a typo in strict mode at the unknown key, with a suggestion", () => {
    const findings = validator().validate(parseOne(DEPLOYMENT, "apps/web.yaml"));
    expect(findings).toEqual([
      {
        ruleId: "schema/additional-properties",
        message: 'unknown field "replcias" in Deployment spec (did you mean "replicas"?)',
        severity: "failure",
        source: "schema",
        location: { file: "apps/web.yaml", line: 7, column: 3 },
        documentIndex: 0,
      },
    ]);
  });

  test("non-strict mode accepts unknown fields but still checks types", () => {
    const lax = validator({ kubernetes: { enabled: true, strict: false } });
    expect(lax.validate(parseOne(DEPLOYMENT))).toEqual([]);
    const wrong = parseOne(DEPLOYMENT.replace("replcias: 3", 'replicas: "3"\n  extra: true'));
    expect(lax.validate(wrong).map((f) => [f.ruleId, f.message, f.location.line])).toEqual([
      ["schema/type", 'spec.replicas: must be integer, got string "3"', 7],
    ]);
  });

  test("accepts numbers for quantities and int-or-string, null fields and status", () => {
    const fixed = parseOne(DEPLOYMENT.replace("replcias", "replicas"));
    expect(validator().validate(fixed)).toEqual([]);
  });

  test("rejects a float where the API wants an integer, and a boolean for int-or-string", () => {
    const doc = parseOne(`apiVersion: v1
kind: Service
metadata: { name: web }
spec:
  ports:
    - port: 80.5
      targetPort: true
`);
    const findings = validator().validate(doc);
    expect(findings.map((f) => [f.ruleId, f.message, f.location.line])).toEqual([
      ["schema/type", "spec.ports[0].port: must be integer, got number 80.5", 6],
      ["schema/type", "spec.ports[0].targetPort: must be integer or string, got boolean true", 7],
    ]);
  });

  test("reports a missing required field at the parent object", () => {
    const doc = parseOne(`apiVersion: v1
kind: Pod
metadata: { name: p }
spec:
  containers:
    - image: nginx
`);
    const findings = validator().validate(doc);
    expect(findings.map((f) => [f.ruleId, f.message, f.location.line])).toEqual([
      ["schema/required", 'spec.containers[0]: missing required field "name"', 6],
    ]);
  });

  test("does not ask kustomize patches for required fields, and ignores $patch directives", () => {
    const patch = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  template:
    spec:
      containers:
        - name: web
          $patch: delete
`;
    expect(validator().validate(parseOne(patch, "overlays/prod/deployment.yaml"))).toEqual([]);
    const named = patch.replace(
      "        - name: web\n          $patch: delete\n",
      "        - name: web\n          replcias: 1\n",
    );
    const findings = validator().validate(parseOne(named, "overlays/prod/replicas-patch.yaml"));
    expect(findings.map((f) => f.ruleId)).toEqual(["schema/additional-properties"]);
  });

  test("ignores the sops block of an encrypted Secret", () => {
    const doc = parseOne(`apiVersion: v1
kind: Secret
metadata: { name: s }
stringData:
  password: ENC[AES256_GCM,data:abc]
sops:
  version: 3.8.1
`);
    expect(validator().validate(doc)).toEqual([]);
  });

  test("a document without apiVersion/kind is not validated as a Kubernetes object", () => {
    const values = parseOne("replicaCount: 3\nimage:\n  tag: 1.2.3\n", "charts/web/values.yaml");
    expect(validator({ unknownKinds: "fail" }).validate(values)).toEqual([]);
  });

  test("built-in validation can be switched off", () => {
    const off = validator({ kubernetes: { enabled: false, strict: true } });
    expect(off.validate(parseOne(DEPLOYMENT))).toEqual([]);
  });

  test("never throws on hostile input", () => {
    let deep: unknown = "x";
    for (let i = 0; i < 20000; i++) deep = [deep];
    const doc = {
      ...parseOne("apiVersion: v1\nkind: ConfigMap\n"),
      value: { apiVersion: "v1", kind: "ConfigMap", data: deep },
    };
    const findings = validator().validate(doc);
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((f) => f.source === "schema")).toBe(true);
  });
});

describe("unknown kinds", () => {
  const rollout = `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: { name: web }
spec: {}
`;
  test("skip", () => {
    expect(validator({ unknownKinds: "skip" }).validate(parseOne(rollout))).toEqual([]);
  });
  test.each([
    ["warn", "warning"],
    ["fail", "failure"],
  ] as const)("%s", (mode, severity) => {
    const findings = validator({ unknownKinds: mode }).validate(parseOne(rollout, "apps/rollout.yaml"));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      ruleId: "schema/unknown-kind",
      severity,
      source: "schema",
      location: { file: "apps/rollout.yaml", line: 2 },
    });
    expect(findings[0].message).toContain("Rollout (argoproj.io/v1alpha1)");
  });
});

describe("repository schemas", () => {
  const rolloutSchema = {
    $schema: "http://json-schema.org/draft-07/schema#",
    type: "object",
    required: ["spec"],
    properties: {
      apiVersion: { type: "string" },
      kind: { type: "string" },
      metadata: { type: "object" },
      spec: {
        type: "object",
        properties: { replicas: { type: "integer" }, strategy: { enum: ["canary", "blueGreen"] } },
        additionalProperties: false,
      },
    },
  };

  test("mapped by apiVersion/kind, with located errors naming the schema", () => {
    const v = validator({
      unknownKinds: "fail",
      custom: [
        { source: "schemas/rollout.json", schema: rolloutSchema, apiVersion: "argoproj.io/v1alpha1", kind: "Rollout" },
      ],
    });
    const doc = parseOne(`apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: { name: web }
spec:
  replicas: two
  strategy: linear
  paused: true
`);
    expect(v.validate(doc).map((f) => [f.ruleId, f.message, f.location.line])).toEqual([
      ["schema/additional-properties", 'unknown field "paused" in Rollout spec [schemas/rollout.json]', 7],
      ["schema/type", 'spec.replicas: must be integer, got string "two" [schemas/rollout.json]', 5],
      [
        "schema/enum",
        'spec.strategy: must be one of "canary", "blueGreen", got string "linear" [schemas/rollout.json]',
        6,
      ],
    ]);
  });

  test("a kind-mapped schema takes precedence over the built-in one", () => {
    const loose = { type: "object", properties: { spec: { type: "object" } } };
    const v = validator({ custom: [{ source: "schemas/deploy.json", schema: loose, kind: "Deployment" }] });
    expect(v.validate(parseOne(DEPLOYMENT))).toEqual([]);
  });

  test("mapped by file glob, also for documents without apiVersion/kind (2020-12)", () => {
    const values = {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      type: "object",
      properties: { replicaCount: { type: "integer", minimum: 1 } },
      $defs: { unused: { type: "string" } },
    };
    const v = validator({
      custom: [{ source: "schemas/values.json", schema: values, files: ["charts/*/values*.yaml"] }],
    });
    const bad = parseOne("image: web\nreplicaCount: 0\n", "charts/web/values-prod.yaml");
    expect(v.validate(bad).map((f) => [f.ruleId, f.location.line])).toEqual([["schema/minimum", 2]]);
    expect(v.validate(parseOne("replicaCount: 0\n", "apps/values.yaml"))).toEqual([]);
  });

  test("a glob-mapped schema adds to the built-in one", () => {
    const needsTeam = {
      type: "object",
      required: ["metadata"],
      properties: { metadata: { type: "object", required: ["labels"] } },
    };
    const v = validator({ custom: [{ source: "schemas/team.json", schema: needsTeam, files: ["apps/**"] }] });
    const findings = v.validate(
      parseOne(DEPLOYMENT.replace("creationTimestamp: null", "namespace: web"), "apps/web.yaml"),
    );
    expect(findings.map((f) => f.ruleId).sort()).toEqual(["schema/additional-properties", "schema/required"]);
  });

  test("an invalid repository schema fails construction, naming its file", () => {
    const make = (schema: object) => () =>
      validator({ custom: [{ source: "schemas/broken.json", schema, kind: "Thing" }] });
    expect(make({ type: "strnig" })).toThrow(SchemaLoadError);
    expect(make({ type: "strnig" })).toThrow(/^schemas\/broken\.json: invalid JSON Schema/);
    expect(make({ $ref: "#/definitions/missing" })).toThrow(SchemaLoadError);
    expect(make({ $schema: "http://json-schema.org/draft-04/schema#" })).toThrow(/unsupported \$schema/);
    let thrown: unknown;
    try {
      make({ type: 1 })();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SchemaLoadError);
    expect((thrown as SchemaLoadError).source).toBe("schemas/broken.json");
    expect(() => validator({ custom: [{ source: "schemas/orphan.json", schema: {} }] })).toThrow(/map the schema/);
  });
});

test("caps the findings of a badly broken document", () => {
  const labels = Array.from({ length: 80 }, (_, i) => `    l${i}: ${i}`).join("\n");
  const doc = parseOne(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels:\n${labels}\n`);
  const findings = validator().validate(doc);
  expect(findings).toHaveLength(51);
  expect(findings.slice(0, 50).every((f) => f.ruleId === "schema/type")).toBe(true);
  expect(findings[50]).toMatchObject({
    ruleId: "schema/too-many-errors",
    message: "30 more schema error(s) not shown",
  });
});

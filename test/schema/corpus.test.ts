import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SchemaValidator } from "../../src/schema/validator.js";
import { parseManifests } from "./helpers.js";

// Real manifests (Apache-2.0) shared on the development machines; absent elsewhere.
const DIR = "/work/shared/corpus/GoogleCloudPlatform__microservices-demo/kubernetes-manifests";
const run = existsSync(DIR) ? describe : describe.skip;

run("microservices-demo manifests", () => {
  const files = existsSync(DIR)
    ? readdirSync(DIR).filter((f) => f.endsWith(".yaml") && f !== "kustomization.yaml")
    : [];
  const docs = files.flatMap((f) => parseManifests(readFileSync(join(DIR, f), "utf8"), `kubernetes-manifests/${f}`));

  test("pass strict validation with no false positives", () => {
    const v = new SchemaValidator({ kubernetes: { enabled: true, strict: true }, unknownKinds: "fail", custom: [] });
    const kinds = new Set(docs.map((d) => d.value.kind));
    expect(kinds).toEqual(new Set(["Deployment", "Service", "ServiceAccount"]));
    expect(docs.flatMap((d) => v.validate(d))).toEqual([]);
  });

  test("a typo injected into each Deployment is found", () => {
    const v = new SchemaValidator({ kubernetes: { enabled: true, strict: true }, unknownKinds: "fail", custom: [] });
    const deployments = docs.filter((d) => d.value.kind === "Deployment");
    expect(deployments.length).toBeGreaterThanOrEqual(10);
    for (const d of deployments) {
      const spec = d.value.spec as Record<string, unknown>;
      const broken = { ...d, value: { ...d.value, spec: { ...spec, replcias: 1 } } };
      expect(v.validate(broken).map((f) => f.ruleId)).toEqual(["schema/additional-properties"]);
    }
  });
});

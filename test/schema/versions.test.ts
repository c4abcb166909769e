import { readFileSync, readdirSync } from "node:fs";
import { KUBERNETES_VERSIONS, SchemaValidator } from "../../src/schema/validator.js";
import { parseManifests } from "./helpers.js";

const FIXTURE = new URL("./fixtures/kubernetes-versions.yaml", import.meta.url);
const docs = parseManifests(readFileSync(FIXTURE, "utf8"), "kubernetes-versions.yaml");

/** The rule ids a document expects for a version: `expect-X.Y`, else `expect`; "valid" is none. */
function expected(annotations: Record<string, string>, version: string): string[] {
  const text = annotations[`stagegate.test/expect-${version}`] ?? annotations["stagegate.test/expect"];
  if (text === undefined) throw new Error("fixture document without an expectation");
  return text === "valid" ? [] : text.split(",").map((s) => s.trim());
}

test("the bundled versions are the committed schema files", () => {
  const files = readdirSync(new URL("../../schemas/kubernetes/", import.meta.url))
    .filter((f) => /^v\d+\.\d+\.json$/.test(f))
    .map((f) => f.slice(1, -5))
    .sort((a, b) => Number(a.split(".")[1]) - Number(b.split(".")[1]));
  expect(files).toEqual([...KUBERNETES_VERSIONS]);
});

describe.each([...KUBERNETES_VERSIONS])("Kubernetes %s", (version) => {
  const validator = new SchemaValidator({
    kubernetes: { enabled: true, strict: true, version },
    unknownKinds: "fail",
    custom: [],
  });
  test.each(docs.map((d) => [`${d.value.kind} ${(d.value.metadata as { name: string }).name}`, d] as const))(
    "%s",
    (_name, doc) => {
      const annotations = (doc.value.metadata as { annotations: Record<string, string> }).annotations;
      const ruleIds = [...new Set(validator.validate(doc).map((f) => f.ruleId))].sort();
      expect(ruleIds).toEqual(expected(annotations, version).sort());
    },
  );
});

test("a removed API version says when it went and what replaces it", () => {
  const validator = new SchemaValidator({
    kubernetes: { enabled: true, strict: true },
    unknownKinds: "skip",
    custom: [],
  });
  const doc = docs.find((d) => d.value.apiVersion === "extensions/v1beta1" && d.value.kind === "Deployment")!;
  const [finding] = validator.validate(doc);
  expect(finding).toMatchObject({ ruleId: "schema/removed-api", severity: "failure" });
  expect(finding.message).toBe(
    "Deployment extensions/v1beta1 was removed in Kubernetes 1.16 (checked against 1.37); use apps/v1 Deployment",
  );
  expect(finding.location.line).toBe(doc.locate(["apiVersion"]).line);
});

test("an unknown version is refused when the validator is built", () => {
  expect(
    () =>
      new SchemaValidator({
        kubernetes: { enabled: true, strict: true, version: "1.20" },
        unknownKinds: "warn",
        custom: [],
      }),
  ).toThrow("no schemas for Kubernetes 1.20 (available: 1.30, 1.34, 1.35, 1.36, 1.37)");
});

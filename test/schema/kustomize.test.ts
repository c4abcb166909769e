import { SchemaValidator } from "../../src/schema/validator.js";
import { parseOne } from "./helpers.js";

const v = new SchemaValidator({ kubernetes: { enabled: true, strict: true }, unknownKinds: "fail", custom: [] });
const check = (yaml: string, file = "apps/base/kustomization.yaml") => v.validate(parseOne(yaml, file));

describe("kustomization files (schema derived from kustomize's Go type)", () => {
  test("a kustomization without apiVersion/kind is recognised by its file name", () => {
    const text =
      "resources: [deployment.yaml]\nnamespace: web\nimages: [{ name: nginx, newTag: '1.27' }]\n" +
      "patches: [{ path: patch.yaml, target: { kind: Deployment, name: web } }]\n" +
      "configMapGenerator: [{ name: cfg, literals: [a=b], options: { disableNameSuffixHash: true } }]\n" +
      "replicas: [{ name: web, count: 3 }]\nlabels: [{ pairs: { app: web }, includeSelectors: true }]\n";
    expect(check(text)).toEqual([]);
    expect(check("resource: [deployment.yaml]\n")).toMatchObject([
      {
        ruleId: "schema/additional-properties",
        message: 'unknown field "resource" in document (did you mean "resources"?)',
      },
    ]);
  });

  test("field names match in any case, as Go's encoding/json (and so kustomize) matches them", () => {
    expect(
      check("vars: [{ name: X, objref: { kind: Service, name: s, apiVersion: v1 }, fieldref: { fieldpath: a } }]\n"),
    ).toEqual([]);
  });

  test("types and kinds", () => {
    const typed = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: base\n";
    expect(check(typed, "kustomize.yaml").map((f) => f.ruleId)).toEqual(["schema/type"]);
    const component = "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches: [{ path: p.yaml }]\n";
    expect(check(component, "components/x/kustomization.yaml")).toEqual([]);
  });

  test("other files without apiVersion/kind are not kustomizations", () => {
    expect(check("resource: [x]\n", "apps/base/values.yaml")).toEqual([]);
  });
});

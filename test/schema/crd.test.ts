import { readFileSync } from "node:fs";
import { readPolicyInputs, type RepoReader } from "../../src/gate/sources.js";
import { parseConfig } from "../../src/config/load.js";
import { SchemaLoadError, SchemaValidator } from "../../src/schema/validator.js";
import { parseOne } from "./helpers.js";

const CRD_FILE = "crds/widgets.yaml";
const crdText = readFileSync(new URL("./fixtures/crds/widgets.yaml", import.meta.url), "utf8");

function validator(strict = true, unknownKinds: "skip" | "warn" | "fail" = "fail") {
  return new SchemaValidator({
    kubernetes: { enabled: true, strict },
    unknownKinds,
    custom: [],
    crdFiles: [{ source: CRD_FILE, text: crdText }],
  });
}

const widget = (spec: string, apiVersion = "example.com/v1") =>
  parseOne(`apiVersion: ${apiVersion}\nkind: Widget\nmetadata: { name: w, labels: { a: b } }\nspec: ${spec}\n`);
const ruleIds = (v: SchemaValidator, yaml: ReturnType<typeof widget>) => v.validate(yaml).map((f) => f.ruleId);

describe("a CRD-defined kind validated from its CRD file", () => {
  const v = validator();

  test.each([
    ["all fields", "{ size: 3, color: red, name: blue-1, port: 8080, owner: null }"],
    ["int-or-string as a string", "{ size: 3, color: red, port: http }"],
    ["preserve-unknown-fields keeps unknown fields", "{ size: 1, color: red, settings: { level: 2, extra: [1] } }"],
    ["an embedded resource", "{ size: 1, color: red, template: { apiVersion: v1, kind: Pod, metadata: {} } }"],
    ["a string map", "{ size: 1, color: blue, labels: { team: web } }"],
  ])("valid: %s", (_name, spec) => {
    expect(v.validate(widget(spec))).toEqual([]);
  });

  test.each([
    ["unknown field", "{ size: 3, color: red, colour: red }", "schema/additional-properties"],
    ["wrong type", '{ size: "3", color: red }', "schema/type"],
    ["missing required", "{ size: 3 }", "schema/required"],
    ["enum", "{ size: 3, color: purple }", "schema/enum"],
    ["maximum", "{ size: 11, color: red }", "schema/maximum"],
    ["pattern", "{ size: 3, color: red, name: Bad_Name }", "schema/pattern"],
    ["int-or-string", "{ size: 3, color: red, port: [80] }", "schema/type"],
    ["a typed field under preserve-unknown-fields", "{ size: 1, color: red, settings: { level: x } }", "schema/type"],
  ])("invalid: %s", (_name, spec, ruleId) => {
    expect(ruleIds(v, widget(spec))).toEqual([ruleId]);
  });

  test("the finding names the field, on its line", () => {
    const doc = widget("\n  size: 3\n  color: red\n  colour: red");
    const [finding] = v.validate(doc);
    expect(finding.message).toBe('unknown field "colour" in Widget spec (did you mean "color"?)');
    expect(finding.location.line).toBe(7);
  });

  test("a deprecated served version validates and warns with the CRD's own words", () => {
    const findings = v.validate(widget("{ size: 2 }", "example.com/v1beta1"));
    expect(findings).toMatchObject([
      {
        ruleId: "schema/deprecated-api",
        severity: "warning",
        message: "example.com/v1beta1 Widget is deprecated; use example.com/v1 Widget",
      },
    ]);
    expect(ruleIds(v, widget("{ size: 2, color: red }", "example.com/v1beta1"))).toContain(
      "schema/additional-properties",
    );
  });

  test("a version the CRD does not serve is a failure, even when missing schemas are ignored", () => {
    const findings = validator(true, "skip").validate(widget("{ size: 2 }", "example.com/v1alpha1"));
    expect(findings).toMatchObject([{ ruleId: "schema/removed-api", severity: "failure" }]);
    expect(findings[0].message).toBe(
      "Widget example.com/v1alpha1 is not served by its CustomResourceDefinition (crds/widgets.yaml): " +
        "served versions of Widget: v1, v1beta1",
    );
  });

  test("repository CRDs apply with the built-in schemas switched off (the catalog does not)", () => {
    const off = new SchemaValidator({
      kubernetes: { enabled: false, strict: true },
      unknownKinds: "fail",
      custom: [],
      crdFiles: [{ source: CRD_FILE, text: crdText }],
    });
    expect(ruleIds(off, widget('{ size: "3", color: red }'))).toEqual(["schema/type"]);
    expect(ruleIds(off, widget("{ size: 2 }", "example.com/v1alpha1"))).toEqual(["schema/removed-api"]);
    const flux = parseOne("apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: { name: g }\n");
    expect(off.validate(flux).map((f) => f.ruleId)).toEqual(["schema/unknown-kind"]);
  });

  test("non-strict mode allows unknown fields but not wrong types", () => {
    const relaxed = validator(false);
    expect(relaxed.validate(widget("{ size: 3, color: red, colour: red }"))).toEqual([]);
    expect(ruleIds(relaxed, widget('{ size: "3", color: red }'))).toEqual(["schema/type"]);
  });

  test("without the CRD the kind is unknown (kubeconform's missing schema); ignored when asked", () => {
    const none = (unknownKinds: "skip" | "fail") =>
      new SchemaValidator({ kubernetes: { enabled: true, strict: true }, unknownKinds, custom: [] });
    expect(ruleIds(none("fail"), widget("{ size: 3 }"))).toEqual(["schema/unknown-kind"]);
    expect(none("skip").validate(widget("{ size: 3 }"))).toEqual([]);
  });

  test("a CRD file that is not YAML names the file", () => {
    const make = () =>
      new SchemaValidator({
        kubernetes: { enabled: true, strict: true },
        unknownKinds: "fail",
        custom: [],
        crdFiles: [{ source: "crds/bad.yaml", text: "kind: CustomResourceDefinition\nspec: [\n" }],
      });
    expect(make).toThrow(SchemaLoadError);
    expect(make).toThrow(/^crds\/bad\.yaml: invalid JSON Schema: not YAML/);
  });
});

describe("schemas.crds in the config", () => {
  const files: Record<string, string> = {
    ".github/stagegate.yml":
      "version: 1\nenvironments: { prod: { branches: [main] } }\nschemas: { crds: ['crds/**'] }\n",
    [CRD_FILE]: crdText,
    "crds/README.md": "not yaml: [",
  };
  const reader: RepoReader = {
    readFile: async (path) => files[path],
    listFiles: async (dir) => Object.keys(files).filter((p) => p.startsWith(`${dir}/`)),
  };

  test("reads the matching files, whose CRDs validate the repository's custom resources", async () => {
    const config = parseConfig(files[".github/stagegate.yml"], ".github/stagegate.yml");
    expect(config.schemas.kubernetes.version).toBe("1.37");
    const inputs = await readPolicyInputs(config, reader);
    expect(inputs.crdFiles?.map((f) => f.source).sort()).toEqual(["crds/README.md", CRD_FILE]);
    const v = new SchemaValidator({
      kubernetes: config.schemas.kubernetes,
      unknownKinds: "fail",
      custom: [],
      crdFiles: inputs.crdFiles,
    });
    expect(ruleIds(v, widget('{ size: "3", color: red }'))).toEqual(["schema/type"]);
  });
});

import { defaultPathMap, mapPath, parseFieldPath, sameContent } from "../../src/gather/content-compare.js";
import { resolvePlain } from "../../src/gather/k8s-yaml.js";

describe("mapPath", () => {
  const map = { from: "envs/staging/", to: "envs/production/" };

  it("maps a promoted path to its source-stage path", () => {
    expect(mapPath("envs/production/apps/web.yaml", map)).toBe("envs/staging/apps/web.yaml");
    expect(mapPath("envs/production/x.yaml", map)).toBe("envs/staging/x.yaml");
  });

  it("is null outside the target prefix", () => {
    expect(mapPath("envs/production-eu/x.yaml", map)).toBeNull();
    expect(mapPath("README.md", map)).toBeNull();
  });
});

describe("defaultPathMap", () => {
  it("uses the static prefixes of the environments' first paths", () => {
    expect(defaultPathMap(["envs/staging/**"], ["envs/production/**/*.yaml"])).toEqual({
      from: "envs/staging/",
      to: "envs/production/",
    });
    expect(defaultPathMap(["clusters/stg/apps/*.yaml"], ["clusters/prd/apps/*.yaml"])).toEqual({
      from: "clusters/stg/apps/",
      to: "clusters/prd/apps/",
    });
  });

  it("is null without distinct prefixes", () => {
    expect(defaultPathMap([], ["envs/production/**"])).toBeNull();
    expect(defaultPathMap(["**/staging/**"], ["envs/production/**"])).toBeNull();
    expect(defaultPathMap(["envs/**"], ["envs/**"])).toBeNull();
  });
});

describe("parseFieldPath", () => {
  it("splits dotted paths and reads bracketed keys", () => {
    expect(parseFieldPath("spec.replicas")).toEqual(["spec", "replicas"]);
    expect(parseFieldPath('metadata.annotations["argocd.argoproj.io/sync-wave"]')).toEqual([
      "metadata",
      "annotations",
      "argocd.argoproj.io/sync-wave",
    ]);
    expect(parseFieldPath("spec.template.spec.containers[*].image")).toEqual([
      "spec",
      "template",
      "spec",
      "containers",
      "*",
      "image",
    ]);
    expect(parseFieldPath("a['b.c'].d")).toEqual(["a", "b.c", "d"]);
  });

  it("rejects malformed paths", () => {
    for (const bad of ["", "a..b", "a.", ".a", "a[b]", 'a["x]']) expect(parseFieldPath(bad)).toBeNull();
  });
});

const staging = `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    deployed-at: "2025-06-01T10:00:00Z"
    argocd.argoproj.io/sync-wave: "1"
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: web
          image: web:1.2.3
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec: { ports: [{ port: 80 }] }
`;

describe("sameContent", () => {
  it("compares YAML data, not text", () => {
    const reformatted = `# production
kind: Deployment
apiVersion: apps/v1
metadata: { name: web, annotations: { argocd.argoproj.io/sync-wave: "1", deployed-at: "2025-06-01T10:00:00Z" } }
spec:
  template: { spec: { containers: [ { image: "web:1.2.3", name: web } ] } }
  replicas: 2
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
    - port: 80
---
`;
    expect(sameContent(staging, reformatted, [])).toBe(true);
  });

  it("ignores the listed fields only", () => {
    const prod = staging.replace("replicas: 2", "replicas: 6").replace("2025-06-01T10:00:00Z", "2025-06-03T08:00:00Z");
    expect(sameContent(staging, prod, [])).toBe(false);
    expect(sameContent(staging, prod, ["spec.replicas"])).toBe(false);
    expect(sameContent(staging, prod, ["spec.replicas", "metadata.annotations.deployed-at"])).toBe(true);
  });

  it("ignores an absent field on one side", () => {
    const noReplicas = staging.replace("  replicas: 2\n", "");
    expect(sameContent(staging, noReplicas, ["spec.replicas"])).toBe(true);
    expect(sameContent(staging, noReplicas, [])).toBe(false);
  });

  it("sees a different image, even with replicas ignored", () => {
    const prod = staging.replace("web:1.2.3", "web:1.2.4").replace("replicas: 2", "replicas: 6");
    expect(sameContent(staging, prod, ["spec.replicas"])).toBe(false);
    expect(sameContent(staging, prod, ["spec.replicas", "spec.template.spec.containers.*.image"])).toBe(true);
  });

  it("handles annotation keys with dots", () => {
    const prod = staging.replace('sync-wave: "1"', 'sync-wave: "5"');
    expect(sameContent(staging, prod, ["metadata.annotations.argocd.argoproj.io/sync-wave"])).toBe(false);
    expect(sameContent(staging, prod, ['metadata.annotations["argocd.argoproj.io/sync-wave"]'])).toBe(true);
  });

  it("distinguishes document count, order and value types", () => {
    const first = staging.split("---")[0];
    expect(sameContent(staging, first, [])).toBe(false);
    const [a, b] = staging.split("---");
    expect(sameContent(`${a}---${b}`, `${b}---${a}`, [])).toBe(false);
    expect(sameContent("a: 1", 'a: "1"', [])).toBe(false);
    expect(sameContent("a: [1, 2]", "a: [2, 1]", [])).toBe(false);
    expect(sameContent("a: {}", "a: []", [])).toBe(false);
  });

  it("compares unparsable text byte for byte and does not throw on hostile input", () => {
    expect(sameContent("a: [", "a: [", [])).toBe(true);
    expect(sameContent("a: [", "a:  [", [])).toBe(false);
    expect(sameContent("a: 1\na: 2", "a: 2", [])).toBe(false);
    const lol = [
      "a: &a [x, x, x, x, x, x, x, x, x]",
      ...Array.from(
        { length: 9 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9)
            .fill(`*${String.fromCharCode(97 + i)}`)
            .join(", ")}]`,
      ),
    ].join("\n");
    expect(sameContent(lol, `${lol}\n`, [])).toBe(false);
    expect(sameContent("__proto__: {x: 1}", "__proto__: {x: 2}", ["__proto__.y"])).toBe(false);
    expect(sameContent("", "\n---\n", [])).toBe(true);
  });
});

describe("issue 11 item 14: YAML compared as Kubernetes decodes it", () => {
  const same = (a: string, b: string) => sameContent(a, b, []);

  test("issue 11 item 14: unquoted yes is a boolean, quoted yes a string", () => {
    expect(same("data: { enabled: yes }\n", 'data: { enabled: "yes" }\n')).toBe(false);
    expect(same("data: { enabled: yes }\n", "data: { enabled: true }\n")).toBe(true);
    expect(same("a: on\nb: N\n", "a: true\nb: false\n")).toBe(true);
  });

  test("issue 11 item 14: a leading 0 is octal, so 0755 is not 755", () => {
    expect(same("mode: 0755\n", "mode: 755\n")).toBe(false);
    expect(same("mode: 0755\n", "mode: 493\n")).toBe(true);
    expect(same("mode: 0o755\n", "mode: 0x1ed\n")).toBe(true);
    expect(same("n: 1_000\n", "n: 1000.0\n")).toBe(true);
    expect(same('mode: "0755"\n', "mode: 0755\n")).toBe(false);
  });

  test("timestamps, large integers, merge keys and non-string keys", () => {
    expect(same("at: 2025-01-01\n", 'at: "2025-01-01"\n')).toBe(true); // go-yaml keeps timestamps as text
    expect(same("n: 9007199254740993\n", "n: 9007199254740992\n")).toBe(false); // exact beyond 2^53
    expect(same("base: &b { x: 1 }\nm: { <<: *b, y: 2 }\n", "base: { x: 1 }\nm: { x: 1, y: 2 }\n")).toBe(true);
    expect(same("m: { yes: 1, 0x10: 2 }\n", 'm: { "true": 1, "16": 2 }\n')).toBe(true);
  });
});

describe("resolvePlain", () => {
  test.each([
    ["yes", true],
    ["Off", false],
    ["~", null],
    ["0755", 493n],
    ["-0b101", -5n],
    ["08", 8],
    ["1e3", 1000],
    [".5", 0.5],
    ["nan", "nan"],
    ["Infinity", "Infinity"],
    ["2025-01-01", "2025-01-01"],
    ["1.2.3", "1.2.3"],
  ])("%s", (text, value) => {
    expect(resolvePlain(text)).toEqual(value);
  });
});

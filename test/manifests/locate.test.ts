import { parseManifestFile } from "../../src/manifests/parse.js";
import type { ManifestDocument } from "../../src/types.js";

function doc(content: string, i = 0): ManifestDocument {
  const r = parseManifestFile({ path: "x/app.yaml", content });
  expect(r.problems).toEqual([]);
  return r.documents[i];
}
const at = (d: ManifestDocument, path: (string | number)[]) => {
  const l = d.locate(path);
  return [l.line, l.column];
};

const DEPLOY = `# leading comment
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web, tier: "front"}
spec:
  replicas: 3
  template:
    spec:
      containers:
        - name: app
          image: nginx:1.25
          args:
            - --port=80
            - --verbose
        - name: sidecar
          image: envoy
      command: |
        echo one
        echo two
`;

describe("locate", () => {
  const d = doc(DEPLOY);

  it("points a mapping entry at its key", () => {
    expect(at(d, ["spec", "replicas"])).toEqual([8, 3]);
    expect(d.locate(["spec", "replicas"])).toEqual({
      file: "x/app.yaml",
      line: 8,
      column: 3,
      endLine: 8,
      endColumn: 14,
    });
  });

  it("walks nested lists by index (numbers or digit strings)", () => {
    expect(at(d, ["spec", "template", "spec", "containers", 1, "image"])).toEqual([18, 11]);
    expect(at(d, ["spec", "template", "spec", "containers", "0", "args", 1])).toEqual([16, 15]);
    expect(at(d, ["spec", "template", "spec", "containers", 1])).toEqual([17, 11]);
  });

  it("locates inside flow mappings", () => {
    expect(at(d, ["metadata", "labels", "tier"])).toEqual([6, 22]);
  });

  it("spans block scalars from key to last content line", () => {
    expect(d.locate(["spec", "template", "spec", "command"])).toMatchObject({
      line: 19,
      column: 7,
      endLine: 21,
      endColumn: 17,
    });
  });

  it("falls back to the deepest existing ancestor", () => {
    expect(at(d, ["spec", "template", "spec", "containers", 0, "resources", "limits"])).toEqual([12, 11]);
    expect(at(d, ["spec", "template", "spec", "containers", 7, "image"])).toEqual([11, 7]);
    expect(at(d, ["spec", "replicas", "deeper"])).toEqual([8, 3]);
    expect(at(d, ["nope"])).toEqual([2, 1]);
  });

  it("points the empty path at the first content line and spans the document", () => {
    expect(d.locate([])).toMatchObject({ line: 2, column: 1, endLine: 21 });
    expect(d.startLine).toBe(2);
    expect(d.endLine).toBe(21);
  });

  it("uses file-wide lines in later documents", () => {
    const d2 = doc("a: 1\n---\n# c\nkind: X\nspec:\n  x: [1, {z: 2}]\n", 1);
    expect(d2.index).toBe(1);
    expect(d2.startLine).toBe(4);
    expect(at(d2, ["spec", "x", 1, "z"])).toEqual([6, 11]);
    // `y` is a boolean key in YAML 1.1, so it is found as "true".
    const d3 = doc("m: {y: 2}\n");
    expect(d3.value).toEqual({ m: { true: 2 } });
    expect(at(d3, ["m", "true"])).toEqual([1, 5]);
  });

  it("is exact with CRLF line endings and a BOM", () => {
    const crlf = doc(
      "\uFEFFapiVersion: v1\r\nkind: Pod\r\nspec:\r\n  containers:\r\n    - name: a\r\n      image: b\r\n",
    );
    expect(crlf.locate(["spec", "containers", 0, "image"])).toMatchObject({
      line: 6,
      column: 7,
      endLine: 6,
      endColumn: 15,
    });
    expect(at(crlf, ["apiVersion"])).toEqual([1, 1]);
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode("a: 1\r\nb: 2\r\n")]);
    const d3 = parseManifestFile({ path: "b.yaml", content: bytes }).documents[0];
    expect(at(d3, ["b"])).toEqual([2, 1]);
  });

  it("follows aliases and merge keys to where the value is written", () => {
    const m = doc(
      "base: &base\n  image: nginx\n  port: 80\nweb:\n  <<: *base\n  port: 8080\nlist: &l [a, b]\nref: *l\n",
    );
    expect(m.value.web).toEqual({ image: "nginx", port: 8080 });
    expect(at(m, ["web", "port"])).toEqual([6, 3]);
    expect(at(m, ["web", "image"])).toEqual([2, 3]);
    expect(at(m, ["ref", 1])).toEqual([7, 14]);
    expect(at(m, ["ref"])).toEqual([8, 1]);
  });

  it("finds keys written as non-strings and keys in large mappings", () => {
    const keys = Array.from({ length: 40 }, (_, i) => `k${i}: ${i}`).join("\n");
    const big = doc(`data:\n  1: one\n  true: yes\n${keys.replace(/^/gm, "  ")}\n`);
    expect(at(big, ["data", "1"])).toEqual([2, 3]);
    expect(at(big, ["data", 1])).toEqual([2, 3]);
    expect(at(big, ["data", "true"])).toEqual([3, 3]);
    expect(at(big, ["data", "k39"])).toEqual([43, 3]);
  });

  it("steps into single-pair mappings inside flow sequences", () => {
    const f = doc("x: [a: 1, b]\n");
    expect(f.value).toEqual({ x: [{ a: 1 }, "b"] });
    expect(at(f, ["x", 0, "a"])).toEqual([1, 5]);
    expect(at(f, ["x", 1])).toEqual([1, 11]);
  });
});

test("an empty list item still gets a location at least one column wide", () => {
  const [doc] = parseManifestFile({ path: "e.yaml", content: "l:\n  -\n  - b\n" }).documents;
  const at = doc.locate(["l", 0]);
  expect(at.line).toBe(2);
  expect(at.endColumn!).toBeGreaterThan(at.column!);
});

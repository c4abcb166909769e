import { hasPatchDirectives, normalize, withoutSops } from "../../src/schema/normalize.js";

test("drops null fields of objects but keeps null array items", () => {
  const value = { metadata: { name: "a", creationTimestamp: null }, list: [null, { x: null, y: 1 }] };
  expect(normalize(value, false)).toEqual({ metadata: { name: "a" }, list: [null, { y: 1 }] });
  expect(value.metadata.creationTimestamp).toBeNull(); // the input is not changed
});

test("returns the same object when there is nothing to drop", () => {
  const value = { spec: { replicas: 1, list: [{ a: "b" }] } };
  expect(normalize(value, true)).toBe(value);
});

test("drops $ directives only in patches", () => {
  const value = { spec: { containers: [{ name: "a", $patch: "delete" }] } };
  expect(normalize(value, false)).toBe(value);
  expect(normalize(value, true)).toEqual({ spec: { containers: [{ name: "a" }] } });
  expect(hasPatchDirectives(value)).toBe(true);
  expect(hasPatchDirectives({ spec: { $setElementOrder: 1, "$setElementOrder/containers": [] } })).toBe(true);
  expect(hasPatchDirectives({ spec: { $ref: "x" } })).toBe(false);
});

test("removes the sops block of encrypted manifests only", () => {
  expect(withoutSops({ kind: "Secret", sops: { version: "3" } })).toEqual({ kind: "Secret" });
  const plain = { kind: "ConfigMap", data: {} };
  expect(withoutSops(plain)).toBe(plain);
  const scalar = { kind: "ConfigMap", sops: "x" };
  expect(withoutSops(scalar)).toBe(scalar);
});

import { formatPath, pointerToPath } from "../../src/schema/paths.js";

test("JSON pointers become paths with numbers only for array indexes", () => {
  const data = { spec: { containers: [{ name: "a" }] }, metadata: { labels: { "0": "x", "a/b": "y", "t~n": "z" } } };
  expect(pointerToPath("/spec/containers/0/name", data)).toEqual(["spec", "containers", 0, "name"]);
  expect(pointerToPath("/metadata/labels/0", data)).toEqual(["metadata", "labels", "0"]);
  expect(pointerToPath("/metadata/labels/a~1b", data)).toEqual(["metadata", "labels", "a/b"]);
  expect(pointerToPath("/metadata/labels/t~0n", data)).toEqual(["metadata", "labels", "t~n"]);
  expect(pointerToPath("", data)).toEqual([]);
});

test("paths read like the YAML", () => {
  expect(formatPath(["spec", "template", "spec", "containers", 0, "image"])).toBe(
    "spec.template.spec.containers[0].image",
  );
  expect(formatPath(["metadata", "annotations", "example.com/team"])).toBe('metadata.annotations["example.com/team"]');
  expect(formatPath([])).toBe("");
});

import { diffObjects, objectId } from "../../src/render/object-diff.js";
import type { RenderedObject } from "../../src/render/objects.js";
import { unifiedDiff } from "../../src/render/unified.js";

const obj = (value: Record<string, unknown>): RenderedObject => ({ value, origin: {}, transformations: [] });

describe("unified diff", () => {
  test("one changed line, with three lines of context", () => {
    const a = ["a", "b", "c", "d", "e", "f", "g", "h"].join("\n");
    const b = ["a", "b", "c", "d", "E", "f", "g", "h"].join("\n");
    expect(unifiedDiff(a, b)).toEqual(["@@ -2,7 +2,7 @@", " b", " c", " d", "-e", "+E", " f", " g", " h"]);
  });

  test("distant changes are separate hunks; an added text is one hunk from nothing", () => {
    const a = Array.from({ length: 20 }, (_, i) => `l${i}`);
    const b = a.map((l, i) => (i === 1 || i === 18 ? `${l}!` : l));
    const out = unifiedDiff(a.join("\n"), b.join("\n"));
    expect(out.filter((l) => l.startsWith("@@"))).toEqual(["@@ -1,5 +1,5 @@", "@@ -16,5 +16,5 @@"]);
    expect(unifiedDiff("", "x\ny\n")).toEqual(["@@ -0,0 +1,2 @@", "+x", "+y"]);
    expect(unifiedDiff("same\n", "same\n")).toEqual([]);
  });
});

describe("object diff", () => {
  test("objects are matched by group, kind, namespace and name", () => {
    const dep = (image: string) =>
      obj({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "prod" }, spec: { image } });
    const svc = obj({ apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace: "prod" } });
    const cm = obj({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg" } });
    expect(objectId(dep("x").value)).toBe("apps/Deployment prod/web");
    const changes = diffObjects([dep("web:1"), svc], [dep("web:2"), cm]);
    expect(changes.map((c) => [c.kind, c.id])).toEqual([
      ["changed", "apps/Deployment prod/web"],
      ["added", "ConfigMap cfg"],
      ["removed", "Service prod/web"],
    ]);
    expect(changes[0].diff).toContain("-  image: web:1");
    expect(changes[0].diff).toContain("+  image: web:2");
    expect(diffObjects([svc], [svc])).toEqual([]);
  });
});

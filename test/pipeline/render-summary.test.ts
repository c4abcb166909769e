/** The rendered diff in a check run's summary: counts, objects, a diff, bounded with a note. */
import type { RenderedChanges } from "../../src/gate/verdict.js";
import { MAX_DIFF_LINES, MAX_SECTION_BYTES, renderedSection } from "../../src/pipeline/present-render.js";
import { utf8Length } from "../../src/report/sanitize.js";

const change = (i: number, lines: number): RenderedChanges["objects"][number] => ({
  kind: "changed",
  id: `apps/Deployment podinfo/web-${i}`,
  diff: ["@@ -1,1 +1,1 @@", ...Array.from({ length: lines }, (_, j) => `+  key${j}: value`)],
});

test("objects and their diff, in a block the content cannot close", () => {
  const r: RenderedChanges = {
    label: "kustomize apps/production",
    objects: [{ kind: "added", id: "v1/ConfigMap podinfo/x", diff: ["@@ -0,0 +1,1 @@", "+data: ```"] }],
    judged: 1,
    baseProblems: [],
    headFailed: false,
  };
  const text = renderedSection("production", [r], 65_000);
  expect(text).toContain("**kustomize apps/production**: 1 added, 0 changed, 0 removed (1 object judged)");
  expect(text).toContain("- `+` v1/ConfigMap podinfo/x");
  expect(text).toContain("````diff\n--- /dev/null\n+++ head/v1/ConfigMap podinfo/x\n@@ -0,0 +1,1 @@\n+data: ```\n````");
});

test("a long diff is cut at the line limit with a note saying how much is left out", () => {
  const r: RenderedChanges = {
    label: "kustomize apps/production",
    objects: [change(1, 300), change(2, 300)],
    judged: 2,
    baseProblems: [],
    headFailed: false,
  };
  const text = renderedSection("production", [r], 65_000);
  expect(text).toContain("- `~` apps/Deployment podinfo/web-2");
  expect(text).not.toContain("+++ head/apps/Deployment podinfo/web-2");
  expect(text).toContain(`_… diff truncated: 303 more lines not shown (at most ${MAX_DIFF_LINES} per entry point)._`);
});

test("many entry points: the section keeps within its share of the summary, counts first", () => {
  const entries: RenderedChanges[] = Array.from({ length: 40 }, (_, i) => ({
    label: `kustomize clusters/c${i}`,
    objects: [change(i, 390)],
    judged: 1,
    baseProblems: [],
    headFailed: false,
  }));
  const text = renderedSection("production", entries, 65_000);
  expect(utf8Length(text)).toBeLessThanOrEqual(MAX_SECTION_BYTES);
  expect(text).toContain("**kustomize clusters/c0**: 0 added, 1 changed, 0 removed (1 object judged)");
  expect(text).toMatch(/too long for the check run's summary; `stagegate diff` prints it\._$/);
  expect(utf8Length(renderedSection("production", entries, 5_000))).toBeLessThanOrEqual(5_000);
});

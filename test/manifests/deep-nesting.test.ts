import { parseManifests } from "../../src/manifests/parse.js";
import { resolveLimits } from "../../src/manifests/limits.js";

/**
 * Issue 11 item 18: the YAML depth pre-scan (an estimate) could be evaded — `a:'` opened a "quote" for the scan but
 * not for YAML, hiding everything after it — so it was dropped. Safety never rested on it: whatever the nesting,
 * the parsers stop with a located problem, never a crash, and the other files are still read.
 */
const EVADE = "k: a:'\n"; // a plain scalar to YAML; the opening of a quoted one to the former pre-scan

const shapes: Record<string, (n: number) => string> = {
  "flow sequences": (n) => `a: ${"[".repeat(n)}${"]".repeat(n)}\n`,
  "flow mappings": (n) => `a: ${"{a: ".repeat(n)}1${"}".repeat(n)}\n`,
  "mixed flow with anchors": (n) => `a: ${"&x [{a: ".repeat(n)}1${"}]".repeat(n)}\n`,
  "compact block sequences": (n) => `a:\n${"- ".repeat(n)}x\n`,
};

describe("issue 11 item 18: deep nesting crafted to evade the former pre-scan", () => {
  for (const [name, make] of Object.entries(shapes)) {
    test(`${name}: a located limit/depth problem at any depth, and the next file still parses`, () => {
      for (const n of [150, 1_000, 5_000, 50_000]) {
        const r = parseManifests(
          [
            { path: "deep.yaml", content: EVADE + make(n) },
            { path: "ok.yaml", content: "kind: ConfigMap\nmetadata: {name: ok}\n" },
          ],
          resolveLimits({}),
        );
        expect(r.problems).toEqual([
          expect.objectContaining({
            ruleId: "limit/depth",
            location: expect.objectContaining({ file: "deep.yaml", line: expect.any(Number) }),
          }),
        ]);
        expect(r.problems[0].location.line).toBeGreaterThanOrEqual(1);
        expect(r.files.find((f) => f.file === "ok.yaml")?.documents.map((d) => d.value)).toEqual([
          { kind: "ConfigMap", metadata: { name: "ok" } },
        ]);
      }
    });
  }
});

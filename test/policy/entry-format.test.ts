/**
 * Compiled policies are cached by a hash of their sources and ENTRY_FORMAT, not of the generated entry module: a
 * change to the generator without a new ENTRY_FORMAT would let cached builds of the old entry be reused. The entry
 * for a fixed index is pinned here, per format.
 */
import { createHash } from "node:crypto";
import { ENTRY_FORMAT } from "../../src/policy/compile.js";
import { generateEntryModule } from "../../src/policy/entry.js";
import type { PolicyIndex } from "../../src/policy/inspect.js";

const DIGESTS: Record<number, string> = {
  5: "768d4c81625aa3fd3e41899d0b2ba29c0db6845d56db05cb98fe804375fccddf",
};

const index: PolicyIndex = new Map([
  [
    "main",
    [
      { name: "deny", kind: "deny", file: "p/main.rego", line: 3 },
      { name: "warn_probes", kind: "warn", file: "p/main.rego", line: 5 },
      { name: "exception", kind: "exception", file: "p/main.rego", line: 7 },
    ],
  ],
  ["lib.k8s-x", [{ name: "violation", kind: "violation", file: "p/lib.rego", line: 1 }]],
]);

test("the generated entry changes only together with ENTRY_FORMAT (src/policy/compile.ts)", () => {
  const digest = createHash("sha256")
    .update(generateEntryModule(index, ["main", "lib.k8s-x"]))
    .digest("hex");
  // If this fails after changing entry.ts: bump ENTRY_FORMAT and pin the new digest under the new number.
  expect({ format: ENTRY_FORMAT, digest }).toEqual({ format: ENTRY_FORMAT, digest: DIGESTS[ENTRY_FORMAT] });
});

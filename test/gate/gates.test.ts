import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { PrInput } from "../../src/gate/pr-input.js";
import { isBlocking } from "../../src/gate/verdict.js";
import { PACKAGE_ROOT } from "../../src/policy/toolchain.js";
import { engineFor } from "./helpers.js";

// The built-in gates evaluated for real: compiled to wasm with the custom
// builtins (time.*), run through Engine.checkGates on a complete PR input.
const example = JSON.parse(
  readFileSync(join(PACKAGE_ROOT, "test", "fixtures", "pr-input.example.json"), "utf8"),
) as PrInput;

const CONFIG = `
version: 1
environments:
  staging:
    branches: [staging]
  production:
    branches: [production]
    promote_from: staging
    gates:
      approvals: { count: 2, from: { users: [alice], teams: [acme/sre] }, current_head_only: true }
      signed_commits: true
      labels: { required: [ready-for-prod], forbidden: [do-not-merge] }
      verified_by: ["argocd/staging", "e2e / staging"]
      soak: 1h
      promotion: { mode: content }
`;

describe("Engine.checkGates", () => {
  test("every configured gate reports its state and what is still required", async () => {
    const engine = await engineFor(CONFIG, {});
    const gates = engine.checkGates("production", example, { now: () => BigInt(example.now_ns) });
    const byGate = Object.fromEntries(gates.map((g) => [g.gate, g]));
    expect(Object.keys(byGate).sort()).toEqual([
      "approvals",
      "draft",
      "freeze",
      "labels",
      "promotion",
      "signed_commits",
      "soak",
      "verified_by",
    ]);
    expect(byGate.approvals.state).toBe("waiting");
    expect(byGate.approvals.messages.join(" ")).toMatch(/needs 1 more approval/);
    expect(byGate.signed_commits).toMatchObject({ state: "failed" });
    expect(byGate.signed_commits.messages[0]).toMatch(/9f8e7d6 .*not verified/);
    expect(byGate.labels.state).toBe("passed");
    expect(byGate.verified_by.state).toBe("waiting");
    expect(byGate.verified_by.messages.join(" ")).toContain("e2e / staging");
    expect(byGate.promotion.messages.join(" ")).toContain("envs/production/api-config.yaml");
    expect(byGate.freeze.state).toBe("failed");
    expect(byGate.freeze.messages.join(" ")).toMatch(/by @alice: incident 123/);
    expect(byGate.draft.state).toBe("passed");
  });

  test("a clean pull request passes every gate; a draft waits", async () => {
    const engine = await engineFor(CONFIG, {});
    const clean: PrInput = {
      ...example,
      reviews: example.reviews!.map((r) => ({ ...r, state: "APPROVED", on_current_head: true, permission: "write" })),
      commits: example.commits!.map((c) => ({ ...c, verified: true, verification_reason: "valid" })),
      promotion: {
        ...example.promotion!,
        files_not_in_source: [],
        verification: example.promotion!.verification.map((v) => ({ ...v, state: "success" })),
      },
      freeze: { frozen: false, active: [] },
    };
    const gates = engine.checkGates("production", clean, { now: () => BigInt(example.now_ns) });
    expect(gates.filter((g) => g.state !== "passed")).toEqual([]);

    const draft = engine.checkGates(
      "production",
      { ...clean, pull_request: { ...clean.pull_request, draft: true } },
      { now: () => BigInt(example.now_ns) },
    );
    expect(draft.find((g) => g.gate === "draft")).toMatchObject({ state: "waiting" });
    const verdict = { ...engine.check("production", []), gates: draft };
    expect(isBlocking(verdict)).toBe(true);
    expect(isBlocking({ ...verdict, override: { by: ["alice"], reason: "hotfix" } })).toBe(false);
  });
});

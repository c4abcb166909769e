import { renderExplain } from "../../src/commands/explain-render.js";
import { splitComments } from "../../src/commands/split.js";
import type { Verdict } from "../../src/gate/verdict.js";

describe("splitComments", () => {
  test("packs blocks into bodies within the limit, numbered parts", () => {
    const bodies = splitComments(
      "H",
      Array.from({ length: 10 }, (_, i) => `${i}`.repeat(300)),
      { limit: 1000, maxComments: 20 },
    );
    expect(bodies.length).toBeGreaterThan(1);
    for (const b of bodies) expect(b.length).toBeLessThanOrEqual(1000);
    expect(bodies[0]).toMatch(/^H \(part 1 of \d+\)/);
    expect(bodies.join("")).toContain("9".repeat(300));
  });

  test("beyond the comment cap the rest is dropped with a note; an oversized block is cut", () => {
    const bodies = splitComments("H", ["a".repeat(5000), ...Array.from({ length: 50 }, () => "b".repeat(600))], {
      limit: 1000,
      maxComments: 3,
      more: "see the checks",
    });
    expect(bodies).toHaveLength(3);
    expect(bodies[0]).toContain("(this entry was cut to fit a comment)");
    expect(bodies[2]).toMatch(/…and \d+ more not shown: see the checks/);
    for (const b of bodies) expect(b.length).toBeLessThanOrEqual(1000);
  });
});

describe("renderExplain", () => {
  const verdict = (n: number): Verdict => ({
    environment: "production",
    mode: "enforce",
    findings: Array.from({ length: n }, (_, i) => ({
      ruleId: "lib.deny_x",
      message: `fix ${i} @someone <script>`,
      severity: "failure" as const,
      source: "policy" as const,
      location: { file: "envs/prod/a b.yaml", line: i + 1 },
      namespace: "stagegate.lib.images",
      rule: "deny_x",
    })),
    exemptions: [],
    filesChecked: 1,
    documentsChecked: 1,
    durationMs: 1,
  });
  const links = {
    repoUrl: "https://ghe.example.com/acme/gitops/",
    contentSha: "a".repeat(40),
    configSha: "b".repeat(40),
    ruleSources: {
      "stagegate.lib.images.deny_x": {
        name: "deny_x",
        kind: "deny" as const,
        file: "stagegate:policies/lib/images.rego",
        line: 9,
      },
    },
  };

  test("links lines at the evaluated commit, library rules to the docs, and defuses mentions and HTML", () => {
    const [body] = renderExplain([verdict(2)], links, { prefix: "/gate" });
    expect(body).toContain(`(https://ghe.example.com/acme/gitops/blob/${"a".repeat(40)}/envs/prod/a%20b.yaml#L2)`);
    expect(body).toContain(
      "built-in library rule `policies/lib/images.rego:9` ([docs](https://github.com/stagegate/stagegate/blob/main/policies/README.md))",
    );
    expect(body).not.toContain("@someone");
    expect(body).not.toContain("<script>");
  });

  test("10,000 findings stay within GitHub's comment limit", () => {
    const bodies = renderExplain([verdict(10_000)], links, { prefix: "/gate" });
    expect(bodies.length).toBeLessThanOrEqual(5);
    for (const b of bodies) expect(b.length).toBeLessThanOrEqual(65_536);
  });
});

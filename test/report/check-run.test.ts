import type { Verdict } from "../../src/gate/verdict.js";
import {
  chunkAnnotations,
  formatDuration,
  OUTPUT_TEXT_LIMIT,
  renderCheckRun,
  type CheckRunAnnotation,
} from "../../src/report/check-run.js";
import type { Finding } from "../../src/types.js";
import { cleanVerdict, exemption, finding, productionVerdict } from "./sample-verdicts.js";

const ctx = { policyRevision: "0123456789abcdef0123456789abcdef01234567", durationMs: 1234 };

function bytes(s: string | undefined): number {
  return Buffer.byteLength(s ?? "", "utf8");
}

function many(n: number, message: (i: number) => string): Finding[] {
  return Array.from({ length: n }, (_, i) =>
    finding({
      ruleId: `rule/${i % 7}`,
      message: message(i),
      severity: i % 3 === 0 ? "warning" : "failure",
      location: { file: `envs/production/f${i % 50}.yaml`, line: i + 1, column: 3 },
    }),
  );
}

describe("renderCheckRun: conclusion and title", () => {
  it("fails an enforced environment with failures", () => {
    const { conclusion, output } = renderCheckRun(productionVerdict(), ctx);
    expect(conclusion).toBe("failure");
    expect(output.title).toBe("2 failures, 1 warning in 2 files");
  });

  it("passes warn mode but shows the findings", () => {
    const { conclusion, output } = renderCheckRun({ ...productionVerdict(), mode: "warn" }, ctx);
    expect(conclusion).toBe("success");
    expect(output.title).toBe("2 failures, 1 warning in 2 files (warn mode, not blocking)");
    expect(output.annotations.length).toBeGreaterThan(0);
    expect(output.summary).toContain("Mode **warn**");
  });

  it("passes shadow mode and says so", () => {
    const { conclusion, output } = renderCheckRun({ ...productionVerdict(), mode: "shadow" }, ctx);
    expect(conclusion).toBe("success");
    expect(output.title).toContain("shadow mode");
    expect(renderCheckRun(cleanVerdict({ mode: "shadow" }), ctx).output.title).toBe(
      "All 5 documents pass (shadow mode)",
    );
  });

  it("passes warnings only, in enforce mode", () => {
    const v = cleanVerdict({ findings: [finding({ severity: "warning" })] });
    expect(renderCheckRun(v, ctx)).toMatchObject({ conclusion: "success", output: { title: "1 warning in 1 file" } });
  });

  it("names clean and empty results", () => {
    expect(renderCheckRun(cleanVerdict(), ctx)).toMatchObject({
      conclusion: "success",
      output: { title: "All 5 documents pass" },
    });
    expect(
      renderCheckRun(cleanVerdict({ documentsChecked: 1, filesChecked: 1, exemptions: [exemption()] }), ctx).output
        .title,
    ).toBe("1 document passes (1 exception)");
    const empty = renderCheckRun(
      cleanVerdict({ environment: "production", filesChecked: 0, documentsChecked: 0 }),
      ctx,
    );
    expect(empty.conclusion).toBe("neutral");
    expect(empty.output.title).toBe("No production manifests changed");
    expect(empty.output.text).toBeUndefined();
    expect(empty.output.annotations).toEqual([]);
  });

  it("keeps the title within 255 characters", () => {
    const title = renderCheckRun(
      cleanVerdict({ environment: "🚀".repeat(400), filesChecked: 0, documentsChecked: 0 }),
      ctx,
    ).output.title;
    expect(Array.from(title).length).toBeLessThanOrEqual(255);
    expect(title.length).toBeLessThanOrEqual(255);
  });
});

describe("renderCheckRun: summary", () => {
  const { output } = renderCheckRun(productionVerdict(), {
    ...ctx,
    detailsNote: "> **Note** the branch has merge conflicts.",
  });

  it("has a counts table, findings per rule and file, exemptions, revision and duration", () => {
    expect(output.summary).toContain("| 2 | 1 | 1 | 3 | 14 |");
    expect(output.summary).toContain(
      "| ❌ failure | pod-security/privileged | envs/production/app.yaml:12:7 | Deployment/web: container " +
        '"app" runs privileged |',
    );
    expect(output.summary).toContain(
      "| ⚠️ warning | images/latest | envs/production/app.yaml:20:9 | image uses :latest |",
    );
    expect(output.summary).toContain("### Exemptions");
    expect(output.summary).toContain(
      "| resources/limits | envs/production/db.yaml:3:5 | exception\\[resources/limits\\] |",
    );
    expect(output.summary).toContain("> **Note** the branch has merge conflicts.");
    expect(output.summary).toContain("Policy revision `0123456` · evaluated in 1.2 s");
  });

  it("lists failures before warnings", () => {
    expect(output.summary.indexOf("schema/required")).toBeLessThan(output.summary.indexOf("images/latest"));
  });

  it("escapes user content in table cells", () => {
    const row = output.summary.split("\n").find((l) => l.includes("schema/required"))!;
    expect(row).toContain(
      "a &lt;b&gt; &amp; \"c\" 'd' \\| \\`e\\` %f: g, h<br>second line\\\\x07\\\\x1b\\[31m 🚀 \\]\\]&gt;",
    );
    // A cell never splits: exactly the 5 column separators of a 4-column row.
    expect(row.replace(/\\\|/g, "").split("|")).toHaveLength(6);
    expect(output.summary).not.toContain("<b>");
  });

  it("puts full messages and metadata in text", () => {
    expect(output.text).toContain("#### ❌ schema/required — envs/production/odd dir/x%y.yaml:4");
    expect(output.text).toContain('"severity": "high"');
    expect(output.text).toContain("Exempted by exception\\[resources/limits\\].");
  });
});

describe("renderCheckRun: limits", () => {
  it("truncates summary and text of 10,000 long, multi-byte findings with a visible note", () => {
    const v: Verdict = {
      ...cleanVerdict({ environment: "production" }),
      findings: many(10_000, (i) => `😀 ${i} ` + "ü|`<x>".repeat(300)),
      exemptions: Array.from({ length: 3000 }, () => exemption()),
    };
    const { output } = renderCheckRun(v, ctx);
    for (const s of [output.summary, output.text!]) {
      expect(bytes(s)).toBeLessThanOrEqual(OUTPUT_TEXT_LIMIT);
      expect(s.length).toBeLessThanOrEqual(OUTPUT_TEXT_LIMIT);
      expect(s).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    }
    expect(output.summary).toMatch(/_… \d+ more findings not shown_/);
    expect(output.summary).toMatch(/_… \d+ more exemptions not shown_/);
    expect(output.summary).toContain("Policy revision `0123456`");
    expect(output.summary).toContain("_Only the first 1000 of 13000 annotations were posted (failures first)._");
    expect(output.text).toMatch(/_… \d+ more findings not shown_/);
    const shown = output.summary.split("\n").filter((l) => l.startsWith("| ❌") || l.startsWith("| ⚠️")).length;
    const note = Number(/_… (\d+) more findings not shown_/.exec(output.summary)![1]);
    expect(shown + note).toBe(10_000);
    expect(output.annotations).toHaveLength(1000);
    expect(output.annotations.every((a) => a.annotation_level === "failure")).toBe(true);
  });

  it("keeps within bounds when a single message is huge", () => {
    const v = cleanVerdict({
      findings: [finding({ message: "€".repeat(100_000), metadata: { blob: "x".repeat(100_000) } })],
    });
    const { output } = renderCheckRun(v, { ...ctx, detailsNote: "n".repeat(100_000) });
    expect(bytes(output.summary)).toBeLessThanOrEqual(OUTPUT_TEXT_LIMIT);
    expect(bytes(output.text)).toBeLessThanOrEqual(OUTPUT_TEXT_LIMIT);
    expect(bytes(output.annotations[0].message)).toBeLessThanOrEqual(65_535);
    expect(bytes(output.annotations[0].raw_details)).toBeLessThanOrEqual(65_535);
    expect(output.annotations[0].message.endsWith("…")).toBe(true);
  });

  it("honours maxAnnotations and says so only when annotations were dropped", () => {
    const v = cleanVerdict({ findings: many(30, (i) => `m${i}`), exemptions: [exemption()] });
    const capped = renderCheckRun(v, { ...ctx, maxAnnotations: 10 }).output;
    expect(capped.annotations).toHaveLength(10);
    expect(capped.summary).toContain("Only the first 10 of 31 annotations");
    const all = renderCheckRun(v, ctx).output;
    expect(all.annotations).toHaveLength(31);
    expect(all.annotations[30].annotation_level).toBe("notice");
    expect(all.summary).not.toContain("Only the first");
  });
});

describe("renderCheckRun: annotations", () => {
  const { output } = renderCheckRun(productionVerdict(), ctx);

  it("maps levels and locations; columns only on single-line annotations", () => {
    expect(output.annotations).toEqual([
      {
        path: "envs/production/app.yaml",
        start_line: 12,
        end_line: 12,
        start_column: 7,
        end_column: 20,
        annotation_level: "failure",
        message: 'Deployment/web: container "app" runs privileged',
        title: "pod-security/privileged",
      },
      expect.objectContaining({
        path: "envs/production/odd dir/x%y.yaml",
        start_line: 4,
        end_line: 4,
        annotation_level: "failure",
        raw_details: expect.stringContaining('"high"'),
      }),
      {
        path: "envs/production/app.yaml",
        start_line: 20,
        end_line: 22,
        annotation_level: "warning",
        message: "image uses :latest",
        title: "images/latest",
      },
      {
        path: "envs/production/db.yaml",
        start_line: 3,
        end_line: 3,
        start_column: 5,
        end_column: 5,
        annotation_level: "notice",
        message: 'Exempted by exception[resources/limits]: container "app" has no memory limit',
        title: "resources/limits",
      },
    ]);
    expect(output.annotations[1]).not.toHaveProperty("start_column");
  });

  it("skips findings without a file and repairs unusable lines", () => {
    const v = cleanVerdict({
      findings: [
        finding({ location: { file: "", line: 1 } }),
        finding({ message: "", location: { file: "a.yaml", line: 0, column: 4 } }),
      ],
    });
    const a = renderCheckRun(v, ctx).output.annotations;
    expect(a).toEqual([
      {
        path: "a.yaml",
        start_line: 1,
        end_line: 1,
        annotation_level: "failure",
        message: "(no message)",
        title: "pod-security/privileged",
      },
    ]);
  });
});

describe("chunkAnnotations", () => {
  const make = (n: number): CheckRunAnnotation[] =>
    Array.from({ length: n }, (_, i) => ({
      path: "a.yaml",
      start_line: i + 1,
      end_line: i + 1,
      annotation_level: "failure",
      message: `m${i}`,
    }));

  it.each([
    [0, []],
    [50, [50]],
    [51, [50, 1]],
    [1000, Array(20).fill(50)],
  ])("splits %i annotations into batches of 50", (n, sizes) => {
    const chunks = chunkAnnotations(make(n));
    expect(chunks.map((c) => c.length)).toEqual(sizes);
    expect(chunks.flat()).toEqual(make(n));
  });

  it("takes another size and rejects nonsense", () => {
    expect(chunkAnnotations(make(5), 2).map((c) => c.length)).toEqual([2, 2, 1]);
    expect(() => chunkAnnotations(make(5), 0)).toThrow(RangeError);
    expect(() => chunkAnnotations(make(5), 1.5)).toThrow(RangeError);
  });
});

describe("formatDuration", () => {
  it.each([
    [850, "850 ms"],
    [1234, "1.2 s"],
    [125_000, "2 min 5 s"],
    [Number.NaN, "(unknown time)"],
  ])("%p → %s", (ms, text) => expect(formatDuration(ms)).toBe(text));
});

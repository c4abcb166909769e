/**
 * Hostile inputs: each must end in a located problem, quickly, without
 * crashing the process or blowing the stack.
 */
import { parseManifestFile } from "../../src/manifests/parse.js";

const parse = (content: string | Uint8Array) => parseManifestFile({ path: "h.yaml", content });
const only = (content: string | Uint8Array) => {
  const r = parse(content);
  expect(r.documents).toEqual([]);
  return r.problems.map((p) => p.ruleId);
};

describe("hostile input", () => {
  it("a file of nothing but empty documents is bounded too (not parsed to the end)", () => {
    expect(only("---\n".repeat(200_000))).toEqual(["limit/documents-per-file"]);
    // A few empty documents are fine and skipped.
    expect(parse("---\n---\na: 1\n---\n").documents).toHaveLength(1);
  });

  it("a %YAML directive other than 1.1 is refused: it would change how yes/no/on/off read", () => {
    const r = parse("%YAML 1.2\n---\nflag: yes\n");
    expect(r.documents).toEqual([]);
    expect(r.problems).toEqual([
      expect.objectContaining({
        ruleId: "parse/syntax",
        message: expect.stringContaining("%YAML 1.2 is not supported"),
      }),
    ]);
    expect(parse("%YAML 1.1\n---\nflag: yes\n").documents[0].value).toEqual({ flag: true });
  });

  it("100k nested flow sequences", () => {
    expect(only("a: " + "[".repeat(100_000) + "]".repeat(100_000))).toEqual(["limit/depth"]);
  });

  it("100k unclosed flow mappings", () => {
    expect(only("{".repeat(100_000))).toEqual(["limit/depth"]);
  });

  it("compact nested block sequences filling 1 MiB", () => {
    expect(only("- ".repeat(500_000))).toEqual(["limit/depth"]);
  });

  it("deep indentation", () => {
    let s = "";
    for (let i = 0; i < 1200; i++) s += " ".repeat(i) + "k:\n";
    expect(only(s)).toEqual(["limit/depth"]);
  });

  it("nesting under the parser guard but over maxDepth", () => {
    expect(only("a: " + "[".repeat(150) + "]".repeat(150))).toEqual(["limit/depth"]);
  });

  it("nested collection keys (exponential to stringify)", () => {
    expect(only("? " + "{".repeat(150) + "}".repeat(150) + "\n: x\n")).toEqual(["parse/unsupported-key"]);
    expect(only("{{{{{{{{a: 1}: 1}: 1}: 1}: 1}: 1}: 1}: 1}\n")).toEqual(["parse/unsupported-key"]);
  });

  it("many distinct aliases (quadratic in naive resolution)", () => {
    const text = Array.from({ length: 20_000 }, (_, i) => `k${i}: &a${i} v\nr${i}: *a${i}`).join("\n");
    expect(only(text)).toEqual(["limit/aliases"]);
  });

  it("a file just over 1 MiB is rejected before parsing", () => {
    expect(only("a: " + "x".repeat(1_048_576))).toEqual(["limit/file-size"]);
  });

  it("200k empty documents stop at the documents-per-file limit", () => {
    expect(only("a: 1\n---\n".repeat(100_000))).toEqual(["limit/documents-per-file"]);
  });

  it("an unterminated quote to the end of a large file", () => {
    const r = parse('a: "' + "x\n".repeat(200_000));
    expect(r.problems.map((p) => p.ruleId)).toEqual(["parse/syntax"]);
    expect(r.problems[0].message).toContain("quote");
  });

  it("random bytes never throw", () => {
    let seed = 42;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const alphabet = "ab:-[]{}&*!|>'\"#,? \n\n  <<~%@`\t";
    for (let n = 0; n < 300; n++) {
      let s = "";
      for (let i = 0; i < 200; i++) s += alphabet[Math.floor(rnd() * alphabet.length)];
      const r = parse(s);
      for (const p of r.problems) {
        expect(p.location.line).toBeGreaterThanOrEqual(1);
        expect(p.severity).toBe("failure");
      }
      for (const d of r.documents) {
        expect(() => JSON.stringify(d.value)).not.toThrow();
        expect(d.locate(["a", 0, "b"]).line).toBeGreaterThanOrEqual(1);
      }
    }
  });
});

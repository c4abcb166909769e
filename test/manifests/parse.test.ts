import { isManifestPath, parseManifestFile, parseManifests } from "../../src/manifests/parse.js";
import type { Finding } from "../../src/types.js";

const parse = (content: string | Uint8Array, path = "m.yaml") => parseManifestFile({ path, content });
const rules = (problems: Finding[]) => problems.map((p) => p.ruleId);

describe("isManifestPath", () => {
  it.each([
    ["a/b.yaml", true],
    ["B.YML", true],
    ["x.Json", true],
    ["README.md", false],
    ["yaml", false],
    ["a.yaml.bak", false],
  ])("%s → %s", (p, want) => expect(isManifestPath(p)).toBe(want));
});

describe("parseManifestFile: documents", () => {
  it("reads multi-document YAML, skipping empty and null documents but counting them in index", () => {
    const r = parse("---\na: 1\n---\n# only a comment\n---\n~\n---\nb:\n  c: 2\n---\n");
    expect(r.problems).toEqual([]);
    expect(r.documents.map((d) => [d.index, d.value])).toEqual([
      [0, { a: 1 }],
      [3, { b: { c: 2 } }],
    ]);
    expect(r.documents[1]).toMatchObject({ file: "m.yaml", startLine: 8, endLine: 9 });
  });

  it("reads JSON with the same parser", () => {
    const r = parse(
      '{\n\t"apiVersion": "v1",\n\t"kind": "ConfigMap",\n\t"data": {"on": "yes", "n": 1}\n}\n',
      "cm.json",
    );
    expect(r.problems).toEqual([]);
    expect(r.documents[0].value).toEqual({ apiVersion: "v1", kind: "ConfigMap", data: { on: "yes", n: 1 } });
    expect(r.documents[0].locate(["data", "n"])).toMatchObject({ file: "cm.json", line: 4, column: 24 });
  });

  it("returns nothing for empty and comment-only files", () => {
    expect(parse("")).toEqual({ file: "m.yaml", documents: [], problems: [] });
    expect(parse("# nothing\n---\n").documents).toEqual([]);
  });
});

describe("parseManifestFile: Kubernetes (YAML 1.1) scalars", () => {
  it("resolves YAML 1.1 booleans like go-yaml v2", () => {
    const r = parse(
      "a: [y, Y, yes, Yes, YES, on, On, ON, true, True, TRUE]\nb: [n, N, no, No, NO, off, Off, OFF, false, " +
        "False, FALSE]\nc: [tRUE, oN, yES]\n",
    );
    expect(r.documents[0].value).toEqual({
      a: Array(11).fill(true),
      b: Array(11).fill(false),
      c: ["tRUE", "oN", "yES"],
    });
  });

  it("reads 0755 as octal, hex and binary ints, and keeps timestamps and sexagesimals as strings", () => {
    const r = parse(
      "mode: 0755\nhex: 0x1F\nbin: 0b101\nund: 1_000\nts: 2001-12-14\nsexa: 1:20\nq: '0755'\nf: 1e3\nnull1: ~\n",
    );
    expect(r.documents[0].value).toEqual({
      mode: 493,
      hex: 31,
      bin: 5,
      und: 1000,
      ts: "2001-12-14",
      sexa: "1:20",
      q: "0755",
      f: 1000,
      null1: null,
    });
  });

  it("turns non-string keys into JSON strings", () => {
    const r = parse("1: a\ntrue: b\n1.5: c\n0x10: d\n");
    expect(r.documents[0].value).toEqual({ "1": "a", true: "b", "1.5": "c", "16": "d" });
  });

  it("applies merge keys; explicit keys win and earlier merge sources win", () => {
    const r = parse("a: &a {x: 1, w: 1}\nb: &b {x: 2, w: 2, z: 2}\nm:\n  x: 0\n  <<: [*a, *b]\n");
    expect(r.documents[0].value.m).toEqual({ x: 0, w: 1, z: 2 });
  });

  it("resolves anchors and aliases to the same data", () => {
    const r = parse("env: &env [{name: A, value: '1'}]\nother: *env\n");
    expect(r.documents[0].value).toEqual({ env: [{ name: "A", value: "1" }], other: [{ name: "A", value: "1" }] });
  });

  it("keeps unknown custom tags as plain values", () => {
    expect(parse("x: !env_var FOO\n").documents[0].value).toEqual({ x: "FOO" });
  });

  it("keeps __proto__ as an own data property and never touches Object.prototype", () => {
    const r = parse(
      "__proto__: {polluted: true}\nconstructor: {prototype: {polluted: true}}\nm:\n  <<: {__proto__: " +
        "{polluted: true}}\n",
    );
    const v = r.documents[0].value;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(v, "__proto__")).toBe(true);
    expect(Object.getOwnPropertyDescriptor(v, "__proto__")?.value).toEqual({ polluted: true });
    expect(Object.prototype.hasOwnProperty.call(v.m, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("parseManifestFile: problems", () => {
  it("reports a syntax error with its location and keeps the good documents around it", () => {
    const r = parse("a: 1\n---\nb: [1, 2\nc: 3\n---\nd: 4\n");
    expect(r.documents.map((d) => d.value)).toEqual([{ a: 1 }, { d: 4 }]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({
      ruleId: "parse/syntax",
      severity: "failure",
      source: "parse",
      documentIndex: 1,
    });
    expect(r.problems[0].location.file).toBe("m.yaml");
    expect(r.problems[0].location.line).toBeGreaterThanOrEqual(3);
    expect(r.problems[0].message).toMatch(/^YAML syntax error: /);
  });

  it("reports duplicate keys with both lines", () => {
    const r = parse("apiVersion: v1\nspec:\n  replicas: 1\n  image: x\n  replicas: 2\n");
    expect(r.documents).toEqual([]);
    expect(r.problems).toEqual([
      expect.objectContaining({
        ruleId: "parse/duplicate-key",
        message: 'duplicate key "replicas" (first at line 3)',
        location: expect.objectContaining({ line: 5, column: 3 }),
        documentIndex: 0,
      }),
    ]);
  });

  it("counts keys that read the same in JSON as duplicates (y is true in YAML 1.1)", () => {
    expect(rules(parse("true: a\ny: b\n").problems)).toEqual(["parse/duplicate-key"]);
    expect(rules(parse("1: a\n'1': b\n").problems)).toEqual(["parse/duplicate-key"]);
  });

  it("rejects null and collection keys", () => {
    expect(rules(parse("~: a\n").problems)).toEqual(["parse/unsupported-key"]);
    const r = parse("annotations:\n  x: {{args.enabled}}\n");
    expect(r.problems[0]).toMatchObject({
      ruleId: "parse/unsupported-key",
      location: expect.objectContaining({ line: 2 }),
    });
  });

  it("reports documents that are not mappings", () => {
    const r = parse("- a\n- b\n---\nhello\n---\nok: 1\n");
    expect(r.documents.map((d) => d.index)).toEqual([2]);
    expect(r.problems.map((p) => [p.ruleId, p.documentIndex, p.location.line])).toEqual([
      ["parse/not-a-mapping", 0, 1],
      ["parse/not-a-mapping", 1, 4],
    ]);
    expect(r.problems[0].message).toContain("a list");
  });

  it("reports unknown aliases, alias cycles and bad merges", () => {
    expect(rules(parse("a: *nope\n").problems)).toEqual(["parse/unknown-alias"]);
    expect(rules(parse("a: &x [*x]\n").problems)).toEqual(["parse/alias-cycle"]);
    expect(rules(parse("a: &x {b: *x}\n").problems)).toEqual(["parse/alias-cycle"]);
    expect(rules(parse("a: 1\n<<: 5\n").problems)).toEqual(["parse/invalid-merge"]);
  });

  it("reports invalid UTF-8 and binary content", () => {
    const bad = parse(new Uint8Array([0x61, 0x3a, 0x20, 0x31, 0x0a, 0x62, 0x3a, 0x20, 0xff]));
    expect(bad.problems).toEqual([
      expect.objectContaining({
        ruleId: "parse/invalid-utf8",
        source: "parse",
        location: { file: "m.yaml", line: 2, column: 4 },
      }),
    ]);
    expect(rules(parse(new Uint8Array([0x61, 0x00])).problems)).toEqual(["parse/binary"]);
  });

  it("rejects a file over maxFileBytes before reading it", () => {
    const r = parseManifestFile(
      { path: "big.yaml", content: "a: " + "x".repeat(100) },
      { maxFileBytes: 50, maxDocumentsPerFile: 500, maxTotalDocuments: 20000, maxDepth: 100, maxAliasCount: 100 },
    );
    expect(r.documents).toEqual([]);
    expect(r.problems).toEqual([
      expect.objectContaining({
        ruleId: "limit/file-size",
        source: "limit",
        location: { file: "big.yaml", line: 1, column: 1 },
      }),
    ]);
    expect(r.problems[0].message).toContain("103 bytes");
  });

  it("counts bytes, not characters, for the size limit", () => {
    const limits = {
      maxFileBytes: 10,
      maxDocumentsPerFile: 500,
      maxTotalDocuments: 20000,
      maxDepth: 100,
      maxAliasCount: 100,
    };
    expect(rules(parseManifestFile({ path: "u.yaml", content: "a: ééééé" }, limits).problems)).toEqual([
      "limit/file-size",
    ]);
  });

  it("rejects files with more than maxDocumentsPerFile documents, pointing at the first extra one", () => {
    const limits = {
      maxFileBytes: 1 << 20,
      maxDocumentsPerFile: 2,
      maxTotalDocuments: 20000,
      maxDepth: 100,
      maxAliasCount: 100,
    };
    const r = parseManifestFile({ path: "m.yaml", content: "a: 1\n---\n---\nb: 2\n---\nc: 3\n" }, limits);
    expect(r.documents).toEqual([]);
    expect(r.problems).toEqual([
      expect.objectContaining({ ruleId: "limit/documents-per-file", location: expect.objectContaining({ line: 6 }) }),
    ]);
  });

  it("rejects nesting deeper than maxDepth at the offending node", () => {
    const limits = {
      maxFileBytes: 1 << 20,
      maxDocumentsPerFile: 500,
      maxTotalDocuments: 20000,
      maxDepth: 3,
      maxAliasCount: 100,
    };
    expect(parseManifestFile({ path: "m.yaml", content: "a:\n  b:\n    c: 1\n" }, limits).problems).toEqual([]);
    const r = parseManifestFile({ path: "m.yaml", content: "a:\n  b:\n    c:\n      d: 1\n" }, limits);
    expect(r.problems).toEqual([
      expect.objectContaining({
        ruleId: "limit/depth",
        source: "limit",
        location: expect.objectContaining({ line: 4, column: 7 }),
      }),
    ]);
  });

  it("limits alias expansion (billion laughs)", () => {
    const bomb = [
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]",
      "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]",
      "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]",
      "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]",
      "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]",
      "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]",
    ].join("\n");
    const r = parse(bomb);
    expect(r.documents).toEqual([]);
    expect(r.problems).toEqual([
      expect.objectContaining({ ruleId: "limit/aliases", source: "limit", documentIndex: 0 }),
    ]);
    // A handful of ordinary aliases is fine.
    expect(parse("a: &a {x: 1}\nb: [*a, *a, *a]\n").problems).toEqual([]);
  });
});

describe("parseManifests", () => {
  it("keeps a broken file from affecting the others", () => {
    const r = parseManifests([
      { path: "bad.yaml", content: "a: [\n" },
      { path: "good.yaml", content: "kind: A\n---\nkind: B\n" },
      { path: "bin.yaml", content: new Uint8Array([0]) },
    ]);
    expect(r.documents.map((d) => [d.file, d.value.kind])).toEqual([
      ["good.yaml", "A"],
      ["good.yaml", "B"],
    ]);
    expect(r.files.map((f) => [f.file, rules(f.problems)])).toEqual([
      ["bad.yaml", ["parse/syntax"]],
      ["good.yaml", []],
      ["bin.yaml", ["parse/binary"]],
    ]);
    expect(r.problems.map((p) => p.location.file)).toEqual(["bad.yaml", "bin.yaml"]);
  });

  it("gives limit/total-documents to files past the total budget", () => {
    const limits = {
      maxFileBytes: 1 << 20,
      maxDocumentsPerFile: 500,
      maxTotalDocuments: 3,
      maxDepth: 100,
      maxAliasCount: 100,
    };
    const r = parseManifests(
      [
        { path: "a.yaml", content: "a: 1\n---\nb: 2\n" },
        { path: "b.yaml", content: "c: 1\n---\nd: 2\n" },
        { path: "c.yaml", content: "e: 1\n" },
        { path: "d.yaml", content: "# empty\n" },
      ],
      limits,
    );
    expect(r.documents.map((d) => d.file)).toEqual(["a.yaml", "a.yaml"]);
    expect(r.files.map((f) => rules(f.problems))).toEqual([
      [],
      ["limit/total-documents"],
      ["limit/total-documents"],
      [],
    ]);
    expect(r.files[1].problems[0]).toMatchObject({ source: "limit", location: { file: "b.yaml", line: 3, column: 1 } });
  });

  it("accepts a budget for per-file calls", () => {
    const budget = { remaining: 5 };
    parseManifestFile({ path: "a.yaml", content: "a: 1\n---\n---\nb: 1\n" }, undefined, budget);
    expect(budget.remaining).toBe(3);
  });
});

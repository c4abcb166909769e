/**
 * The fast path (fast-parse.ts) against the full parser: same values, same
 * document indexes, same problems, and — through the positions the fast
 * reader records (or, where it records none, the lazy full parse) — the same
 * start/end lines and the same location for every path, on small cases and on
 * every file of the shared corpus.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { fastParse } from "../../src/manifests/fast-parse.js";
import { resolveLimits } from "../../src/manifests/limits.js";
import { isManifestPath, parseManifestFile, type ParsedFile, type SourceFile } from "../../src/manifests/parse.js";
import type { DocPath } from "../../src/types.js";

const LIMITS = resolveLimits({ maxFileBytes: 4 * 1024 * 1024 });

function both(file: SourceFile): [ParsedFile, ParsedFile] {
  return [parseManifestFile(file, LIMITS), parseManifestFile(file, LIMITS, undefined, { fast: false })];
}

const plain = (p: ParsedFile) => ({ ...p, documents: p.documents.map((d) => ({ index: d.index, value: d.value })) });

/** Every path into `v`, and for each one a path that goes past it (a missing key, an index, past a scalar). */
function* paths(v: unknown, p: DocPath = []): Generator<DocPath> {
  yield p;
  if (v === null || typeof v !== "object") {
    yield [...p, "absent"];
    return;
  }
  yield [...p, Array.isArray(v) ? v.length : "absent", 0];
  if (Array.isArray(v)) yield [...p, "0"];
  for (const [k, c] of Object.entries(v)) yield* paths(c, [...p, Array.isArray(v) ? Number(k) : k]);
}

/** Compares both parses of one file; returns how many locations were compared. */
function expectSame(file: SourceFile, maxPaths = Infinity): number {
  const [fast, full] = both(file);
  expect(plain(fast)).toEqual(plain(full));
  let n = 0;
  fast.documents.forEach((d, i) => {
    const e = full.documents[i];
    expect([d.startLine, d.endLine]).toEqual([e.startLine, e.endLine]);
    let k = 0;
    for (const p of paths(d.value)) {
      if (k++ > maxPaths) break;
      const [a, b] = [d.locate(p), e.locate(p)];
      // One expect per mismatch only: expect() per location is slow on the whole corpus.
      if (!isDeepStrictEqual(a, b)) expect([file.path, p, a]).toEqual([file.path, p, b]);
      n++;
    }
  });
  return n;
}

const CASES: Record<string, string> = {
  block:
    "apiVersion: apps/v1\nkind: Deployment # c\nmetadata:\n  name: web\n  labels: {app: web, 'x': \"y\"}\n" +
    "spec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n      - name: app\n        image: a:1\n" +
    "        args: [--a, \"b c\", 3, yes, ~]\n        env:\n          - name: X\n            value: '0777'\n",
  scalars:
    "a: yes\nb: on\nc: 0777\nd: 0x1F\ne: 1_000\nf: .inf\ng: 1e3\nh: null\ni: ~\nj: 2024-01-01\nk: 1:20\n" +
    "l: \"\\u00e9\\t\\x41\"\nm: 'it''s'\nn: -1\no: a#b\np: a # comment\n1: int key\ntrue: bool key\n",
  // Plain scalars starting with every kind of first character: YAML 1.1 keywords, numbers and their lookalikes.
  scalarWords:
    "a: Yes\nb: NO\nc: True\nd: oFF\ne: Null\nf: NULL\ng: y\nh: N\ni: On\nj: apple\nk: Zulu\nl: yesterday\n" +
    "m: nope\nn: Offset\no: trueish\np: .nan\nq: +12\nr: -0.5\ns: 0b101\nt: <<x\nu: Inf\nv: nan\nw: e3\n" +
    "x: _a\nY: 1\nz: /path\nE: E5\nz2: E\n",
  directive: "%YAML 1.1\n---\na: 1\n",
  colonStart: "a: ':x'\nb: ::node_cpu:rate5m\nc: [:a, b]\nd: {x: :y}\n:k: v\ne: :\nf: x\n",
  literal: "a: |\n  line 1\n\n  line 2\nb: |-\n    x\n     y\nc: |\n\nd: |\n  last",
  multiline: "a: one\n  two\n\n  three\nb:\n  - x\n    y\n",
  documents: "# lead\n---\na: 1\n---\n---\nb: 2\n--- # c\nc: 3\n...\n",
  compact: "list:\n- a: 1\n  b:\n  - x\n- - nested\n",
  duplicate: "a: 1\na: 2\n",
  anchors: "a: &x {b: 1}\nc: *x\n",
  folded: "a: >\n  x\n  y\n",
  foldedForms:
    "a: >-\n  one\n  two\n\n  three\n\n\n  four\nb: >\n  x\n    more\n  y\n\n    deeper\n\n  z\n" +
    "c: >-\n  only\nd: > # c\n  t\n\ne: 1\nf:\n  - >-\n    item one\n    goes on\n  - >\n      indented\n" +
    "g: >\nh: >-\n  x\n   y\n  z\ni: >\n  trailing  \n  spaces\n\n  kept\nj: >-\n  a\n\n\n   b\n  c\n",
  foldedLeadingEmpty: "a: >\n\n  x\n  y\n",
  scalarRoot: "just text\n",
  listRoot: "- a\n- b\n",
  syntax: "a: b: c\n",
  tabs: "a:\n\tb: 1\n",
  mergeKey: "base: &b {x: 1}\nd:\n  <<: *b\n",
  nullKey: "~: 1\n",
  proto: "__proto__: 1\nb: 2\n",
  flowEdge: 'a: [a, [b, {c: d}], ]\nb: {"k":1}\nc: []\nd: {}\ne: [a: 1]\n',
  emptyValues: "a:\nb: \nc: # nothing\nd:\n  # comment\ne: 1\n",
  multilineQuoted:
    'a: "one  \n  two\n\n\n  three \\\n  four\\\\\n  \\t five\n  six"\n' +
    "b:\n  - 'it''s  \n    long'\n  - \"x\n\n    \"\nc: \"\n  lead\" # c\nd: 'end\n  ' \n",
  quotedUnderIndented: 'a:\n  b: "one\n  two"\n',
  quotedEscapedBreakThenBlank: 'a: "one\\\n\n  two"\n',
  quotedUnterminated: 'a: "one\n  two\n',
  quotedEscapedSpaceAtEnd: 'a: "one\\ \n  two"\n',
  // Where collections end: comments on the last line, after it, deeper or not than what follows; empty values.
  endComments:
    "a:\n  b:\n    c: 1 # c\n  # c2\n  d:\n  - x # c\n  # c2\n  - # c\n  -\ne: |\n  text  \n\n# c0\n" +
    "f: | # c\ng: [x, {h: 'i'}] # c\nj:\n- k: \"l\" # c\n  m:\n- \n",
  deepEndComments: "a:\n  b:\n    c: 1\n   # c3\nd:\n  - e: |\n      x\n    # c4\nf: [x]\n\n   # c3\n",
  emptyLastValue: "a: 1\nb:\n# c0\n",
  emptyLastItem: "a:\n  -\n  # c2\nb: 1\n",
  trailingDeepComment: "a:\n  b: 1\n      # c6\n",
  keysAndIndexes:
    '"q k" : 1\n1: one\nyes: y\nlist:\n  - [a, [b, c]]\n  - {}\n  - []\nm: {d: e, "f": [g], h: [i, {j: k}]}\n',
};

describe("fast path and full parser agree", () => {
  it("records positions unless a comment after a collection could lengthen its range", () => {
    for (const name of ["block", "literal", "multilineQuoted", "endComments", "keysAndIndexes"]) {
      const docs = fastParse(CASES[name], 100, 500);
      expect([name, docs?.length, docs?.every((d) => d.positions)]).toEqual([name, docs?.length || -1, true]);
    }
    // Read fast, located by a full parse of the document's lines (the comparison below covers them too).
    for (const name of ["deepEndComments", "emptyLastValue", "emptyLastItem"]) {
      const docs = fastParse(CASES[name], 100, 500);
      expect([name, docs?.length, docs?.[0].positions]).toEqual([name, 1, undefined]);
    }
  });

  for (const [name, text] of Object.entries(CASES)) {
    it(name, () => {
      expectSame({ path: `${name}.yaml`, content: text });
    });
  }

  it("takes the common forms and leaves the rest to the full parser", () => {
    expect(fastParse(CASES.block, 100, 500)).toHaveLength(1);
    expect(fastParse(CASES.documents, 100, 500)).toBeUndefined(); // `...`
    expect(fastParse(CASES.directive, 100, 500)).toBeUndefined();
    expect(fastParse(CASES.scalarWords, 100, 500)).toHaveLength(1);
    expect(fastParse("record: ::node_cpu:rate5m\nexpr: x\n", 100, 500)).toHaveLength(1);
    expect(fastParse("---\na: 1\n---\n---\nb: 2\n", 100, 500)?.map((d) => d.index)).toEqual([0, 2]);
    expect(fastParse(CASES.foldedForms, 100, 500)?.[0].value).toMatchObject({ a: "one two\nthree\n\nfour" });
    for (const name of ["duplicate", "anchors", "foldedLeadingEmpty", "scalarRoot", "syntax", "tabs", "mergeKey"])
      expect([name, fastParse(CASES[name], 100, 500)]).toEqual([name, undefined]);
    expect(fastParse(CASES.nullKey, 100, 500)).toBeUndefined();
    expect(fastParse(CASES.multilineQuoted, 100, 500)).toHaveLength(1);
    for (const name of [
      "quotedUnderIndented",
      "quotedEscapedBreakThenBlank",
      "quotedUnterminated",
      "quotedEscapedSpaceAtEnd",
    ])
      expect([name, fastParse(CASES[name], 100, 500)]).toEqual([name, undefined]);
    expect(fastParse("a:\n  b:\n    c: 1\n", 2, 500)).toBeUndefined(); // deeper than maxDepth
    expect(fastParse("a: 1\n---\nb: 1\n", 100, 1)).toBeUndefined(); // more documents than allowed
  });
});

const ROOT = [join(process.cwd(), "..", "shared", "corpus"), "/work/shared/corpus"].find((d) =>
  existsSync(join(d, "stats.json")),
);
if (!ROOT) console.warn("skipping the fast-path corpus comparison: ../shared/corpus is absent");
const maybe = ROOT ? describe : describe.skip;

function collect(root: string, dir: string, out: SourceFile[]): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== "LICENSES") collect(root, p, out);
    } else if (isManifestPath(e.name) && e.name !== "stats.json") {
      out.push({ path: relative(root, p), content: readFileSync(p) });
    }
  }
}

maybe("fast path on the shared corpus", () => {
  it("gives every file the same documents, problems, lines and locations as the full parser", () => {
    const files: SourceFile[] = [];
    collect(ROOT!, ROOT!, files);
    let located = 0;
    let fastFiles = 0;
    let fastDocuments = 0;
    let indexed = 0;
    for (const f of files) {
      // Every path of every document (and paths past each one): what the recorded positions answer for any finding.
      located += expectSame(f);
      const docs = fastParse(new TextDecoder().decode(f.content as Uint8Array), 100, 500);
      if (!docs) continue;
      fastFiles++;
      fastDocuments += docs.length;
      indexed += docs.filter((d) => d.positions).length;
    }
    expect(located).toBeGreaterThan(300_000);
    // Most real manifests take the fast path (2,110 of 2,264 files when this was written).
    expect(fastFiles / files.length).toBeGreaterThan(0.85);
    // And nearly all of their documents are located by the fast reader's own positions (2,870 of 2,903), so the
    // comparison above is one of those positions against the full parser's.
    expect(indexed / fastDocuments).toBeGreaterThan(0.97);
  }, 300_000);
});

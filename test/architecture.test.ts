/**
 * The shape of src/, checked from the source text: no import cycles, small
 * files, one GitHub gateway, and layers that only import downwards.
 * Imports are read with a regular expression (relative specifiers of
 * `import … from`, `export … from` and `import "…"`, type-only ones
 * included), which is enough for code that prettier has formatted.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), "../src");
const MAX_LINES = 300;

// ---------------------------------------------------------------- layers

/**
 * Which layers each layer may import from, bottom to top. A layer is a folder
 * of src/ or a file directly in it; a layer may always import itself. Adjust
 * the table here when the design changes.
 */
const LAYERS: Record<string, string[]> = {
  "types.ts": [],
  "webassembly.d.ts": [],
  // Engine parts, side by side: none imports another.
  manifests: ["types.ts"],
  schema: ["types.ts"],
  policy: ["types.ts", "webassembly.d.ts"],
  config: ["types.ts"],
  // Worker threads: policy evaluation under a wall-clock and memory budget.
  sandbox: ["types.ts", "policy"],
  // Rendering (kustomize) of entry points into the objects they apply, located at their sources.
  render: ["types.ts", "manifests", "schema"],
  // The pure judge.
  gate: ["types.ts", "config", "manifests", "schema", "policy", "sandbox", "render"],
  // What a pull request's evaluation needs to know, and the interface the GitHub gateway implements to answer it.
  gather: ["types.ts", "config", "gate"],
  report: ["types.ts", "manifests", "schema", "policy", "config", "gate"],
  // The only code that talks to GitHub.
  github: ["types.ts", "config"],
  pipeline: [
    ...["types.ts", "manifests", "schema", "policy", "sandbox", "config", "render"],
    ...["gate", "gather", "report", "github"],
  ],
  // Where evaluation requests go: in-process, or BullMQ on Redis shared by replicas.
  queue: [
    ...["types.ts", "manifests", "schema", "policy", "sandbox", "config", "render"],
    ...["gate", "gather", "report", "github", "pipeline"],
  ],
  commands: [
    ...["types.ts", "manifests", "schema", "policy", "config", "render"],
    ...["gate", "gather", "report", "github", "pipeline"],
  ],
  handlers: [
    ...["types.ts", "manifests", "schema", "policy", "config", "render", "gate", "gather", "report", "github"],
    ...["pipeline", "queue", "commands"],
  ],
  // The CLI works on a checkout: nothing of the GitHub App.
  cli: ["types.ts", "manifests", "schema", "policy", "sandbox", "config", "render", "gate", "gather", "report"],
  // Entry files.
  "app.ts": [
    ...["types.ts", "manifests", "schema", "policy", "config", "render", "gate", "gather", "report", "github"],
    ...["pipeline", "queue", "commands", "handlers", "cli"],
  ],
  "server.ts": [
    ...["types.ts", "manifests", "schema", "policy", "config", "render", "gate", "gather", "report", "github"],
    ...["pipeline", "queue", "commands", "handlers", "cli", "app.ts"],
  ],
};

/**
 * Layers that may also import the types (`import type`, `export type`) of
 * other layers: the GitHub gateway implements interfaces that the layers
 * using it define (PullFacts in gather/, AccessFacts and RepoReader in gate/),
 * so it needs their declarations but none of their code.
 */
const TYPE_IMPORTS: Record<string, string[]> = {
  github: ["gate", "gather"],
};

/**
 * Imports that break the table today, each being removed by whoever owns the
 * importing file. Empty this list as they go; never add to it to make a new
 * import pass. Keys: `importing file -> imported file`, relative to src/.
 */
const KNOWN_LAYER_VIOLATIONS = new Set<string>([]);

// ---------------------------------------------------------------- files in src/ over 300 lines

/** Files being split right now by their owners; empty this list as they go. */
const KNOWN_LONG_FILES = new Set<string>([]);

// ---------------------------------------------------------------- reading src/

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)],
  );
}

const rel = (abs: string) => relative(SRC, abs).split("\\").join("/");
const layerOf = (file: string) => file.split("/")[0];

const sources = filesUnder(SRC)
  .filter((f) => f.endsWith(".ts"))
  .map((abs) => ({ file: rel(abs), text: readFileSync(abs, "utf8") }));

interface Import {
  target: string;
  typeOnly: boolean;
}

/** Relative imports of one file within src/, as paths relative to src/ (`./x.js` → `x.ts`); data files outside src/
 * (the config schema) are not modules of a layer. */
function importsOf(file: string, text: string): Import[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  const out: Import[] = [];
  for (const m of code.matchAll(/(?:^|[\s;])(import|export)\s+(type\s)?[^'"`;]*?["'](\.{1,2}\/[^"']+)["']/g)) {
    const target = rel(resolve(SRC, dirname(file), m[3])).replace(/\.js$/, ".ts");
    if (!target.startsWith("../")) out.push({ target, typeOnly: m[2] !== undefined });
  }
  return out;
}

const imports = new Map(sources.map((s) => [s.file, importsOf(s.file, s.text)]));
const graph = new Map([...imports].map(([file, list]) => [file, list.map((i) => i.target)]));

/** Strongly connected components with more than one file (or a file importing itself): Tarjan's algorithm. */
function cycles(g: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of g.get(v) ?? []) {
      if (!g.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (g.get(v) ?? []).includes(v)) found.push(scc.sort());
    }
  };
  for (const v of [...g.keys()].sort()) if (!index.has(v)) visit(v);
  return found;
}

// ---------------------------------------------------------------- the rules

test("src/ has files to check", () => {
  expect(sources.length).toBeGreaterThan(50);
  expect(graph.get("server.ts")).toContain("app.ts");
});

test("no import cycle among the files of src/", () => {
  expect(cycles(graph)).toEqual([]);
});

test(`no file in src/ is over ${MAX_LINES} lines`, () => {
  const long = sources
    .map((s) => ({ file: s.file, lines: s.text.split("\n").length - (s.text.endsWith("\n") ? 1 : 0) }))
    .filter((s) => s.lines > MAX_LINES && !KNOWN_LONG_FILES.has(s.file))
    .map((s) => `${s.file}: ${s.lines} lines`);
  expect(long).toEqual([]);
});

/** Files outside src/github/ that name octokit (in code or comments, as `git grep -il octokit src` would list them). */
export function octokitOutsideGithub(): string[] {
  return filesUnder(SRC)
    .map(rel)
    .filter((f) => !f.startsWith("github/") && /octokit/i.test(readFileSync(join(SRC, f), "utf8")));
}

test("octokit appears only in files under src/github/", () => expect(octokitOutsideGithub()).toEqual([]));

test("every folder and file of src/ has a place in the layer table", () => {
  const unknown = [...new Set(sources.map((s) => layerOf(s.file)))].filter((l) => !(l in LAYERS));
  expect(unknown).toEqual([]);
});

test("layers import only from the layers below them", () => {
  const violations: string[] = [];
  for (const [file, list] of imports) {
    const from = layerOf(file);
    for (const { target, typeOnly } of list) {
      const to = layerOf(target);
      const edge = `${file} -> ${target}`;
      if (to === from || (LAYERS[from] ?? []).includes(to) || KNOWN_LAYER_VIOLATIONS.has(edge)) continue;
      if (typeOnly && (TYPE_IMPORTS[from] ?? []).includes(to)) continue;
      violations.push(`${edge} (${from} may not import ${typeOnly ? "the types of " : ""}${to})`);
    }
  }
  expect(violations).toEqual([]);
});

test("the list of known layer violations holds only imports that still exist", () => {
  const edges = new Set([...graph].flatMap(([file, targets]) => targets.map((t) => `${file} -> ${t}`)));
  expect([...KNOWN_LAYER_VIOLATIONS].filter((e) => !edges.has(e))).toEqual([]);
});

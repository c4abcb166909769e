import type { PolicyIndex } from "./inspect.js";

/** Package of the generated entrypoint module. Reserved: user policies must not use it. */
export const ENTRY_PACKAGE = "stagegate.entry";
/** The wasm entrypoint for manifests: evaluates every document of one file in one call. */
export const ENTRYPOINT = "stagegate/entry/file";
/** The wasm entrypoint for PR-level policies: input is the pull request's facts. */
export const PR_ENTRYPOINT = "stagegate/entry/pr";

/**
 * Generates the Rego module that the wasm build is compiled from.
 *
 * `file` — input `{ documents: [...], namespaces: [...], context: {environment, file} }`;
 * output one entry per document: `{ "<namespace>": { "<rule>": [values] } }`.
 * `pr` — input `{ pr: <PrInput>, namespaces: [...] }`; output `{ "<namespace>": { "<rule>": [values] } }`.
 * Every requested namespace is there; a rule only when its value is not empty.
 *
 * Each rule is read as `[v | v := data.<ns>.<rule>]` — zero or one value,
 * whatever kind of rule it is — so an undefined rule never hides the others,
 * and the TypeScript side flattens sets. An undefined rule, an empty set
 * (most rules of most documents) or an empty array holds no result and is
 * left out: such values were most of the result, to build in wasm and to
 * parse. Namespaces stay even when empty: leaving some out would reorder the
 * others (wasm objects are hash tables), and findings at one location, and
 * `--combine` output, follow that order. Each document is evaluated `with
 * input as` the document, as conftest does, and `data.stagegate.context`
 * carries its file, index and sibling documents without copying them per
 * document. One `with` covers every namespace of a document (not one per namespace): the context is built
 * once per document, and helper rules shared by namespaces are not re-evaluated for each.
 */
export function generateEntryModule(index: PolicyIndex, namespaces: string[]): string {
  const lines = [
    `package ${ENTRY_PACKAGE}`,
    "",
    "file := [r |",
    "\tsome i, doc in input.documents",
    "\tnss := input.namespaces",
    '\tctx := object.union(input.context, {"index": i, "documents": input.documents})',
    "\tcf := conftest_file",
    "\tr := {ns: rules(ns) | some ns in nss}",
    "\t\twith input as doc",
    "\t\twith data.stagegate.context as ctx",
    "\t\twith data.conftest.file as cf",
    "]",
    "",
    "# conftest's data.conftest.file: the file's name and its directory (relative to the repository root here).",
    'conftest_file := {"name": parts[count(parts) - 1], "dir": dir} if {',
    '\tparts := split(input.context.file, "/")',
    '\tdir := concat("/", array.slice(parts, 0, count(parts) - 1))',
    "}",
    "",
    "pr := {ns: res |",
    "\tsome ns in input.namespaces",
    "\tres := rules(ns) with input as input.pr",
    "}",
    "",
  ];
  for (const ns of namespaces) {
    const rules = index.get(ns) ?? [];
    const ref = refFor(ns);
    const fields = rules.map((r) => `\t${JSON.stringify(r.name)}: [v | v := ${ref}.${r.name}; v != set(); v != []],`);
    lines.push(
      `rules(ns) := {name: vs | some name, vs in {`,
      ...fields,
      `}; vs != []} if ns == ${JSON.stringify(ns)}`,
      "",
    );
  }
  // With no namespace at all the function still needs a definition to compile.
  if (namespaces.length === 0) lines.push("rules(ns) := {} if false", "");
  return lines.join("\n");
}

/** `data.a.b` with bracket segments for names that are not plain identifiers. */
function refFor(ns: string): string {
  return (
    "data" +
    ns
      .split(".")
      .map((seg) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(seg) ? `.${seg}` : `[${JSON.stringify(seg)}]`))
      .join("")
  );
}

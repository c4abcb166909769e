/**
 * Generates the reference part of docs/configuration.md from the config JSON
 * Schema. Self-contained (no imports) so scripts/config-reference.mjs can
 * transpile and run it without a build.
 */

type Schema = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const REFERENCE_BEGIN =
  "<!-- BEGIN GENERATED REFERENCE: edit schemas/stagegate-config.schema.json, then run `node " +
  "scripts/config-reference.mjs` -->";
export const REFERENCE_END = "<!-- END GENERATED REFERENCE -->";

/** The markdown reference: one section per key, with type, default and description. */
export function renderConfigReference(schema: Schema): string {
  const defs: Schema = schema.$defs ?? {};
  const out: string[] = [];
  walk(schema, [], defs, out, new Set(), new Set(schema.required ?? []), "");
  return out.join("\n").trimEnd() + "\n";
}

/** `doc` with the text between the reference markers replaced by a fresh rendering (markers appended when missing). */
export function updateConfigReference(doc: string, schema: Schema): string {
  const body = `${REFERENCE_BEGIN}\n\n${renderConfigReference(schema)}\n${REFERENCE_END}\n`;
  const start = doc.indexOf(REFERENCE_BEGIN);
  const end = doc.indexOf(REFERENCE_END);
  if (start < 0 || end < start) return `${doc.trimEnd()}\n\n${body}`;
  return doc.slice(0, start) + body + doc.slice(end + REFERENCE_END.length).replace(/^\n/, "");
}

function resolve(node: Schema, defs: Schema): { schema: Schema; ref?: string } {
  if (typeof node.$ref === "string") {
    const ref = node.$ref.replace(/^#\/\$defs\//, "");
    // Keywords next to $ref (description, default) refine the shared definition.
    const { $ref: _ignored, ...siblings } = node;
    return { schema: { ...(defs[ref] ?? {}), ...siblings }, ref };
  }
  return { schema: node };
}

function walk(
  node: Schema,
  path: string[],
  defs: Schema,
  out: string[],
  refsOnPath: Set<string>,
  required: Set<string>,
  key: string,
): void {
  const { schema, ref } = resolve(node, defs);
  if (ref && refsOnPath.has(ref)) return; // recursive schemas would never end
  const refs = ref ? new Set([...refsOnPath, ref]) : refsOnPath;

  if (path.length > 0) section(schema, path, defs, out, required.has(key));
  else {
    out.push(`## ${schema.title ?? "Configuration"}`, "", schema.description ?? "", "");
  }

  const props: Schema = schema.properties ?? {};
  const req = new Set<string>(schema.required ?? []);
  for (const [name, child] of Object.entries(props)) {
    if (name.startsWith("_") && path.length === 0 && name !== "_extends") continue;
    walk(child as Schema, [...path, name], defs, out, refs, req, name);
  }
  if (schema.additionalProperties && typeof schema.additionalProperties === "object") {
    walk(schema.additionalProperties, [...path, "<name>"], defs, out, refs, new Set(), "<name>");
  }
  if (schema.type === "array" && schema.items) {
    const items = resolve(schema.items, defs).schema;
    const objects = items.type === "object" || (Array.isArray(items.type) && items.type.includes("object"));
    if (objects && items.properties) {
      const itemReq = new Set<string>(items.required ?? []);
      for (const [name, child] of Object.entries(items.properties as Schema)) {
        walk(
          child as Schema,
          [...path.slice(0, -1), `${path[path.length - 1]}[]`, name],
          defs,
          out,
          refs,
          itemReq,
          name,
        );
      }
    }
  }
}

function section(schema: Schema, path: string[], defs: Schema, out: string[], isRequired: boolean): void {
  // One heading level for every key: the dotted path already shows the nesting.
  out.push(`### \`${path.join(".")}\``, "");
  const facts = [`- **Type:** ${typeText(schema, defs)}`];
  if (isRequired) facts.push("- **Required**");
  if (schema.default !== undefined) facts.push(`- **Default:** \`${JSON.stringify(schema.default)}\``);
  const hint = formatHint(schema, defs);
  if (hint) facts.push(`- **Format:** ${hint}`);
  out.push(...facts, "");
  if (schema.description) out.push(schema.description, "");
}

function typeText(node: Schema, defs: Schema): string {
  const { schema, ref } = resolve(node, defs);
  if (schema.const !== undefined) return `\`${JSON.stringify(schema.const)}\``;
  if (Array.isArray(schema.enum)) return `one of ${schema.enum.map((v: unknown) => `\`${String(v)}\``).join(", ")}`;
  if (ref && ["glob", "namespace", "user", "team", "duration"].includes(ref)) return `string (${ref})`;
  if (ref === "principals") return "mapping (`users`, `teams`)";
  // a union such as ["string", "object"]: a name or a mapping
  if (Array.isArray(schema.type))
    return schema.type.map((t: string) => typeText({ ...schema, type: t }, defs)).join(" or ");
  switch (schema.type) {
    case "array":
      return schema.items ? `list of ${typeText(schema.items, defs)}` : "list";
    case "object":
      if (schema.additionalProperties && typeof schema.additionalProperties === "object")
        return "mapping of names to mappings";
      return schema.properties ? "mapping" : "mapping (free-form)";
    case "integer":
      return schema.minimum !== undefined ? `integer ≥ ${schema.minimum}` : "integer";
    default:
      return String(schema.type ?? "any");
  }
}

function formatHint(node: Schema, defs: Schema): string | undefined {
  const { schema } = resolve(node, defs);
  if (typeof schema["x-hint"] === "string") return schema["x-hint"];
  if (schema.type === "array" && schema.items) {
    const items = resolve(schema.items, defs).schema;
    if (typeof items["x-hint"] === "string") return `each ${items["x-hint"]}`;
  }
  return undefined;
}

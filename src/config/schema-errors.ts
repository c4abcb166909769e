import type { ErrorObject } from "ajv";
import { pointerToPath, type PathSegment } from "./locate.js";
import { describeValue, pathText, suggest, type PathProblem } from "./problems.js";

const TYPE_NAMES: Record<string, string> = {
  object: "a mapping",
  array: "a list",
  string: "a string",
  integer: "a whole number",
  number: "a number",
  boolean: "true or false",
  null: "empty",
};

/** Turns ajv's errors into located, readable problems (one per offending key or value). */
export function schemaProblems(errors: ErrorObject[]): PathProblem[] {
  const out: PathProblem[] = [];
  const seen = new Set<string>();
  for (const err of errors) {
    const problem = toProblem(err);
    if (!problem) continue;
    const id = `${pathText(problem.path)}|${problem.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(problem);
  }
  return out;
}

function toProblem(err: ErrorObject): PathProblem | undefined {
  const path = pointerToPath(err.instancePath);
  const params = err.params as Record<string, unknown>;
  const schema = (err.parentSchema ?? {}) as Record<string, unknown>;
  const got = `(got ${describeValue(err.data)})`;
  // Errors inside `propertyNames` concern a key's name, not its value.
  const propertyName = (err as { propertyName?: string }).propertyName;
  if (err.keyword === "propertyNames") return undefined; // its inner error says more
  if (propertyName !== undefined) {
    const hint = typeof schema["x-hint"] === "string" ? schema["x-hint"] : `match ${String(schema.pattern)}`;
    return at([...path, propertyName], "key", `invalid name ${JSON.stringify(propertyName)}: must be ${hint}`);
  }
  switch (err.keyword) {
    case "additionalProperties": {
      const key = String(params.additionalProperty);
      const known = Object.keys((schema.properties as object | undefined) ?? {}).filter((k) => !k.startsWith("_"));
      const guess = suggest(key, known);
      const hint = guess ? `did you mean "${guess}"?` : `expected one of: ${known.join(", ")}`;
      return at([...path, key], "key", `unknown key (${hint})`);
    }
    case "required":
      return at([...path, String(params.missingProperty)], "value", "is required");
    case "type": {
      const wanted = String(params.type)
        .split(",")
        .map((t) => TYPE_NAMES[t] ?? t)
        .join(" or ");
      return at(path, "value", `must be ${wanted} ${got}`);
    }
    case "enum":
      return at(path, "value", `must be one of ${(params.allowedValues as unknown[]).map(String).join(", ")} ${got}`);
    case "const":
      return at(path, "value", `must be ${JSON.stringify(params.allowedValue)} ${got}`);
    case "pattern": {
      const hint = typeof schema["x-hint"] === "string" ? schema["x-hint"] : `match ${String(params.pattern)}`;
      return at(path, "value", `must be ${hint} ${got}`);
    }
    case "minLength":
      return at(path, "value", "must not be empty");
    case "minimum":
      return at(path, "value", `must be at least ${String(params.limit)} ${got}`);
    case "minProperties":
      return at(
        path,
        "value",
        `must have at least ${String(params.limit)} ${Number(params.limit) === 1 ? "entry" : "entries"}`,
      );
    default:
      return at(path, "value", err.message ?? `is invalid (${err.keyword})`);
  }
}

function at(path: PathSegment[], where: "key" | "value", message: string): PathProblem {
  return { path, at: where, message };
}

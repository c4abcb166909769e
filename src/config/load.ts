import { LineCounter, parseDocument, type Document } from "yaml";
import { locate, type PathSegment } from "./locate.js";
import { completeConfig } from "./complete.js";
import { pathText, type PathProblem } from "./problems.js";
import { crossFieldProblems } from "./rules.js";
import { schemaProblems } from "./schema-errors.js";
import { validateAgainstSchema } from "./schema.js";
import type { StagegateConfig } from "./types.js";

export const DEFAULT_CONFIG_FILE = ".github/stagegate.yml";

/** Config files are small; anything bigger is a mistake or an attack. */
const MAX_CONFIG_BYTES = 256 * 1024;
const MAX_ALIASES = 100;

export interface ConfigProblem {
  file: string;
  line: number;
  column: number;
  /** `environments.production.mode: must be one of enforce, warn, shadow (got "enforced")` */
  message: string;
}

/** An invalid config file. `problems` lists every problem found, in file order. */
export class ConfigError extends Error {
  constructor(
    message: string,
    public readonly problems: ConfigProblem[],
  ) {
    super(message);
    this.name = "ConfigError";
  }

  static of(problems: ConfigProblem[]): ConfigError {
    const lines = problems.map((p) => `  ${p.file}:${p.line}:${p.column}: ${p.message}`);
    const head =
      problems.length === 1 ? "invalid configuration" : `invalid configuration (${problems.length} problems)`;
    return new ConfigError(`${head}:\n${lines.join("\n")}`, problems);
  }
}

/**
 * Parses and validates `.github/stagegate.yml`, fills in defaults and checks
 * the rules the schema cannot express. Throws a ConfigError listing all
 * problems, each at the line of the offending key or value.
 */
export function parseConfig(text: string, file: string = DEFAULT_CONFIG_FILE): StagegateConfig {
  const fail = (line: number, column: number, message: string): never => {
    throw ConfigError.of([{ file, line, column, message }]);
  };
  if (typeof text !== "string") fail(1, 1, "configuration must be text");
  if (Buffer.byteLength(text, "utf8") > MAX_CONFIG_BYTES) {
    fail(1, 1, `file is larger than ${MAX_CONFIG_BYTES} bytes`);
  }

  const lineCounter = new LineCounter();
  let doc: Document;
  try {
    doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: true });
  } catch (e) {
    return fail(1, 1, `YAML: ${yamlMessage((e as Error).message)}`);
  }
  if (doc.errors.length > 0) {
    // A stack overflow repeats once per open level; one report is enough. Beyond 20, more errors only add noise.
    const overflow = doc.errors.find((e) => /call stack/i.test(e.message));
    throw ConfigError.of(
      (overflow ? [overflow] : doc.errors.slice(0, 20)).map((e) => ({
        file,
        line: e.linePos?.[0].line ?? 1,
        column: e.linePos?.[0].col ?? 1,
        message: `YAML: ${yamlMessage(e.message)}`,
      })),
    );
  }
  if (doc.contents === null) {
    fail(1, 1, "file is empty; it needs at least `version: 1` and `environments`");
  }

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (e) {
    fail(1, 1, `YAML: ${yamlMessage((e as Error).message)}`);
  }
  const exotic = exoticValuePath(data);
  if (exotic) {
    const { line, column } = locate(doc, lineCounter, exotic);
    fail(
      line,
      column,
      `${pathText(exotic)}: unsupported YAML value (such as !!binary or !!set); use strings, numbers, ` +
        `booleans, lists and mappings`,
    );
  }
  return fromData(data, (problems) => locateAll(problems, doc, lineCounter, file));
}

/**
 * The config the CLI uses without a config file, conftest-style: one
 * environment (default name "default") matching every branch, enforcing,
 * with the given policy paths and namespaces. Kubernetes schemas are on but
 * not strict: someone checking policies ad hoc should not fail on fields of
 * a newer Kubernetes version than our schemas know.
 */
export function defaultConfigForPolicies(opts: {
  policyPaths: string[];
  namespaces: string[];
  environment?: string;
}): StagegateConfig {
  const name = opts.environment ?? "default";
  const raw = {
    version: 1,
    environments: { [name]: { branches: ["**"], mode: "enforce" } },
    policies: {
      paths: opts.policyPaths.length > 0 ? [...opts.policyPaths] : ["policy"],
      namespaces: opts.namespaces.length > 0 ? [...opts.namespaces] : ["main"],
    },
    schemas: { kubernetes: { enabled: true, strict: false } },
  };
  // Same validation as a file, so a bad --namespace or environment name is reported the same way.
  return fromData(raw, (problems) =>
    problems.map((p) => ({ file: "(command line)", line: 1, column: 1, message: `${pathText(p.path)}: ${p.message}` })),
  );
}

function fromData(data: unknown, place: (problems: PathProblem[]) => ConfigProblem[]): StagegateConfig {
  // Both passes run so that one round of fixes is enough; the schema fills defaults in place first.
  const problems = [...schemaProblems(validateAgainstSchema(data)), ...crossFieldProblems(data)];
  if (problems.length > 0) throw ConfigError.of(place(problems));
  return completeConfig(data as Record<string, unknown>);
}

function locateAll(problems: PathProblem[], doc: Document, lineCounter: LineCounter, file: string): ConfigProblem[] {
  return problems
    .map((p) => {
      const { line, column } = locate(doc, lineCounter, p.path, p.at);
      return { file, line, column, message: `${pathText(p.path)}: ${p.message}` };
    })
    .sort((a, b) => a.line - b.line || a.column - b.column);
}

/** The path of the first value that is not plain JSON data (typed YAML tags give Uint8Array, Set, Map, Date). */
function exoticValuePath(data: unknown): PathSegment[] | undefined {
  const stack: [unknown, PathSegment[]][] = [[data, []]];
  while (stack.length > 0) {
    const [value, path] = stack.pop()!;
    if (value === null || typeof value !== "object") continue;
    if (Array.isArray(value)) {
      value.forEach((v, i) => stack.push([v, [...path, i]]));
    } else if (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null) {
      for (const [k, v] of Object.entries(value)) stack.push([v, [...path, k]]);
    } else {
      return path;
    }
  }
  return undefined;
}

/** yaml's pretty messages end with " at line L, column C:" and a source excerpt; we give the position separately. */
function yamlMessage(message: string): string {
  if (/call stack/i.test(message)) return "nested too deeply";
  return message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
}

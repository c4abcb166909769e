import type { ValidateFunction } from "ajv";
import picomatch from "picomatch";
import { createAjv, draftOf } from "./ajv.js";
import { SchemaLoadError } from "./errors.js";

/** A repository schema as the config layer hands it over. */
export interface CustomSchemaInput {
  source: string;
  schema: object;
  apiVersion?: string;
  kind?: string;
  files?: string[];
}

/** A repository schema, compiled, with what it applies to. */
export interface CustomSchema {
  source: string;
  validate: ValidateFunction;
  apiVersion?: string;
  kind?: string;
  /** Matches a file path; undefined when the schema is not mapped by file. */
  matchesFile?: (file: string) => boolean;
  /** True when mapped by apiVersion and/or kind: such a schema replaces the built-in one. */
  byKind: boolean;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Compiles one repository schema, in its own ajv instance so `$id`s of different files cannot clash. */
export function compileCustom(input: CustomSchemaInput): CustomSchema {
  const { source } = input;
  if (input.schema === null || typeof input.schema !== "object" || Array.isArray(input.schema)) {
    throw new SchemaLoadError(source, "a schema must be a JSON object");
  }
  const byKind = input.apiVersion !== undefined || input.kind !== undefined;
  const files = input.files ?? [];
  if (!byKind && files.length === 0) {
    throw new SchemaLoadError(source, "map the schema to documents with apiVersion/kind or files");
  }
  const draft = draftOf(input.schema);
  if (typeof draft !== "string") throw new SchemaLoadError(source, draft.unsupported);

  let validate: ValidateFunction;
  try {
    // The instance already knows its draft; dropping $schema also lets draft-06 schemas through.
    const { $schema: _ignored, ...schema } = input.schema as Record<string, unknown>;
    validate = createAjv(draft).compile(schema);
  } catch (error) {
    throw new SchemaLoadError(source, describe(error));
  }

  let matchesFile: ((file: string) => boolean) | undefined;
  if (files.length > 0) {
    try {
      matchesFile = picomatch(files, { dot: true });
    } catch (error) {
      throw new SchemaLoadError(source, `bad file pattern: ${describe(error)}`);
    }
  }
  return { source, validate, apiVersion: input.apiVersion, kind: input.kind, matchesFile, byKind };
}

/**
 * Whether a schema applies to a document: every mapping it declares must hold
 * (apiVersion, kind, files); documents without apiVersion/kind only match by file.
 */
export function applies(
  schema: CustomSchema,
  file: string,
  apiVersion: string | undefined,
  kind: string | undefined,
): boolean {
  if (schema.apiVersion !== undefined && schema.apiVersion !== apiVersion) return false;
  if (schema.kind !== undefined && schema.kind !== kind) return false;
  if (schema.matchesFile && !schema.matchesFile(file)) return false;
  return true;
}

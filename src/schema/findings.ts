import type { ErrorObject } from "ajv";
import type { DocPath, Finding, ManifestDocument, Severity } from "../types.js";
import { didYouMean } from "./did-you-mean.js";
import { formatPath, pointerToPath } from "./paths.js";

/** `additionalProperties` → `schema/additional-properties`. */
export function ruleIdFor(keyword: string): string {
  return `schema/${keyword.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

const MAX_SHOWN = 60;
/** A broken document can have thousands of errors; the first ones are enough to act on. */
export const MAX_FINDINGS_PER_SCHEMA = 50;

/** A value as it reads in a message: type and a short rendering. */
function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "object") return "object";
  const text = JSON.stringify(value) ?? String(value);
  const shown = text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
  return `${typeof value} ${shown}`;
}

const quote = (s: string) => JSON.stringify(s);

function typeOf(params: Record<string, unknown>): string {
  const t = params.type;
  return Array.isArray(t) ? t.join(" or ") : String(t);
}

/** Where a document part is, in words: `Deployment spec.template` or `Deployment` at the top. */
function where(kind: string | undefined, path: DocPath): string {
  const p = formatPath(path);
  const subject = kind ?? "document";
  return p === "" ? subject : `${subject} ${p}`;
}

interface Described {
  ruleId: string;
  message: string;
  path: DocPath;
}

function describeError(error: ErrorObject, data: unknown, kind: string | undefined): Described {
  const path = pointerToPath(error.instancePath, data);
  const at = formatPath(path) || "(document)";
  const params = error.params as Record<string, unknown>;
  const ruleId = ruleIdFor(error.keyword);
  switch (error.keyword) {
    case "additionalProperties": {
      const field = String(params.additionalProperty);
      const properties = (error.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
      const suggestion = properties ? didYouMean(field, Object.keys(properties)) : undefined;
      const hint = suggestion ? ` (did you mean ${quote(suggestion)}?)` : "";
      // Point at the unknown key itself.
      return {
        ruleId,
        path: [...path, field],
        message: `unknown field ${quote(field)} in ${where(kind, path)}${hint}`,
      };
    }
    case "required":
      return {
        ruleId,
        path,
        message: `${at}: missing required field ${quote(String(params.missingProperty))}`,
      };
    case "type":
      return { ruleId, path, message: `${at}: must be ${typeOf(params)}, got ${describeValue(error.data)}` };
    case "enum": {
      const allowed = (params.allowedValues as unknown[] | undefined) ?? [];
      const list = allowed.map((v) => JSON.stringify(v)).join(", ");
      return { ruleId, path, message: `${at}: must be one of ${list}, got ${describeValue(error.data)}` };
    }
    case "const":
      return {
        ruleId,
        path,
        message: `${at}: must be ${JSON.stringify(params.allowedValue)}, got ${describeValue(error.data)}`,
      };
    case "anyOf":
    case "oneOf":
      return {
        ruleId,
        path,
        message: `${at}: ${error.message ?? "does not match the schema"} (got ${describeValue(error.data)})`,
      };
    default:
      return { ruleId, path, message: `${at}: ${error.message ?? `fails ${error.keyword}`}` };
  }
}

/**
 * Drops the branch errors of an anyOf/oneOf that failed as a whole: one
 * message per place, not one per alternative.
 */
function withoutBranchNoise(errors: ErrorObject[]): ErrorObject[] {
  const unions = errors.filter((e) => e.keyword === "anyOf" || e.keyword === "oneOf").map((e) => `${e.schemaPath}/`);
  if (unions.length === 0) return errors;
  return errors.filter((e) => !unions.some((prefix) => e.schemaPath.startsWith(prefix)));
}

/** Turns ajv errors about one document into located findings, without duplicates. */
export function toFindings(
  errors: ErrorObject[],
  doc: ManifestDocument,
  data: unknown,
  options: { severity: Severity; schemaName?: string },
): Finding[] {
  const kind = typeof doc.value.kind === "string" ? doc.value.kind : undefined;
  const seen = new Set<string>();
  const findings: Finding[] = [];
  let omitted = 0;
  for (const error of withoutBranchNoise(errors)) {
    if (findings.length >= MAX_FINDINGS_PER_SCHEMA) {
      omitted++;
      continue;
    }
    const { ruleId, message, path } = describeError(error, data, kind);
    const text = options.schemaName ? `${message} [${options.schemaName}]` : message;
    const key = `${ruleId}\0${text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    findings.push({
      ruleId,
      message: text,
      severity: options.severity,
      source: "schema",
      location: doc.locate(path),
      documentIndex: doc.index,
    });
  }
  if (omitted > 0) {
    findings.push({
      ruleId: "schema/too-many-errors",
      message: `${omitted} more schema error(s) not shown${options.schemaName ? ` [${options.schemaName}]` : ""}`,
      severity: options.severity,
      source: "schema",
      location: doc.locate([]),
      documentIndex: doc.index,
    });
  }
  return findings;
}

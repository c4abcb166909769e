/**
 * Domain types shared by every layer: parsed documents, findings and their
 * locations. Nothing here knows about GitHub, OPA or the CLI.
 */

/** A path into a document: object keys and array indexes, as in `["spec", "containers", 0, "image"]`. */
export type DocPath = ReadonlyArray<string | number>;

/** A place in a source file. Lines and columns are 1-based. */
export interface SourceLocation {
  file: string;
  line: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
}

/** One parsed manifest document (one `---` section of a YAML file, or a JSON file). */
export interface ManifestDocument {
  /** Path of the file, relative to the repository or working directory, with `/` separators. */
  file: string;
  /** 0-based index of the document within its file (counting skipped empty documents too). */
  index: number;
  /** The document as plain JSON data, the way Kubernetes would read it. */
  value: Record<string, unknown>;
  /** First and last line (1-based) of the document in the file. */
  startLine: number;
  endLine: number;
  /**
   * The source location of the node at `path`. When the path does not exist,
   * the location of its deepest existing ancestor; never undefined.
   */
  locate(path: DocPath): SourceLocation;
}

/** How a finding weighs on the verdict. */
export type Severity = "failure" | "warning";

/** Where a finding came from. */
export type FindingSource = "policy" | "schema" | "parse" | "limit" | "engine";

/** One problem found in a manifest (or a file that could not be read as one). */
export interface Finding {
  /**
   * Stable identifier of the rule: for Rego, the finding's `id` field if it has
   * one, else `<namespace>.<rule>` (e.g. `main.deny_run_as_root`); for schemas
   * `schema/<keyword>`; for bad input `parse/<kind>` or `limit/<kind>`.
   */
  ruleId: string;
  message: string;
  severity: Severity;
  source: FindingSource;
  location: SourceLocation;
  /** Index of the document within its file, when the finding is about one document. */
  documentIndex?: number;
  /** Rego namespace and rule name, for policy findings. */
  namespace?: string;
  rule?: string;
  /** Other fields of a Rego finding object (besides msg, path, id), kept for reports. */
  metadata?: Record<string, unknown>;
}

/** A finding that an `exception` rule exempted: counted and shown, never failing. */
export interface ExemptedFinding extends Finding {
  exemptedBy: string;
}

import type { Verdict } from "../gate/verdict.js";
import { formatGithub } from "./github.js";
import { formatJson } from "./json.js";
import { formatJunit } from "./junit.js";
import { formatSarif } from "./sarif.js";
import { formatText } from "./text.js";

export type OutputFormat = "text" | "json" | "sarif" | "junit" | "github";

export const OUTPUT_FORMATS: readonly OutputFormat[] = Object.freeze(["text", "json", "sarif", "junit", "github"]);

export interface ReportContext {
  toolVersion: string;
  policyRevision?: string;
  /** rule id → where the rule is defined, for links/help */
  ruleSources?: Record<string, { file: string; line: number }>;
  /** Text format only: ANSI colours. Off by default. */
  color?: boolean;
  /**
   * SARIF only: absolute URI that rule source files are relative to, e.g.
   * `https://github.com/acme/gitops/blob/<sha>/`; gives rules a `helpUri`.
   */
  sourceBaseUri?: string;
}

type Formatter = (verdicts: Verdict[], ctx: ReportContext) => string;

const FORMATTERS: Record<OutputFormat, Formatter> = {
  text: formatText,
  json: formatJson,
  sarif: formatSarif,
  junit: formatJunit,
  github: formatGithub,
};

export function isOutputFormat(s: unknown): s is OutputFormat {
  return typeof s === "string" && (OUTPUT_FORMATS as readonly string[]).includes(s);
}

/** Parses a user-supplied format name (e.g. `--format`), with an error that lists the valid ones. */
export function parseOutputFormat(s: string): OutputFormat {
  if (isOutputFormat(s)) return s;
  throw new Error(`unknown output format ${JSON.stringify(s)}; expected one of: ${OUTPUT_FORMATS.join(", ")}`);
}

export function formatVerdicts(format: OutputFormat, verdicts: Verdict[], ctx: ReportContext): string {
  return FORMATTERS[parseOutputFormat(format)](verdicts, ctx);
}

/** The list of report formats: the only module that knows them all (the formats import nothing from here). */
import type { Verdict } from "../gate/verdict.js";
import type { ReportContext } from "./context.js";
import { formatGithub } from "./github.js";
import { formatJson } from "./json.js";
import { formatJunit } from "./junit.js";
import { formatSarif } from "./sarif.js";
import { formatText } from "./text.js";

export type { ReportContext };

export type OutputFormat = "text" | "json" | "sarif" | "junit" | "github";

export const OUTPUT_FORMATS: readonly OutputFormat[] = Object.freeze(["text", "json", "sarif", "junit", "github"]);

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

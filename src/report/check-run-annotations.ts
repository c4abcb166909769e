import type { Verdict } from "../gate/verdict.js";
import type { Finding } from "../types.js";
import {
  ANNOTATION_MESSAGE_LIMIT,
  ANNOTATIONS_PER_REQUEST,
  DEFAULT_MAX_ANNOTATIONS,
  TITLE_LIMIT,
} from "./check-run-limits.js";
import { normalizePath, regionOf } from "./location.js";
import { jsonSafe, truncateBytes, truncateChars, wellFormed } from "./sanitize.js";

export interface CheckRunAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: "failure" | "warning" | "notice";
  message: string;
  title?: string;
  raw_details?: string;
}

/**
 * Splits annotations into request-sized batches (GitHub takes at most 50 per request). No annotations → no batches.
 */
export function chunkAnnotations(
  a: CheckRunAnnotation[],
  size: number = ANNOTATIONS_PER_REQUEST,
): CheckRunAnnotation[][] {
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`annotation batch size must be a positive integer, got ${size}`);
  const chunks: CheckRunAnnotation[][] = [];
  for (let i = 0; i < a.length; i += size) chunks.push(a.slice(i, i + size));
  return chunks;
}

const LEVEL_ORDER = { failure: 0, warning: 1, notice: 2 } as const;

/** One annotation per finding with a file, failures first so a cap drops notices before failures. */
export function buildAnnotations(v: Verdict): CheckRunAnnotation[] {
  const out: CheckRunAnnotation[] = [];
  // Outside enforce mode nothing blocks, so a red "failure" annotation on a green check would mislead.
  const failureLevel = v.mode === "enforce" && !v.override ? "failure" : "warning";
  for (const f of v.findings) {
    const a = toAnnotation(f, f.severity === "failure" ? failureLevel : "warning", f.message);
    if (a) out.push(a);
  }
  for (const e of v.exemptions) {
    const a = toAnnotation(e, "notice", `Exempted by ${e.exemptedBy}: ${e.message}`);
    if (a) out.push(a);
  }
  // Array.prototype.sort is stable, so file order is kept within a level.
  return out.sort((a, b) => LEVEL_ORDER[a.annotation_level] - LEVEL_ORDER[b.annotation_level]);
}

function toAnnotation(
  f: Finding,
  level: CheckRunAnnotation["annotation_level"],
  message: string,
): CheckRunAnnotation | undefined {
  const path = wellFormed(normalizePath(f.location.file)).replace(/^\/+/, "");
  if (!path) return undefined; // GitHub rejects annotations without a path; the summary still lists it
  const region = regionOf(f.location);
  const start = region?.startLine ?? 1;
  const end = region?.endLine ?? start;
  const a: CheckRunAnnotation = {
    path,
    start_line: start,
    end_line: end,
    annotation_level: level,
    message: truncateBytes(wellFormed(message) || "(no message)", ANNOTATION_MESSAGE_LIMIT),
    title: truncateChars(wellFormed(f.ruleId), TITLE_LIMIT),
  };
  // GitHub accepts columns only on single-line annotations.
  if (start === end && region?.startColumn !== undefined) {
    a.start_column = region.startColumn;
    a.end_column =
      region.endLine !== undefined && region.endColumn !== undefined ? region.endColumn : region.startColumn;
  }
  if (f.metadata !== undefined) {
    a.raw_details = truncateBytes(JSON.stringify(jsonSafe(f.metadata), null, 2) ?? "", ANNOTATION_MESSAGE_LIMIT);
  }
  return a;
}

export function annotationCap(max: number | undefined): number {
  return max !== undefined && Number.isInteger(max) && max >= 0 ? max : DEFAULT_MAX_ANNOTATIONS;
}

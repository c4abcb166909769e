import { countFindings, isBlocking, type Verdict } from "../gate/verdict.js";
import { annotationCap, buildAnnotations, type CheckRunAnnotation } from "./check-run-annotations.js";
import { checkRunTitle } from "./check-run-title.js";
import { renderSummary, renderText, type CheckRunContext } from "./check-run-summary.js";

export { chunkAnnotations, type CheckRunAnnotation } from "./check-run-annotations.js";
export * from "./check-run-limits.js";
export { formatDuration, type CheckRunContext } from "./check-run-summary.js";
export { checkRunTitle } from "./check-run-title.js";

export interface CheckRunOutput {
  title: string;
  summary: string;
  text?: string;
  annotations: CheckRunAnnotation[];
}

/**
 * The check run for one environment. Conclusion: `failure` iff the verdict
 * blocks; `neutral` when nothing was checked and nothing found (no manifests
 * of the environment changed); otherwise `success`, also in warn and shadow
 * mode, whose findings are shown but do not block.
 */
export function renderCheckRun(
  verdict: Verdict,
  ctx: CheckRunContext,
): { conclusion: "success" | "failure" | "neutral"; output: CheckRunOutput } {
  const counts = countFindings(verdict);
  const nothingChecked =
    verdict.filesChecked === 0 &&
    verdict.documentsChecked === 0 &&
    counts.failures + counts.warnings + counts.exceptions === 0 &&
    (verdict.gates ?? []).every((g) => g.state === "passed") &&
    !verdict.override;
  const conclusion = isBlocking(verdict) ? "failure" : nothingChecked ? "neutral" : "success";
  const all = buildAnnotations(verdict);
  const max = annotationCap(ctx.maxAnnotations);
  const annotations = all.slice(0, max);
  const output: CheckRunOutput = {
    title: checkRunTitle(verdict),
    summary: renderSummary(verdict, ctx, all.length, annotations.length),
    annotations,
  };
  const text = renderText(verdict);
  if (text !== undefined) output.text = text;
  return { conclusion, output };
}

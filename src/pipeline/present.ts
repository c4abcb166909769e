import type { ConfigError } from "../config/load.js";
import { hasFailures, type Verdict } from "../gate/verdict.js";
import type { CheckAnnotation, CheckConclusion, CheckOutput } from "../github/types.js";
import { OUTPUT_TEXT_LIMIT, renderCheckRun } from "../report/check-run.js";
import { truncateChars, utf8Length } from "../report/sanitize.js";
import type { Trigger } from "./deps.js";
import { renderedSection } from "./present-render.js";

/** A verdict as the check run shows it. */
export interface Presented {
  conclusion: CheckConclusion;
  output: CheckOutput;
}

export function presentVerdict(
  verdict: Verdict,
  ctx: { policyRevision: string; durationMs: number; detailsNote?: string },
): Presented {
  const rendered = renderCheckRun(verdict, ctx);
  // Nothing of this environment changed: still green, so branch protection can require the check.
  const conclusion = rendered.conclusion === "neutral" ? "success" : rendered.conclusion;
  const output = { ...rendered.output, annotations: rendered.output.annotations as CheckAnnotation[] };
  if (verdict.rendered) {
    // Room left for the rendered diff (and the shadow note that may precede the summary).
    const room = OUTPUT_TEXT_LIMIT - utf8Length(output.summary) - 1_000;
    if (room > 200) output.summary += `\n\n${renderedSection(verdict.environment, verdict.rendered, room)}`;
    if (rendered.conclusion === "neutral")
      output.title = truncateChars(`No rendered object of ${verdict.environment} changes`, 255);
  }
  return { conclusion, output: verdict.mode === "shadow" ? shadowed(verdict, output) : output };
}

/**
 * `mode: shadow` is for trying policies without anyone noticing in the PR's diff: the check is green, its title
 * says what would have failed, and every finding is a notice annotation (no red or yellow marks on the lines).
 */
function shadowed(verdict: Verdict, output: CheckOutput): CheckOutput {
  const wouldFail = hasFailures(verdict);
  const note = wouldFail
    ? "**Shadow mode:** this check never blocks. Enforced, it would have **failed**: see below."
    : "**Shadow mode:** this check never blocks. Enforced, it would have passed.";
  return {
    ...output,
    title: (wouldFail ? `Would fail if enforced: ${output.title}` : output.title).slice(0, 255),
    summary: `${note}\n\n${output.summary}`.slice(0, 65_000),
    annotations: (output.annotations ?? []).map((a) => ({ ...a, annotation_level: "notice" as const })),
  };
}

/** The failing `stagegate / config` check: every problem of the config, located. */
export function presentConfigError(error: ConfigError, sha: string): Presented {
  const lines = error.problems.map((p) => `- \`${p.file}:${p.line}:${p.column}\` ${p.message}`);
  const annotations: CheckAnnotation[] = error.problems
    .filter((p) => !p.file.includes(" "))
    .slice(0, 50)
    .map((p) => ({
      path: p.file,
      start_line: p.line,
      end_line: p.line,
      annotation_level: "failure",
      message: p.message,
      title: "Invalid Stagegate config",
    }));
  return {
    conclusion: "failure",
    output: {
      title: `Invalid .github/stagegate.yml: ${error.problems.length} problem(s)`,
      summary: (
        `Stagegate's config on the default branch (revision \`${sha.slice(0, 7)}\`) is invalid, so no environment ` +
        `was evaluated and required \`stagegate / <env>\` checks stay pending until it is fixed.\n\n${lines.join("\n")}`
      ).slice(0, 65_000),
      annotations,
    },
  };
}

/** The plain fallback when the detailed config-error output cannot be written. */
export function configErrorPlain(error: ConfigError): { title: string; detail: string } {
  return {
    title: "Invalid .github/stagegate.yml",
    detail: error.problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}`).join("\n"),
  };
}

/** Fail closed: the evaluation did not finish, so the check fails and says why. */
export function presentFailure(reason: string, trigger: Trigger): { title: string; detail: string } {
  return {
    title: `Stagegate could not evaluate this change: ${reason}`.slice(0, 255),
    detail:
      `Stagegate failed closed: the evaluation did not finish, so this check fails rather than pass unverified.\n\n` +
      `**Error:** ${reason}\n\nDelivery \`${trigger.deliveryId}\` (${trigger.reason}). Re-run the check, or ` +
      `comment \`/gate check\`, once the cause is fixed.`,
  };
}

/**
 * GitHub's documented limits that its OpenAPI description does not (fully)
 * express, checked explicitly so an app that exceeds them fails here as it
 * would on github.com.
 */
import type { RequestProblem } from "./validate-rest.js";

export const CHECK_CONCLUSIONS = [
  "action_required",
  "cancelled",
  "failure",
  "neutral",
  "success",
  "skipped",
  "stale",
  "timed_out",
];
export const MAX_ANNOTATIONS_PER_REQUEST = 50;
export const MAX_OUTPUT_TEXT = 65_535;
export const MAX_COMMENT_BODY = 65_536;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function tooLong(field: string, value: unknown, max: number): RequestProblem[] {
  return typeof value === "string" && value.length > max
    ? [
        {
          field,
          code: "too_long",
          message: `${field} is too long (maximum is ${max} characters, got ${value.length}).`,
        },
      ]
    : [];
}

/** Limits of a check run create (`creating`) or update body. */
export function checkRunLimits(body: unknown, creating: boolean): RequestProblem[] {
  if (!isObject(body)) return [];
  const problems: RequestProblem[] = [];
  if (
    body.conclusion !== undefined &&
    body.conclusion !== null &&
    !CHECK_CONCLUSIONS.includes(String(body.conclusion))
  ) {
    problems.push({
      field: "conclusion",
      code: "invalid",
      message: `conclusion "${String(body.conclusion)}" is not one of ${CHECK_CONCLUSIONS.join(", ")}.`,
    });
  }
  if (body.status === "completed" && (body.conclusion === undefined || body.conclusion === null)) {
    problems.push({
      field: "conclusion",
      code: "missing_field",
      message: "conclusion is required when status is completed.",
    });
  }
  if (creating && body.completed_at !== undefined && body.conclusion === undefined) {
    problems.push({
      field: "conclusion",
      code: "missing_field",
      message: "conclusion is required when completed_at is given.",
    });
  }
  if (body.output !== undefined) {
    const out = body.output;
    if (!isObject(out)) problems.push({ field: "output", code: "invalid", message: "output must be an object." });
    else {
      if (typeof out.title !== "string" || out.title.length === 0)
        problems.push({
          field: "output.title",
          code: "missing_field",
          message: "output.title is required when output is given.",
        });
      problems.push(
        ...tooLong("output.summary", out.summary, MAX_OUTPUT_TEXT),
        ...tooLong("output.text", out.text, MAX_OUTPUT_TEXT),
      );
      if (Array.isArray(out.annotations) && out.annotations.length > MAX_ANNOTATIONS_PER_REQUEST) {
        problems.push({
          field: "output.annotations",
          code: "too_many",
          message:
            `at most ${MAX_ANNOTATIONS_PER_REQUEST} annotations per request (got ` +
            `${out.annotations.length}); send the rest in further updates.`,
        });
      }
    }
  }
  if (body.actions !== undefined) {
    const actions = body.actions;
    if (!Array.isArray(actions))
      problems.push({ field: "actions", code: "invalid", message: "actions must be an array." });
    else {
      if (actions.length > 3)
        problems.push({ field: "actions", code: "too_many", message: `at most 3 actions (got ${actions.length}).` });
      actions.forEach((a, i) => {
        if (!isObject(a)) return;
        problems.push(
          ...tooLong(`actions[${i}].label`, a.label, 20),
          ...tooLong(`actions[${i}].description`, a.description, 40),
          ...tooLong(`actions[${i}].identifier`, a.identifier, 20),
        );
      });
    }
  }
  return problems;
}

/** Issue, pull request and comment bodies. */
export function bodyTextLimits(body: unknown): RequestProblem[] {
  if (!isObject(body)) return [];
  return tooLong("body", body.body, MAX_COMMENT_BODY);
}

import type { Finding, SourceLocation } from "../types.js";

/** A rendering problem: always a failure (an environment that cannot be rendered is not judged as passing). */
export function renderProblem(kind: string, message: string, location: SourceLocation): Finding {
  return { ruleId: `render/${kind}`, message, severity: "failure", source: "engine", location };
}

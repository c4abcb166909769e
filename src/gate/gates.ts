import { gatesOf } from "../config/gates.js";
import type { EnvironmentConfig } from "../config/types.js";
import type { RuleInfo } from "../policy/inspect.js";
import type { RawDocumentResult } from "../policy/runner.js";
import type { GateResult, GateState } from "./verdict.js";

/** Rego package prefix of the built-in gates (policies/gates). */
export const GATE_PREFIX = "stagegate.gates.";

/**
 * The PR-level namespaces to evaluate for an environment: the built-in gates
 * its config enables (draft and freeze always apply), then its own
 * `gates.policies` namespaces.
 */
export function gateNamespacesFor(env: EnvironmentConfig): { builtin: string[]; custom: string[] } {
  const g = gatesOf(env);
  const names: string[] = [];
  if (env.promote_from) names.push("promotion");
  if (g.verified_by?.length) names.push("verified_by");
  if (g.soak) names.push("soak");
  if (g.approvals) names.push("approvals");
  if (g.signed_commits) names.push("signed_commits");
  if (g.labels) names.push("labels");
  names.push("draft", "freeze");
  return { builtin: names.map((n) => GATE_PREFIX + n), custom: [...(g.policies ?? [])] };
}

/**
 * Raw PR-level results → one result per gate. A gate with no finding passed;
 * a finding's `state` ("failed" | "waiting", default failed) decides the rest.
 * Custom namespaces are gates named after their namespace.
 */
export function toGateResults(
  raw: RawDocumentResult,
  rules: Record<string, RuleInfo[]>,
  namespaces: string[],
): GateResult[] {
  return namespaces.map((ns) => {
    const gate = ns.startsWith(GATE_PREFIX) ? ns.slice(GATE_PREFIX.length) : ns;
    const messages: string[] = [];
    let state: GateState = "passed";
    for (const rule of rules[ns] ?? []) {
      if (rule.kind !== "deny" && rule.kind !== "violation") continue;
      for (const v of flatten(raw[ns]?.[rule.name])) {
        const obj = typeof v === "object" && v !== null ? (v as Record<string, unknown>) : undefined;
        messages.push(typeof v === "string" ? v : typeof obj?.msg === "string" ? obj.msg : `${ns}.${rule.name} failed`);
        const s = obj?.state === "waiting" ? "waiting" : "failed";
        if (state !== "failed") state = s;
      }
    }
    return { gate, state, messages: messages.sort() };
  });
}

function flatten(values: unknown[] | undefined): unknown[] {
  return (values ?? []).flatMap((v) => (Array.isArray(v) ? v : [v]));
}

import { gatesOf } from "../config/gates.js";
import { namespacesFor } from "../config/environments.js";
import type { StagegateConfig } from "../config/types.js";
import type { CompiledPolicy } from "../policy/compile.js";
import { matchNamespaces, PolicyError, type PolicyProblem } from "../policy/inspect.js";

const CONFIG_FILE = ".github/stagegate.yml";

/**
 * Fail closed when a namespace the config names matches no compiled package (a renamed package, a typo):
 * otherwise those policies would silently stop guarding an environment. Manifest namespaces are checked when the
 * repository has policies; PR-level gates (`gates.policies`) always, since a missing gate package would drop the gate.
 */
export function assertNamespacesMatch(config: StagegateConfig, compiled: CompiledPolicy, hasPolicies: boolean): void {
  const index = new Map(Object.entries(compiled.namespaces));
  const problems: PolicyProblem[] = [];
  const problem = (message: string, code: string) =>
    problems.push({ file: CONFIG_FILE, line: 1, column: 1, code, message });
  for (const env of Object.values(config.environments)) {
    if (hasPolicies)
      for (const glob of namespacesFor(config, env).namespaces) {
        if (matchNamespaces(index, [glob]).length > 0) continue;
        problem(
          `environment "${env.name}": namespace "${glob}" matches no Rego package under ` +
            `${config.policies.paths.join(", ")}; fix the namespace or the package name`,
          "stagegate_namespace_unmatched",
        );
      }
    (gatesOf(env).policies ?? []).forEach((glob, i) => {
      if (matchNamespaces(index, [glob]).length > 0) return;
      problem(
        `environments.${env.name}.gates.policies[${i}]: PR-level gate package "${glob}" matches no Rego package ` +
          `under ${config.policies.paths.join(", ")}; the gate would never run — fix the package name`,
        "stagegate_gate_unmatched",
      );
    });
  }
  if (problems.length) throw new PolicyError(problems[0].message, problems);
}

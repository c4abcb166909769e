import { PolicyError, type PolicyProblem } from "./problems.js";
import type { PolicySource } from "./sources.js";
import { runOpa } from "./toolchain.js";

// Where callers have always found them.
export { PolicyError, type PolicyProblem };

/** The conftest rule families Stagegate evaluates. */
export type RuleKind = "deny" | "violation" | "warn" | "exception";

export interface RuleInfo {
  /** Rule name as written: `deny`, `deny_run_as_root`, `warn_probes`… */
  name: string;
  kind: RuleKind;
  file: string;
  /** 1-based line of the rule's first definition (for links in reports). */
  line: number;
}

/** Packages (dotted, without `data.`) → the conftest rules they define. */
export type PolicyIndex = Map<string, RuleInfo[]>;

const RULE_NAME = /^(deny|violation|warn|exception)(_[A-Za-z0-9_]+)?$/;

interface AstTerm {
  type: string;
  value: unknown;
}
interface AstModule {
  package: { path: AstTerm[] };
  rules?: Array<{ head: { name?: string; ref?: AstTerm[]; args?: unknown[] } }>;
}

/**
 * Lists every package and its conftest rules, using OPA's own parser (one opa
 * process for all modules) so that no Rego syntax is guessed at here.
 */
export async function indexPolicies(sources: PolicySource[]): Promise<PolicyIndex> {
  const input = Object.fromEntries(sources.map((s) => [s.path, s.content]));
  const r = await runOpa(
    ["eval", "--format", "json", "--stdin-input", "{p: m | some p, s in input; m := rego.parse_module(p, s)}"],
    { input: JSON.stringify(input) },
  );
  if (r.code !== 0) throw new PolicyError(`cannot parse policies: ${r.stderr.trim() || r.stdout.trim()}`);
  const modules = JSON.parse(r.stdout).result?.[0]?.expressions?.[0]?.value as Record<string, AstModule>;
  const index: PolicyIndex = new Map();
  const problems: PolicyProblem[] = [];
  for (const source of sources) {
    const mod = modules[source.path];
    if (!mod) continue;
    const pkg = mod.package.path
      .slice(1)
      .map((t) => String(t.value))
      .join(".");
    const rules = index.get(pkg) ?? [];
    index.set(pkg, rules);
    for (const rule of mod.rules ?? []) {
      const head = rule.head;
      const name = head.name ?? String(head.ref?.[0]?.value ?? "");
      // `deny[msg] if …` is an object in Rego v1, not the set conftest reads: say so instead of ignoring it.
      if (
        !head.args?.length &&
        head.ref &&
        head.ref.length > 1 &&
        RULE_NAME.test(name) &&
        !source.path.endsWith("_test.rego")
      ) {
        problems.push({
          file: source.path,
          line: lineOf(source.content, name),
          column: 1,
          code: "stagegate_rule_head",
          message:
            `${name}[…] defines an object in Rego v1, which conftest-style rules do not read; ` +
            `write \`${name} contains msg if { … }\``,
        });
        continue;
      }
      // Functions (with args) are not conftest rules.
      if (head.args?.length || (head.ref && head.ref.length > 1)) continue;
      const m = RULE_NAME.exec(name);
      if (!m || rules.some((x) => x.name === name)) continue;
      rules.push({ name, kind: m[1] as RuleKind, file: source.path, line: lineOf(source.content, name) });
    }
  }
  if (problems.length) {
    const [first] = problems;
    throw new PolicyError(
      `${problems.length} rule(s) are not read as conftest rules; ` +
        `first: ${first.file}:${first.line}: ${first.message}`,
      problems,
    );
  }
  return index;
}

function lineOf(text: string, name: string): number {
  const re = new RegExp(`^\\s*${name}\\b`, "m");
  const m = re.exec(text);
  return m ? text.slice(0, m.index + m[0].length - name.length).split("\n").length : 1;
}

/**
 * Namespace globs as conftest matches them: Go's `path.Match`, in which `*` and `?` cross dots (a namespace has no
 * `/`) and `[…]` is a character class; a glob without `*`, `?` or `[` names one namespace. Stagegate's own packages
 * (`stagegate.…`) are reached only by a glob that spells the `stagegate.` prefix out, so `*` or `--all-namespaces`
 * never run the built-in library and PR gates on manifests.
 */
export function matchNamespaces(index: PolicyIndex, globs: string[]): string[] {
  return [...index.keys()]
    .filter((ns) => globs.some((g) => (!ns.startsWith("stagegate.") || g.startsWith("stagegate.")) && globMatch(g, ns)))
    .sort();
}

/** Go `path.Match` over a namespace; a malformed pattern matches nothing (conftest stops with an error). */
export function globMatch(pattern: string, name: string): boolean {
  const re = globRegExp(pattern);
  return re !== undefined && re.test(name);
}

function globRegExp(glob: string): RegExp | undefined {
  let src = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "*") src += "[^/]*";
    else if (c === "?") src += "[^/]";
    else if (c === "\\") {
      if (i + 1 >= glob.length) return undefined;
      src += escape(glob[++i]);
    } else if (c === "[") {
      // A class: `[^…]` negates; `a-z` ranges; `\\x` is a literal x; the first unescaped `]` closes it.
      let body = "";
      let j = i + 1;
      const negated = glob[j] === "^";
      if (negated) j++;
      for (; j < glob.length && glob[j] !== "]"; j++) {
        if (glob[j] === "\\") j++;
        if (j >= glob.length) return undefined;
        body += glob[j] === "-" && glob[j - 1] !== "\\" ? "-" : escape(glob[j]);
      }
      if (j >= glob.length || body === "") return undefined;
      src += `[${negated ? "^/" : ""}${body}]`;
      i = j;
    } else src += escape(c);
  }
  return new RegExp(`^${src}$`, "s");
}

function escape(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}

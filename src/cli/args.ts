import { parseArgs } from "node:util";

export class UsageError extends Error {}

export const HELP = `Usage: stagegate <command> [options]

Commands:
  check [paths...]   Check manifests against policies and schemas
  diff [dirs...]     Render kustomize dirs at --base REF and in the working tree; show what changes
  test               Run the policies' test rules (opa test), as conftest verify
  build              Compile and validate policies (errors as file:line:col)
  doctor [owner/repo] Audit the environment branches' protection (GITHUB_TOKEN; see README)

Options:
  -c, --config FILE      Config file (default: .github/stagegate.yml when present)
  -e, --env NAME         Environment to check (check)
  -p, --policy DIR       Policy directory or file, repeatable (default: the config's, else ./policy)
  -n, --namespace NS     Rego namespace (glob), repeatable (default: the config's, else main)
  -d, --data PATH        Data file or directory (JSON/YAML) loaded into data, repeatable
      --rego-version V   Rego syntax of the policies: v1 (default) or v0 (as conftest)
      --all-namespaces   Evaluate every namespace of the policies (as conftest)
      --combine          check: evaluate all files together as one input (as conftest)
      --fail-on-warn     check: exit 1 on warnings too
      --no-fail          check: exit 0 even with failures (as conftest)
      --suppress-exceptions  check: leave exempted results out of the text output
      --stdin-filename NAME  check: the name standard input (-) is reported under
      --parser NAME      check: yaml or json (the only inputs read; accepted for conftest compatibility)
      --schemas          check without a config: validate Kubernetes schemas and apply the size limits too
      --kubernetes-version X.Y  check: Kubernetes schemas of that minor (1.30, 1.34-1.37; default the newest)
      --crd PATH         check: CustomResourceDefinition file or directory whose kinds are validated, repeatable
      --ignore-missing-schemas  check: a kind without a schema is not reported (as kubeconform)
      --summary          check: end with kubeconform's count of valid and invalid documents (text output)
  -o, --output FORMAT    text (default), json, sarif, junit or github
      --no-cache         Do not read or write the caches (compiled policies, validated configs)
      --render           check: render each path as a kustomize directory and judge what it applies
      --base REF         diff: the git revision to compare the working tree with
  -h, --help             Show this help
  -v, --version          Show the version

Exit status: 0 no failures, 1 failures, 2 usage, config or policy errors.
`;

export interface CliArgs {
  command: string;
  paths: string[];
  config?: string;
  env?: string;
  policy: string[];
  namespace: string[];
  data: string[];
  /** Rego syntax of the policies (conftest `--rego-version`). */
  regoVersion: "v0" | "v1";
  allNamespaces: boolean;
  combine: boolean;
  failOnWarn: boolean;
  noFail: boolean;
  suppressExceptions: boolean;
  stdinFilename?: string;
  /** Without a config: Kubernetes schemas and limits as well as the policies (conftest runs policies only). */
  schemas: boolean;
  /** kubeconform-style schema flags (applied by schema-flags.ts). */
  kubernetesVersion?: string;
  crd: string[];
  ignoreMissingSchemas: boolean;
  summary: boolean;
  output: string;
  cache: boolean;
  /** diff: the git revision to compare the working tree with. */
  base?: string;
  /** check: render the paths (kustomize directories) and judge the rendered objects. */
  render: boolean;
  help: boolean;
  version: boolean;
}

export function parseCli(argv: string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        config: { type: "string", short: "c" },
        env: { type: "string", short: "e" },
        policy: { type: "string", short: "p", multiple: true },
        namespace: { type: "string", short: "n", multiple: true },
        data: { type: "string", short: "d", multiple: true },
        output: { type: "string", short: "o" },
        "rego-version": { type: "string" },
        "all-namespaces": { type: "boolean" },
        combine: { type: "boolean" },
        "fail-on-warn": { type: "boolean" },
        "no-fail": { type: "boolean" },
        "suppress-exceptions": { type: "boolean" },
        "stdin-filename": { type: "string" },
        parser: { type: "string" },
        schemas: { type: "boolean" },
        "kubernetes-version": { type: "string" },
        crd: { type: "string", multiple: true },
        "ignore-missing-schemas": { type: "boolean" },
        summary: { type: "boolean" },
        // conftest flags with nothing to change here: colours are never used, successes never listed.
        "no-color": { type: "boolean" },
        quiet: { type: "boolean" },
        "no-cache": { type: "boolean" },
        render: { type: "boolean" },
        base: { type: "string" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "v" },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const [command = "", ...paths] = parsed.positionals;
  const v = parsed.values;
  const regoVersion = v["rego-version"] ?? "v1";
  if (regoVersion !== "v0" && regoVersion !== "v1")
    throw new UsageError(`unknown --rego-version "${regoVersion}" (v0 or v1)`);
  if (v.parser !== undefined && v.parser !== "yaml" && v.parser !== "json")
    throw new UsageError(`--parser ${v.parser}: Stagegate reads YAML and JSON only`);
  return {
    command,
    paths,
    config: v.config,
    env: v.env,
    policy: v.policy ?? [],
    namespace: v.namespace ?? [],
    data: v.data ?? [],
    regoVersion,
    allNamespaces: v["all-namespaces"] ?? false,
    combine: v.combine ?? false,
    failOnWarn: v["fail-on-warn"] ?? false,
    noFail: v["no-fail"] ?? false,
    suppressExceptions: v["suppress-exceptions"] ?? false,
    stdinFilename: v["stdin-filename"],
    schemas: v.schemas ?? false,
    kubernetesVersion: v["kubernetes-version"],
    crd: v.crd ?? [],
    ignoreMissingSchemas: v["ignore-missing-schemas"] ?? false,
    summary: v.summary ?? false,
    output: v.output ?? "text",
    cache: !v["no-cache"],
    render: v.render ?? false,
    base: v.base,
    help: v.help ?? false,
    version: v.version ?? false,
  };
}

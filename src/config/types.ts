/** How an environment's findings weigh: block, show only, or log only. */
export type EnvironmentMode = "enforce" | "warn" | "shadow";

/**
 * `.github/stagegate.yml` after validation and defaults. Keys in the file are
 * snake_case; this is the same shape with the same names so that the JSON
 * Schema in schemas/stagegate-config.schema.json and these types read alike.
 */
export interface StagegateConfig {
  version: 1;
  environments: Record<string, EnvironmentConfig>;
  policies: PoliciesConfig;
  schemas: SchemasConfig;
  limits: LimitsConfig;
  /** Who may change policies (the `stagegate / policy` check). */
  policy: { approvers: Principals };
  commands: { prefix: string };
}

/** Users (`alice`) and teams (`org/team` or `@org/team`). */
export interface Principals {
  users: string[];
  teams: string[];
}

export interface EnvironmentConfig {
  name: string;
  /** Base-branch globs: a PR into one of these branches targets this environment. */
  branches: string[];
  /** Path globs: in directory-per-environment repos, a changed file matching these targets this environment. */
  paths: string[];
  /** Which files are manifests (globs); default all .yaml/.yml/.json. */
  manifests: string[];
  /** Files never checked (globs). */
  ignore: string[];
  /** Entry points rendered (kustomize, Helm) to judge what the environment will run; undefined: none. */
  render?: RenderConfig;
  mode: EnvironmentMode;
  /** Rego namespaces (globs) evaluated for this environment; default the top-level `policies.namespaces`. */
  namespaces: string[];
  /** Built-in library packages enabled for this environment (names, see policies/README.md). */
  library: string[];
  /** The stage this environment promotes from (stage gates). */
  promote_from?: string;
  /** PR-level gates; free-form here, validated by the schema. */
  gates: Record<string, unknown>;
  override: OverrideConfig;
  freeze: FreezeConfig;
}

/** `render:` after completion (the list form becomes `entry_points`). */
export interface RenderConfig {
  entry_points: RenderEntryConfig[];
  /** Judge the rendered objects the change adds or changes, or every rendered object. */
  judge: "changed" | "all";
  /** Also render the entry points that Flux / Argo CD objects under the environment's `paths` declare. */
  discover?: "all" | "flux" | "argo";
}

/** One entry point: exactly one of `kustomize` or `helm` (the config rules say so). */
export interface RenderEntryConfig {
  kustomize?: string;
  helm?: string;
  /** Values files of a Helm chart, in order. */
  values?: string[];
}

export interface OverrideConfig {
  allowed: Principals;
  /** Distinct overriders needed. */
  required: number;
  allow_author: boolean;
}

export interface FreezeConfig {
  /** Who may /gate freeze and unfreeze. */
  allowed: Principals;
  windows: FreezeWindow[];
}

export interface FreezeWindow {
  /** Weekly range like "Fri 16:00 - Mon 08:00", or a cron expression with `duration`. */
  weekly?: string;
  cron?: string;
  duration?: string;
  timezone: string;
  reason: string;
}

export interface PoliciesConfig {
  /** Directories (or files) of Rego policies in the repository. */
  paths: string[];
  /** Default namespaces (globs), conftest-style; default ["main"]. */
  namespaces: string[];
  /** Built-in library packages enabled for every environment. */
  library: string[];
  /** Data files (JSON/YAML) loaded into `data`, conftest `--data` style. */
  data: string[];
  /** Parameters for the built-in library, available as `data.stagegate.params`. */
  params: Record<string, unknown>;
}

export type UnknownKindAction = "skip" | "warn" | "fail";

export interface SchemasConfig {
  /** `version`: the Kubernetes minor whose schemas are used (one of KUBERNETES_VERSIONS). */
  kubernetes: { enabled: boolean; strict: boolean; version: string };
  unknown_kinds: UnknownKindAction;
  /** Repository-provided schemas, matched by apiVersion/kind or by file glob. */
  custom: CustomSchemaRef[];
  /** Globs of files holding CustomResourceDefinitions whose kinds are validated. */
  crds: string[];
}

export interface CustomSchemaRef {
  /** Path of the JSON (or YAML) schema file in the repository. */
  schema: string;
  apiVersion?: string;
  kind?: string;
  files?: string[];
}

export interface LimitsConfig {
  max_file_bytes: number;
  max_documents_per_file: number;
  max_total_documents: number;
  max_depth: number;
  max_aliases: number;
  max_files: number;
  /** Evaluation time budget for one environment, milliseconds. */
  timeout_ms: number;
}

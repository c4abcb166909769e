import { ConfigError, defaultConfigForPolicies, parseConfig, type ConfigProblem } from "../../src/config/load.js";

/** The problems parseConfig reports for `text` (fails the test when it parses). */
function problems(text: string, file?: string): ConfigProblem[] {
  try {
    parseConfig(text, file);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems;
  }
  throw new Error("expected a ConfigError");
}

const lines = (...l: string[]) => l.join("\n") + "\n";

const MINIMAL = lines("version: 1", "environments:", "  production:", "    branches: [main]");

describe("parseConfig: valid files", () => {
  test("a minimal file gets every default", () => {
    const c = parseConfig(MINIMAL);
    expect(c.version).toBe(1);
    expect(c.policies).toEqual({ paths: ["policy"], namespaces: ["main"], library: [], data: [], params: {} });
    expect(c.schemas).toEqual({
      kubernetes: { enabled: true, strict: true, version: "1.37" },
      unknown_kinds: "warn",
      custom: [],
      crds: [],
    });
    expect(c.limits).toEqual({
      max_file_bytes: 1048576,
      max_documents_per_file: 500,
      max_total_documents: 20000,
      max_depth: 100,
      max_aliases: 100,
      max_files: 3000,
      timeout_ms: 60000,
    });
    expect(c.policy).toEqual({ approvers: { users: [], teams: [] } });
    expect(c.commands).toEqual({ prefix: "/gate" });
    expect(c.environments.production).toEqual({
      name: "production",
      branches: ["main"],
      paths: [],
      manifests: ["**/*.yaml", "**/*.yml", "**/*.json"],
      ignore: [],
      mode: "enforce",
      namespaces: ["main"],
      library: [],
      gates: {},
      override: { allowed: { users: [], teams: [] }, required: 1, allow_author: false },
      freeze: { allowed: { users: [], teams: [] }, windows: [] },
    });
  });

  test("a full file keeps its values, fills nested defaults and normalises teams", () => {
    const c = parseConfig(
      lines(
        "version: 1",
        "_extends: acme/.github",
        "policies:",
        "  namespaces: [main, k8s.*]",
        "  library: [images]",
        "  params: {allowed_registries: [ghcr.io/acme]}",
        "schemas:",
        "  kubernetes: {strict: false}",
        "  unknown_kinds: fail",
        "  custom:",
        "    - {schema: crds/rollout.json, kind: Rollout}",
        "environments:",
        "  staging:",
        "    branches: [staging]",
        "    mode: warn",
        "  production:",
        "    branches: [main, 'release/*']",
        "    namespaces: [prod]",
        "    library: [pod-security-restricted]",
        "    promote_from: staging",
        "    gates:",
        "      approvals: {count: 2, from: {teams: ['@acme/sre', 'acme/sre', acme/dba]}}",
        "      soak: 1h",
        "      promotion: {mode: commits}",
        "    override:",
        "      allowed: {users: [alice, Alice, bob], teams: ['@acme/platform']}",
        "      required: 2",
        "    freeze:",
        "      windows:",
        "        - weekly: Fri 16:00 - Mon 08:00",
        "          timezone: Europe/Berlin",
        "        - cron: '0 0 24 12 *'",
        "          duration: 3d",
        "limits: {max_files: 10}",
        "policy: {approvers: {teams: ['@acme/platform']}}",
        "commands: {prefix: /stagegate}",
      ),
    );
    expect(c).not.toHaveProperty("_extends");
    expect(c.policies.namespaces).toEqual(["main", "k8s.*"]);
    expect(c.policies.params).toEqual({ allowed_registries: ["ghcr.io/acme"] });
    expect(c.schemas.kubernetes).toEqual({ enabled: true, strict: false, version: "1.37" });
    expect(c.schemas.unknown_kinds).toBe("fail");
    expect(c.schemas.custom).toEqual([{ schema: "crds/rollout.json", kind: "Rollout" }]);
    expect(c.limits.max_files).toBe(10);
    expect(c.limits.max_depth).toBe(100);
    expect(c.policy.approvers.teams).toEqual(["acme/platform"]);
    expect(c.commands.prefix).toBe("/stagegate");

    expect(Object.keys(c.environments)).toEqual(["staging", "production"]);
    expect(c.environments.staging.mode).toBe("warn");
    expect(c.environments.staging.namespaces).toEqual(["main", "k8s.*"]);
    const prod = c.environments.production;
    expect(prod.namespaces).toEqual(["prod"]);
    expect(prod.promote_from).toBe("staging");
    expect(prod.gates).toEqual({
      approvals: { count: 2, from: { users: [], teams: ["acme/sre", "acme/dba"] }, current_head_only: false },
      soak: "1h",
      promotion: { mode: "commits", ignore_fields: [] },
    });
    expect(prod.override).toEqual({
      allowed: { users: ["alice", "bob"], teams: ["acme/platform"] },
      required: 2,
      allow_author: false,
    });
    expect(prod.freeze.windows).toEqual([
      { weekly: "Fri 16:00 - Mon 08:00", timezone: "Europe/Berlin", reason: "" },
      { cron: "0 0 24 12 *", duration: "3d", timezone: "UTC", reason: "" },
    ]);
  });

  test("separate parses do not share default objects", () => {
    const a = parseConfig(MINIMAL);
    a.environments.production.ignore.push("x");
    a.policies.namespaces.push("y");
    const b = parseConfig(MINIMAL);
    expect(b.environments.production.ignore).toEqual([]);
    expect(b.policies.namespaces).toEqual(["main"]);
  });
});

describe("parseConfig: every problem located", () => {
  test("a typo'd key is reported at the key with a suggestion", () => {
    const p = problems(lines("version: 1", "environments:", "  production:", "    branches: [main]", "    moed: warn"));
    expect(p).toEqual([
      {
        file: ".github/stagegate.yml",
        line: 5,
        column: 5,
        message: 'environments.production.moed: unknown key (did you mean "mode"?)',
      },
    ]);
  });

  test("a wrong enum value is reported at the value with the allowed values", () => {
    const p = problems(
      lines("version: 1", "environments:", "  production:", "    mode: enforced", "    branches: [main]"),
      "repo.yml",
    );
    expect(p).toEqual([
      {
        file: "repo.yml",
        line: 4,
        column: 11,
        message: 'environments.production.mode: must be one of enforce, warn, shadow (got "enforced")',
      },
    ]);
  });

  test("a wrong type names both the expected and the actual type", () => {
    const p = problems(lines(MINIMAL.trimEnd(), "limits:", "  max_depth: deep", "  max_files: [1]"));
    expect(p.map((x) => [x.line, x.column, x.message])).toEqual([
      [6, 14, 'limits.max_depth: must be a whole number (got "deep")'],
      [7, 14, "limits.max_files: must be a whole number (got a list)"],
    ]);
  });

  test("a missing version is reported at the top of the file", () => {
    const p = problems(lines("# stagegate", "environments:", "  production:", "    branches: [main]"));
    expect(p).toEqual([{ file: ".github/stagegate.yml", line: 2, column: 1, message: "version: is required" }]);
  });

  test("a wrong version is reported at its value", () => {
    const p = problems(lines("version: '1'", "environments:", "  production:", "    branches: [main]"));
    expect(p.map((x) => [x.line, x.column, x.message])).toEqual([[1, 10, 'version: must be 1 (got "1")']]);
  });

  test("all schema problems are reported at once, in file order", () => {
    const p = problems(
      lines(
        "version: 1",
        "environments:",
        "  production:",
        "    branches: [main]",
        "    mode: block",
        "    override:",
        "      allowed: {teams: [not a team]}",
        "      required: 0",
        "commands: {prefix: gate}",
        "polices: {}",
      ),
    );
    expect(p.map((x) => `${x.line}:${x.column} ${x.message}`)).toEqual([
      '5:11 environments.production.mode: must be one of enforce, warn, shadow (got "block")',
      "7:25 environments.production.override.allowed.teams[0]: must be a team as org/slug or @org/slug (got " +
        '"not a team")',
      "8:17 environments.production.override.required: must be at least 1 (got 0)",
      '9:20 commands.prefix: must be a slash followed by a lowercase word, like /gate (got "gate")',
      '10:1 polices: unknown key (did you mean "policies"?)',
    ]);
  });

  test("an unknown promote_from names the existing environments", () => {
    const p = problems(
      lines(
        "version: 1",
        "environments:",
        "  staging:",
        "    branches: [staging]",
        "  production:",
        "    branches: [main]",
        "    promote_from: stagin",
      ),
    );
    expect(p).toEqual([
      {
        file: ".github/stagegate.yml",
        line: 7,
        column: 19,
        message:
          'environments.production.promote_from: no environment named "stagin" (environments: staging, production)',
      },
    ]);
  });

  test("a promotion cycle is reported once, at the first environment in it", () => {
    const p = problems(
      lines(
        "version: 1",
        "environments:",
        "  dev:",
        "    branches: [dev]",
        "  staging:",
        "    branches: [staging]",
        "    promote_from: production",
        "  production:",
        "    branches: [main]",
        "    promote_from: staging",
      ),
    );
    expect(p.map((x) => `${x.line}:${x.column} ${x.message}`)).toEqual([
      "7:19 environments.staging.promote_from: promotion cycle: staging → production → staging",
    ]);
  });

  test("an environment promoting from itself is a cycle", () => {
    const p = problems(lines("version: 1", "environments:", "  dev:", "    branches: [dev]", "    promote_from: dev"));
    expect(p.map((x) => x.message)).toEqual(["environments.dev.promote_from: promotion cycle: dev → dev"]);
  });

  test("an environment without branches or paths is reported at its name", () => {
    const p = problems(lines("version: 1", "environments:", "  production:", "    mode: warn"));
    expect(p.map((x) => `${x.line}:${x.column} ${x.message}`)).toEqual([
      "3:3 environments.production: needs `branches` or `paths` (or both) to say which pull requests target it",
    ]);
  });

  test("invalid globs are reported at the glob", () => {
    const p = problems(
      lines(
        "version: 1",
        "environments:",
        "  production:",
        "    paths:",
        "      - envs/prod/**",
        "      - 'envs/[prod/**'",
      ),
    );
    expect(p.map((x) => [x.line, x.column])).toEqual([[6, 9]]);
    expect(p[0].message).toMatch(/^environments\.production\.paths\[1\]: invalid glob "envs\/\[prod\/\*\*": .*\]/);
  });

  test("an absolute glob is rejected", () => {
    const p = problems(lines("version: 1", "environments:", "  production:", "    paths: [/envs/prod/**]"));
    expect(p.map((x) => x.message)).toEqual([
      "environments.production.paths[0]: must be a glob relative to the repository root (no leading /) (got " +
        '"/envs/prod/**")',
    ]);
  });

  test("bad YAML is a located ConfigError", () => {
    const p = problems(lines("version: 1", "environments:", "  production:", "    branches: [main", "  staging: {}"));
    expect(p.length).toBeGreaterThan(0);
    expect(p[0].file).toBe(".github/stagegate.yml");
    expect(p[0].message).toMatch(/^YAML: /);
    expect(p[0].line).toBeGreaterThanOrEqual(4);
  });

  test("a duplicate key is reported at the second occurrence", () => {
    const p = problems(
      lines("version: 1", "environments:", "  production:", "    branches: [main]", "    branches: [release]"),
    );
    expect(p).toEqual([
      { file: ".github/stagegate.yml", line: 5, column: 5, message: "YAML: Map keys must be unique" },
    ]);
  });

  test.each([[""], ["\n\n"], ["# only a comment\n"]])("an empty file (%j) says what is needed", (text) => {
    const p = problems(text);
    expect(p).toEqual([
      {
        file: ".github/stagegate.yml",
        line: 1,
        column: 1,
        message: "file is empty; it needs at least `version: 1` and `environments`",
      },
    ]);
  });

  test.each([
    ["- version: 1\n", "(root): must be a mapping (got a list)"],
    ["just text\n", '(root): must be a mapping (got "just text")'],
    ["42\n", "(root): must be a mapping (got 42)"],
  ])("a non-mapping file %j is rejected", (text, message) => {
    expect(problems(text).map((x) => x.message)).toEqual([message]);
  });

  test("an empty environments mapping is rejected", () => {
    const p = problems(lines("version: 1", "environments: {}"));
    expect(p.map((x) => `${x.line}:${x.column} ${x.message}`)).toEqual([
      "2:15 environments: must have at least 1 entry",
    ]);
  });

  test("a bad environment name is reported at the name", () => {
    const p = problems(lines("version: 1", "environments:", "  'prod env':", "    branches: [main]"));
    expect(p.map((x) => `${x.line}:${x.column}`)).toEqual(["3:3"]);
    expect(p[0].message).toMatch(/^environments\["prod env"\]: invalid name "prod env": must be an environment name/);
  });

  test("an unknown library package is a schema error", () => {
    const p = problems(lines(MINIMAL.trimEnd(), "    library: [pod-security]"));
    expect(p.map((x) => `${x.line}:${x.column} ${x.message}`)).toEqual([
      "5:15 environments.production.library[0]: must be one of pod-security-baseline, " +
        'pod-security-restricted, images, resources, probes, argocd, flux (got "pod-security")',
    ]);
  });

  test("freeze windows: one of weekly or cron, cron with duration, real time zones", () => {
    const p = problems(
      lines(
        MINIMAL.trimEnd(),
        "    freeze:",
        "      windows:",
        "        - weekly: Fri 16:00 - Mon 08:00",
        "          cron: '0 18 * * 5'",
        "        - cron: '0 18 * * 5'",
        "          timezone: Mars/Olympus",
        "        - weekly: Friday 4pm - Monday",
        "        - cron: '0 99x * * *'",
        "          duration: 1h",
      ),
    );
    expect(p.map((x) => `${x.line}:${x.column} ${x.message}`)).toEqual([
      "7:11 environments.production.freeze.windows[0]: needs exactly one of `weekly` or `cron`",
      "9:11 environments.production.freeze.windows[1]: `cron` needs a `duration`, such as 2h",
      '10:21 environments.production.freeze.windows[1].timezone: unknown time zone "Mars/Olympus" (use an ' +
        "IANA name such as Europe/Berlin or UTC)",
      '11:19 environments.production.freeze.windows[2].weekly: must be a weekly range like "Fri 16:00 - Mon ' +
        '08:00" (got "Friday 4pm - Monday")',
      '12:17 environments.production.freeze.windows[3].cron: invalid hour field "99x" in cron expression',
    ]);
  });

  test("soak and promotion gates need promote_from", () => {
    const p = problems(lines(MINIMAL.trimEnd(), "    gates:", "      soak: 1h", "      promotion: {mode: content}"));
    expect(p.map((x) => `${x.line}:${x.column} ${x.message}`)).toEqual([
      "6:7 environments.production.gates.soak: needs `promote_from` on the environment",
      "7:7 environments.production.gates.promotion: needs `promote_from` on the environment",
    ]);
  });

  test("a custom schema needs a selector", () => {
    const p = problems(lines(MINIMAL.trimEnd(), "schemas:", "  custom:", "    - schema: a.json"));
    expect(p.map((x) => `${x.line}:${x.column} ${x.message}`)).toEqual([
      "7:7 schemas.custom[0]: needs at least one of apiVersion, kind or files to say which documents the " +
        "schema applies to",
    ]);
  });

  test("an override nobody can reach is rejected", () => {
    const p = problems(lines(MINIMAL.trimEnd(), "    override: {allowed: {users: [alice]}, required: 2}"));
    expect(p.map((x) => x.message)).toEqual([
      "environments.production.override.required: is 2 but only 1 user(s) may override",
    ]);
  });

  test("an alias bomb fails cleanly", () => {
    const bomb = lines(
      "a: &a [x, x, x, x, x, x, x, x, x, x]",
      "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]",
      "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]",
      "d: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]",
    );
    const p = problems(bomb);
    expect(p).toHaveLength(1);
    expect(p[0].message).toMatch(/^YAML: .*alias/i);
  });

  test("hostile YAML gives located problems, never a crash or prototype pollution", () => {
    expect(
      problems("version: 1\n__proto__: {polluted: true}\nenvironments:\n  a: {branches: [x]}\n").map(
        (x) => `${x.line}:${x.column}`,
      ),
    ).toEqual(["2:1"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const deep = "version: 1\nlimits: " + "[".repeat(5000) + "]".repeat(5000) + "\n";
    expect(problems(deep).map((x) => x.message)).toEqual(["YAML: nested too deeply"]);
    expect(problems("version: 1\nenvironments: !!set {a}\n")).toEqual([
      {
        file: ".github/stagegate.yml",
        line: 2,
        column: 21,
        message:
          "environments: unsupported YAML value (such as !!binary or !!set); use strings, numbers, " +
          "booleans, lists and mappings",
      },
    ]);
  });

  test("values of the wrong shape do not trip the cross-field rules", () => {
    const p = problems(
      "version: 1\nenvironments:\n  a: {branches: x, paths: 3, freeze: {windows: [1, {cron: 5}]}, gates: " +
        "[]}\n  b: {promote_from: 7, branches: [a]}\n",
    );
    expect(p.map((x) => x.message)).toEqual([
      'environments.a.branches: must be a list (got "x")',
      "environments.a.paths: must be a list (got 3)",
      "environments.a.freeze.windows[0]: must be a mapping (got 1)",
      "environments.a.freeze.windows[1].cron: must be a string (got 5)",
      "environments.a.gates: must be a mapping (got a list)",
      "environments.b.promote_from: must be a string (got 7)",
    ]);
  });

  test("an oversized file is rejected before parsing", () => {
    const p = problems("#".repeat(300 * 1024));
    expect(p.map((x) => x.message)).toEqual(["file is larger than 262144 bytes"]);
  });

  test("ConfigError's message lists every problem with file:line:col", () => {
    try {
      parseConfig(lines("version: 2", "environments: {}"));
      throw new Error("expected a ConfigError");
    } catch (e) {
      expect((e as Error).message).toBe(
        [
          "invalid configuration (2 problems):",
          "  .github/stagegate.yml:1:10: version: must be 1 (got 2)",
          "  .github/stagegate.yml:2:15: environments: must have at least 1 entry",
        ].join("\n"),
      );
    }
  });
});

describe("defaultConfigForPolicies", () => {
  test("one enforcing environment for every branch, non-strict Kubernetes schemas", () => {
    const c = defaultConfigForPolicies({ policyPaths: ["policies/k8s"], namespaces: ["main", "k8s"] });
    expect(Object.keys(c.environments)).toEqual(["default"]);
    const env = c.environments.default;
    expect(env.mode).toBe("enforce");
    expect(env.branches).toEqual(["**"]);
    expect(env.namespaces).toEqual(["main", "k8s"]);
    expect(c.policies.paths).toEqual(["policies/k8s"]);
    expect(c.schemas.kubernetes).toEqual({ enabled: true, strict: false, version: "1.37" });
    expect(c.limits.max_files).toBe(3000);
  });

  test("named environment and conftest defaults", () => {
    const c = defaultConfigForPolicies({ policyPaths: [], namespaces: [], environment: "staging" });
    expect(Object.keys(c.environments)).toEqual(["staging"]);
    expect(c.environments.staging.name).toBe("staging");
    expect(c.policies.paths).toEqual(["policy"]);
    expect(c.policies.namespaces).toEqual(["main"]);
  });

  test("bad options are ConfigErrors", () => {
    expect(() => defaultConfigForPolicies({ policyPaths: ["p"], namespaces: ["not a package"] })).toThrow(ConfigError);
    expect(() => defaultConfigForPolicies({ policyPaths: ["p"], namespaces: [], environment: "a b" })).toThrow(
      /environments\["a b"\]: invalid name/,
    );
  });
});

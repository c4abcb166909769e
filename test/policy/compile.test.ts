import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compileCount, compilePolicies } from "../../src/policy/compile.js";
import { PolicyError } from "../../src/policy/inspect.js";

const tmpCache = () => mkdtempSync(join(tmpdir(), "sg-cache-"));

const policy = (body: string, pkg = "main") => ({ path: `policy/${pkg}.rego`, content: `package ${pkg}\n\n${body}\n` });

describe("compilePolicies", () => {
  test("compiles to wasm and lists the conftest rules of the matched namespaces", async () => {
    const compiled = await compilePolicies(
      [
        policy('deny contains "no" if input.x\n\nwarn_y contains "w" if input.y\n\nhelper := 1\n\nf(x) := x'),
        policy('deny contains "other" if true', "other"),
      ],
      { cacheDir: false },
    );
    expect(compiled.wasm.byteLength).toBeGreaterThan(1000);
    expect(Object.keys(compiled.namespaces)).toEqual(["main"]);
    expect(compiled.namespaces.main.map((r) => [r.name, r.kind, r.line])).toEqual([
      ["deny", "deny", 3],
      ["warn_y", "warn", 5],
    ]);
  });

  test("namespace globs match dotted packages", async () => {
    const compiled = await compilePolicies(
      [
        policy('deny contains "a" if true', "k8s.security"),
        policy('deny contains "b" if true', "k8s.cost"),
        policy('deny contains "c" if true', "app"),
      ],
      { namespaces: ["k8s.*"], cacheDir: false },
    );
    expect(Object.keys(compiled.namespaces).sort()).toEqual(["k8s.cost", "k8s.security"]);
  });

  test("a second compile of unchanged sources reuses the cache, in memory and on disk", async () => {
    const cacheDir = tmpCache();
    const sources = [policy(`deny contains "cache ${Date.now()}" if true`)];
    const before = compileCount();
    const a = await compilePolicies(sources, { cacheDir });
    const b = await compilePolicies(sources, { cacheDir });
    expect(compileCount()).toBe(before + 1);
    expect(b).toBe(a);
    expect(readdirSync(cacheDir).sort()).toEqual([`${a.hash}.json`, `${a.hash}.wasm`]);
    // A changed source is a different hash.
    const c = await compilePolicies([policy(`deny contains "changed ${Date.now()}" if true`)], { cacheDir });
    expect(c.hash).not.toBe(a.hash);
  });

  test("syntax and type errors come back located at file:line:col", async () => {
    const err = await compilePolicies(
      [{ path: "policy/bad.rego", content: "package main\n\ndeny contains msg if {\n  msg := foo.bar(1)\n}\n" }],
      { cacheDir: false },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PolicyError);
    expect((err as PolicyError).problems).toEqual([
      expect.objectContaining({
        file: "policy/bad.rego",
        line: 4,
        column: 10,
        code: "rego_type_error",
        message: "undefined function foo.bar",
      }),
    ]);
    const parse = (await compilePolicies(
      [{ path: "policy/p.rego", content: "package main\n\ndeny contains msg if {\n  input.x ==\n}\n" }],
      {
        cacheDir: false,
      },
    ).catch((e: unknown) => e as PolicyError)) as PolicyError;
    expect(parse.problems[0]).toMatchObject({ file: "policy/p.rego", line: 5, column: 1, code: "rego_parse_error" });
  });

  test("a builtin the wasm evaluator lacks fails the build, naming it and where it is used", async () => {
    const err = (await compilePolicies(
      [
        {
          // rand.intn stays unsupported: a random value would make evaluations irreproducible.
          path: "policy/rand.rego",
          content:
            'package main\n\ndeny contains msg if {\n\tp := rand.intn("seed", 10)\n\tmsg := sprintf("%v", [p])\n}\n',
        },
      ],
      { cacheDir: false },
    ).catch((e: unknown) => e)) as PolicyError;
    expect(err).toBeInstanceOf(PolicyError);
    expect(err.message).toContain("rand.intn");
    expect(err.problems).toEqual([
      expect.objectContaining({
        file: "policy/rand.rego",
        line: 4,
        column: 7,
        code: "unsupported-builtin:rand.intn",
      }),
    ]);
  });

  test("builtins that reach outside the policy (network, runtime environment) do not exist for policies", async () => {
    for (const [call, name] of [
      ['http.send({"method": "GET", "url": "http://169.254.169.254/"})', "http.send"],
      ["opa.runtime()", "opa.runtime"],
    ]) {
      const err = (await compilePolicies(
        [
          {
            path: "policy/x.rego",
            content: `package main\n\ndeny contains msg if {\n\tr := ${call}\n\tmsg := sprintf("%v", [r])\n}\n`,
          },
        ],
        {
          cacheDir: false,
        },
      ).catch((e: unknown) => e)) as PolicyError;
      expect(err.problems[0]).toMatchObject({
        file: "policy/x.rego",
        line: 4,
        code: "rego_type_error",
        message: `undefined function ${name}`,
      });
    }
  });

  test("conftest-named rules written as ref heads (deny[msg]) are reported, not silently skipped", async () => {
    const err = (await compilePolicies([policy('deny[msg] if {\n\tmsg := "x"\n}')], { cacheDir: false }).catch(
      (e: unknown) => e,
    )) as PolicyError;
    expect(err.problems).toEqual([
      expect.objectContaining({ file: "policy/main.rego", line: 3, code: "stagegate_rule_head" }),
    ]);
    expect(err.problems[0].message).toContain("deny contains msg if");
  });

  test("the generated entry package is reserved", async () => {
    await expect(compilePolicies([policy("x := 1", "stagegate.entry")], { cacheDir: false })).rejects.toThrow(
      /reserved/,
    );
  });
});

/**
 * What ships is the product only: the build output holds no simulator or demo
 * code, the built server loads with devDependencies pruned (as in the Docker
 * image), and the npm package lists nothing from test/, demo/ or bench/.
 *
 * The build goes to a temporary directory (not the shared dist/), laid out like
 * the installed package so the product finds its schemas and policies. The
 * CLI's bundle (scripts/bundle-cli.mjs, part of `npm run build`) is checked
 * there too: it runs alone, as the modules do, and keeps `stagegate` lean.
 */
import { spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const npmWorks = spawnSync("npm", ["--version"], { encoding: "utf8" }).status === 0;
if (!npmWorks) console.warn("test/package: npm is not available on PATH, so the packaging checks are skipped");
const maybe = npmWorks ? describe : describe.skip;

/** Runs a command; a failure says what it printed (a type error in the build, an npm resolution problem). */
function run(command: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv }): string {
  const r = spawnSync(command, args, { ...opts, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) {
    const output = `${r.stdout ?? ""}${r.stderr ?? ""}`.trim().slice(-4000);
    throw new Error(`${command} ${args.join(" ")} failed (${r.error?.message ?? `exit ${r.status}`}):\n${output}`);
  }
  return r.stdout;
}

/** Every file under `dir`, relative to it, with `/` separators. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split("\\").join("/"));
}

/** devDependencies the simulator and the tests need; the product must not import them. */
const DEV_ONLY = ["@octokit/openapi", "@octokit/graphql-schema", "graphql", "nock", "typescript", "jest"];

maybe("the shipped product", () => {
  let pkg: string | undefined;

  /** The build and the files the package ships, in a temporary directory laid out like the installed package. */
  function packageDir(): string {
    if (pkg) return pkg;
    const dir = mkdtempSync(join(tmpdir(), "stagegate-package-"));
    try {
      run(
        process.execPath,
        [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json", "--outDir", join(dir, "dist")],
        { cwd: ROOT },
      );
      for (const entry of ["package.json", "package-lock.json", "schemas", "policies", "bin"]) {
        cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
      }
      run(process.execPath, [join(ROOT, "scripts/bundle-cli.mjs"), dir], { cwd: ROOT });
    } catch (err) {
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
    return (pkg = dir);
  }

  let installed = false;

  /** packageDir() with the runtime dependencies only, as `npm install stagegate` leaves it. */
  function installedPackageDir(): string {
    const pkg = packageDir();
    if (installed) return pkg;
    run("npm", ["ci", "--omit=dev", "--ignore-scripts", "--prefer-offline", "--no-audit", "--no-fund"], {
      cwd: pkg,
      env: { ...process.env, NODE_ENV: "production" },
    });
    installed = true;
    return pkg;
  }

  afterAll(() => {
    if (pkg) rmSync(pkg, { recursive: true, force: true });
  });

  test("the build holds no simulator or demo code", () => {
    const pkg = packageDir();
    const files = filesUnder(join(pkg, "dist"));
    expect(files).toContain("server.js");
    expect(files.filter((f) => /(^|\/)(sim|demo)(\/|$)/.test(f))).toEqual([]);
    const offenders = files
      .filter((f) => f.endsWith(".js"))
      .filter((f) => {
        const text = readFileSync(join(pkg, "dist", f), "utf8");
        return DEV_ONLY.some((name) => text.includes(`from "${name}`) || text.includes(`import("${name}`));
      });
    expect(offenders).toEqual([]);
  }, 240_000);

  test("the server and the CLI load with devDependencies pruned", () => {
    const pkg = installedPackageDir();
    // The pruning really happened: had these stayed, a stray import of them would go unnoticed.
    expect(DEV_ONLY.filter((name) => existsSync(join(pkg, "node_modules", name)))).toEqual([]);
    // Importing dist/server.js loads every module of the app without listening (it only
    // starts when it is the entry point); the CLI's entry module likewise.
    const script =
      "const server = await import('./dist/server.js');" +
      "const cli = await import('./dist/cli/main.js');" +
      "if (typeof server.startServer !== 'function' || typeof cli.main !== 'function') process.exit(3);" +
      "console.log('loaded');";
    const out = run(process.execPath, ["--input-type=module", "-e", script], {
      cwd: pkg,
      env: { ...process.env, NODE_ENV: "production" },
    });
    expect(out.trim()).toBe("loaded");
  }, 240_000);

  test("the CLI runs from its bundle alone, with the same results as from its modules", () => {
    const pkg = installedPackageDir();
    const bundle = readdirSync(join(pkg, "dist", "bundle"));
    expect(bundle).toEqual(expect.arrayContaining(["main.js", "check-worker.js", "policy-worker.js", "build-id"]));
    // A repository checked conftest-style: one rule, one Deployment using :latest, and 450 files for the threads.
    const repo = mkdtempSync(join(tmpdir(), "stagegate-bundle-"));
    try {
      mkdirSync(join(repo, "policy"));
      writeFileSync(
        join(repo, "policy", "main.rego"),
        "package main\n\ndeny contains msg if {\n\tsome c in input.spec.template.spec.containers\n" +
          '\tendswith(c.image, ":latest")\n\tmsg := sprintf("%s uses :latest", [c.name])\n}\n',
      );
      mkdirSync(join(repo, "many"));
      for (let i = 0; i < 450; i++) {
        writeFileSync(
          join(repo, "many", `app-${i}.yaml`),
          `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${i}\nspec:\n  template:\n    spec:\n` +
            `      containers:\n        - name: app\n          image: ghcr.io/acme/app:${i % 50 ? "1.0" : "latest"}\n`,
        );
      }
      const env = {
        ...process.env,
        XDG_CACHE_HOME: join(repo, "cache"),
        OPA_PATH: join(ROOT, ".tools/bin/opa"),
        STAGEGATE_WORKERS: "2",
      };
      const cli = (args: string[]) => {
        const r = spawnSync(process.execPath, [join(pkg, "bin/stagegate.js"), ...args], {
          cwd: repo,
          env,
          encoding: "utf8",
        });
        // Durations aside, every run prints the same.
        return { status: r.status, out: r.stdout.replace(/"durationMs": *\d+(\.\d+)?/g, ""), err: r.stderr };
      };
      const checks = [
        ["check", "-p", "policy", "many/app-50.yaml"],
        ["check", "-p", "policy", "-o", "json", "many"], // 450 files: the check-worker threads
        ["check", "-p", "policy", "--schemas", "-o", "sarif", "many/app-1.yaml"], // schemas: no spec.selector
        ["check", "-p", "policy", "-c", "missing.yml", "many"], // an error
        ["--version"],
      ];
      const fromBundle = checks.map(cli);
      expect(fromBundle.map((r) => r.status)).toEqual([1, 1, 1, 2, 0]);
      expect(fromBundle[1].out).toContain('"environments"');
      // The bundle's compiled code was kept (bin/stagegate.js), one file per command; later runs use it.
      expect(
        readdirSync(join(repo, "cache", "stagegate", "v8"))
          .map((f) => f.replace(/^.*-/, ""))
          .sort(),
      ).toEqual(["check.bin", "other.bin"]);
      expect(checks.map(cli)).toEqual(fromBundle);
      // The bundle alone: without dist/cli the same runs give the same results (no module of dist/cli is needed).
      renameSync(join(pkg, "dist", "cli"), join(pkg, "dist", "cli-away"));
      try {
        expect(checks.map(cli)).toEqual(fromBundle);
      } finally {
        renameSync(join(pkg, "dist", "cli-away"), join(pkg, "dist", "cli"));
      }
      // The modules (no bundle): the same results.
      renameSync(join(pkg, "dist", "bundle"), join(pkg, "dist", "bundle-away"));
      try {
        expect(checks.map(cli)).toEqual(fromBundle);
      } finally {
        renameSync(join(pkg, "dist", "bundle-away"), join(pkg, "dist", "bundle"));
      }
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  }, 240_000);

  test("a small check loads neither child_process, worker_threads nor zlib", () => {
    // Each costs a small run milliseconds (issue 15); they load on first use: opa (compiling), git (no config),
    // threads (large inputs), a bundle just built by opa. The policies are compiled (cached) by a first run.
    const pkg = installedPackageDir();
    const repo = mkdtempSync(join(tmpdir(), "stagegate-lean-"));
    try {
      mkdirSync(join(repo, "policy"));
      writeFileSync(join(repo, "policy", "main.rego"), 'package main\n\ndeny contains "no name" if not input.name\n');
      writeFileSync(
        join(repo, "stagegate.yml"),
        "version: 1\nschemas:\n  kubernetes: {enabled: false}\nenvironments:\n  dev:\n    branches: [main]\n",
      );
      writeFileSync(join(repo, "app.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n");
      const env = { ...process.env, XDG_CACHE_HOME: join(repo, "cache"), OPA_PATH: join(ROOT, ".tools/bin/opa") };
      const args = ["check", "-c", "stagegate.yml", "-p", "policy", "app.yaml"];
      const first = spawnSync(process.execPath, [join(pkg, "bin/stagegate.js"), ...args], { cwd: repo, env });
      expect(first.status).toBe(1);
      const script =
        "process.argv.splice(1, 0, 'stagegate');" +
        "process.on('exit', () => console.error('loaded: ' + process.moduleLoadList.join(',')));" +
        `require(${JSON.stringify(join(pkg, "bin/stagegate.js"))});`;
      const r = spawnSync(process.execPath, ["-e", script, ...args], { cwd: repo, env, encoding: "utf8" });
      expect(r.status).toBe(1); // the finding: the ConfigMap has no `name` at the top
      const loaded = /loaded: (.*)/.exec(r.stderr)?.[1].split(",") ?? [];
      expect(loaded).toContain("NativeModule crypto");
      const heavy = ["child_process", "worker_threads", "zlib"].map((m) => `NativeModule ${m}`);
      expect(loaded.filter((m) => heavy.includes(m))).toEqual([]);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  }, 120_000);

  test("the npm package lists only the product", () => {
    // --ignore-scripts: `prepare` would rebuild the shared dist/ while other suites read it.
    const out = run("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT });
    const [report] = JSON.parse(out) as Array<{ files: Array<{ path: string }> }>;
    const paths = report.files.map((f) => f.path);
    const allowed =
      /^(bin\/|dist\/|policies\/|schemas\/|scripts\/install-[a-z]+\.mjs$|README\.md$|LICENSE|package\.json$)/;
    expect(paths.filter((p) => !allowed.test(p))).toEqual([]);
    // The GitHub Action runs from a checkout of the repository (action.yml), not from the npm package.
    expect(paths.filter((p) => /^(test|demo|bench|src|examples|action|\.build)\/|^action\.yml$/.test(p))).toEqual([]);
    expect(paths).toEqual(
      // bin/package.json makes bin/stagegate.js CommonJS: without it the command would not start.
      expect.arrayContaining(["package.json", "bin/stagegate.js", "bin/package.json", "scripts/install-opa.mjs"]),
    );
    expect(paths.some((p) => p.startsWith("dist/"))).toBe(true);
    // The install scripts run from the package (postinstall): every file they import ships with them.
    const scripts = paths.filter((p) => p.startsWith("scripts/"));
    const imported = scripts.flatMap((p) =>
      [...readFileSync(join(ROOT, p), "utf8").matchAll(/^import[^"']*["'](\.\/[^"']+)["']/gm)].map(
        (m) => `scripts/${m[1].slice(2)}`,
      ),
    );
    expect(imported.filter((p) => !paths.includes(p))).toEqual([]);
    const pkgJson = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
    const postinstall = [...pkgJson.scripts.postinstall.matchAll(/node (\S+)/g)].map((m) => m[1]);
    expect(postinstall.length).toBeGreaterThan(0);
    expect(postinstall.filter((p) => !paths.includes(p))).toEqual([]);
  }, 120_000);
});

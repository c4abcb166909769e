/**
 * What ships is the product only: the build output holds no simulator or demo
 * code, the built server loads with devDependencies pruned (as in the Docker
 * image), and the npm package lists nothing from test/, demo/ or bench/.
 *
 * The build goes to a temporary directory (not the shared dist/), laid out like
 * the installed package so the product finds its schemas and policies.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
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
    } catch (err) {
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
    return (pkg = dir);
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
    const pkg = packageDir();
    run("npm", ["ci", "--omit=dev", "--ignore-scripts", "--prefer-offline", "--no-audit", "--no-fund"], {
      cwd: pkg,
      env: { ...process.env, NODE_ENV: "production" },
    });
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
    expect(paths).toEqual(expect.arrayContaining(["package.json", "bin/stagegate.js", "scripts/install-opa.mjs"]));
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

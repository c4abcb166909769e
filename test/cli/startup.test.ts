/**
 * bin/stagegate.js, the command's entry: which build it runs (the bundle, or the modules when the bundle is missing
 * or older) and the bundle's code cache (issue 15). A stand-in package holds the real bin/ and a tiny dist/ whose
 * entries say which one ran; the real bundle is checked against the modules in test/package/product.test.ts.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

let pkg: string;
let cache: string;

/** A bundle whose `main` answers with its argv and exit status 3 (its text is `version`-dependent, for new builds). */
function writeBundle(version = "1"): void {
  mkdirSync(join(pkg, "dist", "bundle"), { recursive: true });
  writeFileSync(
    join(pkg, "dist", "bundle", "main.js"),
    `"use strict";\nfunction greet(argv) { return "bundle ${version}: " + argv.join(" "); }\n` +
      "exports.main = async (argv, io) => { io.out(greet(argv)); io.err(__filename); return 3; };\n",
  );
  writeFileSync(join(pkg, "dist", "bundle", "package.json"), '{ "type": "commonjs" }\n');
  writeFileSync(join(pkg, "dist", "bundle", "build-id"), `build${version}\n`);
}

function writeModules(): void {
  mkdirSync(join(pkg, "dist", "cli"), { recursive: true });
  writeFileSync(
    join(pkg, "dist", "cli", "main.js"),
    'export async function main(argv, io) { io.out("modules: " + argv.join(" ")); return 4; }\n',
  );
}

function stagegate(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [join(pkg, "bin", "stagegate.js"), ...args], {
    cwd: pkg,
    encoding: "utf8",
    env: { ...process.env, XDG_CACHE_HOME: cache, NODE_DISABLE_COMPILE_CACHE: "", ...env },
  });
  return { status: r.status, out: r.stdout.trim(), err: r.stderr.trim() };
}

const cached = () => {
  try {
    return readdirSync(join(cache, "stagegate", "v8")).sort();
  } catch {
    return [];
  }
};

beforeEach(() => {
  pkg = mkdtempSync(join(tmpdir(), "stagegate-bin-"));
  cache = join(pkg, "cache");
  cpSync(join(ROOT, "bin"), join(pkg, "bin"), { recursive: true });
  writeFileSync(join(pkg, "package.json"), '{ "type": "module" }\n');
});

afterEach(() => rmSync(pkg, { recursive: true, force: true }));

describe("which build runs", () => {
  test("the bundle when it is there and not older than the modules", () => {
    writeModules();
    writeBundle();
    expect(stagegate(["check", "a.yaml"])).toMatchObject({ status: 3, out: "bundle 1: check a.yaml" });
  });

  test("the modules without a bundle, or when they were compiled after it (tsc alone)", () => {
    writeModules();
    expect(stagegate(["check"])).toMatchObject({ status: 4, out: "modules: check" });
    writeBundle();
    const later = new Date(statSync(join(pkg, "dist", "bundle", "main.js")).mtimeMs + 5_000);
    utimesSync(join(pkg, "dist", "cli", "main.js"), later, later);
    expect(stagegate(["check"])).toMatchObject({ status: 4, out: "modules: check" });
  });

  test("the bundle alone, without dist/cli", () => {
    writeBundle();
    expect(stagegate(["--version"])).toMatchObject({ status: 3, out: "bundle 1: --version" });
  });
});

describe("the bundle's code cache", () => {
  test("is written by a command's first run, one file per command, and read by the next runs", () => {
    writeBundle();
    expect(stagegate(["check"]).out).toBe("bundle 1: check");
    const files = cached();
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(new RegExp(`^cli-${process.version}-${process.arch}-build1-\\d+-\\d+-check\\.bin$`));
    const written = statSync(join(cache, "stagegate", "v8", files[0])).mtimeMs;
    expect(stagegate(["check", "b.yaml"]).out).toBe("bundle 1: check b.yaml");
    expect(statSync(join(cache, "stagegate", "v8", files[0])).mtimeMs).toBe(written); // accepted, not rewritten
    stagegate(["test"]);
    stagegate(["--help"]);
    expect(cached().map((f) => f.replace(/^.*-/, ""))).toEqual(["check.bin", "other.bin", "test.bin"]);
  });

  test("a damaged cache file is V8's to reject: the run is unaffected and the file is written anew", () => {
    writeBundle();
    stagegate(["check"]);
    const [file] = cached();
    writeFileSync(join(cache, "stagegate", "v8", file), "not V8's code cache");
    expect(stagegate(["check", "c.yaml"])).toMatchObject({ status: 3, out: "bundle 1: check c.yaml" });
    expect(statSync(join(cache, "stagegate", "v8", file)).size).toBeGreaterThan(100);
  });

  test("a new build (another build-id) gets its own cache; other builds' stay, the newest twelve of them", () => {
    writeBundle("1");
    stagegate(["check"]);
    writeBundle("22"); // also another length, as a real new build would mostly have
    expect(stagegate(["check"]).out).toBe("bundle 22: check");
    // Two installations of Stagegate on one machine must not evict each other's code on every run.
    expect(
      cached()
        .map((f) => /-build(\d+)-/.exec(f)?.[1])
        .sort(),
    ).toEqual(["1", "22"]);
    for (let b = 30; b < 43; b++) {
      writeBundle(String(b));
      stagegate(["check"]);
    }
    const builds = cached().map((f) => Number(/-build(\d+)-/.exec(f)?.[1]));
    // The current build and the twelve written before it; the two oldest were removed.
    expect(builds.sort((a, b) => a - b)).toEqual([30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42]);
  });

  test("NODE_DISABLE_COMPILE_CACHE turns it off, as it does Node's own", () => {
    writeBundle();
    expect(stagegate(["check"], { NODE_DISABLE_COMPILE_CACHE: "1" }).out).toBe("bundle 1: check");
    expect(cached()).toEqual([]);
  });

  test("an unwritable cache directory is no error", () => {
    writeBundle();
    writeFileSync(join(pkg, "cache-file"), "");
    // XDG_CACHE_HOME is a file: nothing can be created under it.
    expect(stagegate(["check"], { XDG_CACHE_HOME: join(pkg, "cache-file") })).toMatchObject({
      status: 3,
      out: "bundle 1: check",
    });
  });

  test("the bundle runs as its file: __filename and stack traces name it", () => {
    writeBundle();
    expect(stagegate(["check"]).err).toBe(join(pkg, "dist", "bundle", "main.js"));
  });
});

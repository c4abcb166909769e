/**
 * The GitHub Action (action.yml) and its documented workflow (examples/workflows/stagegate.yml): their YAML is
 * read as the runner reads it, and the action's own shell steps run (test/package/composite.ts) with the built
 * CLI on a fixture git repository (the sample GitOps repository, a base commit and pull request heads), as a
 * pull request's workflow would: changed files chosen, SARIF written and valid, job summary, outputs, failure.
 * Only the steps that use other actions (actions/setup-node, codeql-action/upload-sarif) are not run: the test
 * checks what they would be given.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import { parse } from "yaml";
import { runComposite, type ActionDefinition, type CompositeRun, type RunOptions } from "./composite.js";
import { expressionsIn, interpolate, referencesIn } from "./expressions.js";

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const action = parse(readFileSync(join(ROOT, "action.yml"), "utf8")) as ActionDefinition;
const workflow = parse(readFileSync(join(ROOT, "examples/workflows/stagegate.yml"), "utf8")) as {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, { "runs-on": string; steps: Array<{ uses?: string; with?: Record<string, string> }> }>;
};

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync("git", args, { cwd, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
  return r.stdout.trim();
}

/** The official SARIF 2.1.0 schema, read by Ajv's default draft (as test/report/sarif.test.ts explains). */
function sarifValidator() {
  const schema = JSON.parse(readFileSync(join(ROOT, "test/fixtures/sarif-schema-2.1.0.json"), "utf8"));
  schema.$id = schema.id;
  delete schema.id;
  delete schema.$schema;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile(schema);
}

describe("action.yml", () => {
  const steps = action.runs.steps;

  test("is a composite action whose expressions read declared inputs and earlier steps' outputs", () => {
    expect(action.runs.using).toBe("composite");
    const ids = steps.map((s) => s.id);
    steps.forEach((step, n) => {
      const texts = [step.if ?? "", ...Object.values(step.env ?? {}), ...Object.values(step.with ?? {})];
      texts.push(step["working-directory"] ?? "");
      for (const text of texts) {
        const exprs = text === step.if && !text.includes("${{") ? [text] : expressionsIn(String(text));
        for (const ref of exprs.flatMap(referencesIn)) {
          const [ctx, name, kind] = ref.split(".");
          if (ctx === "inputs") expect([ref, name in action.inputs]).toEqual([ref, true]);
          else if (ctx === "steps") {
            expect([ref, ids.indexOf(name) >= 0 && ids.indexOf(name) < n, kind]).toEqual([ref, true, "outputs"]);
          } else expect([ref, ["github", "runner", "always", "success", "failure"].includes(ctx)]).toEqual([ref, true]);
        }
      }
      // Values reach the shell through env: a script holds no expression that a pull request could inject into.
      expect([step.name, expressionsIn(step.run ?? "")]).toEqual([step.name, []]);
      if (step.run) expect(step.shell).toBe("bash");
      if (step.uses) expect(step.uses).toMatch(/^[\w.-]+\/[\w./-]+@v\d+$/);
    });
    for (const [name, out] of Object.entries(action.outputs)) {
      for (const ref of expressionsIn(out.value).flatMap(referencesIn)) {
        expect([name, ids]).toEqual([name, expect.arrayContaining([ref.split(".")[1]])]);
      }
    }
    const declared = Object.keys(action.inputs).sort();
    const read = new Set(
      JSON.stringify(steps)
        .match(/inputs\.[\w-]+/g)!
        .map((r) => r.slice(7)),
    );
    expect(declared.filter((i) => !read.has(i))).toEqual([]);
    expect(steps.map((s) => s.uses).filter(Boolean)).toEqual([
      "actions/setup-node@v6",
      "github/codeql-action/upload-sarif@v4",
    ]);
  });
});

describe("the example workflow", () => {
  test("asks for the permissions the action needs and passes it only inputs it declares", () => {
    expect(Object.keys(workflow.on).sort()).toEqual(["pull_request", "push"]);
    expect(workflow.permissions).toEqual({
      contents: "read",
      "security-events": "write",
      "pull-requests": "read",
      actions: "read",
    });
    const [job] = Object.values(workflow.jobs);
    expect(job.steps[0].uses).toMatch(/^actions\/checkout@v\d+$/);
    const uses = job.steps.filter((s) => s.uses?.startsWith("stagegate/stagegate@"));
    expect(uses).toHaveLength(1);
    for (const key of Object.keys(uses[0].with ?? {})) expect([key, key in action.inputs]).toEqual([key, true]);
  });
});

const bashWorks = spawnSync("bash", ["-c", "mapfile -d '' x < /dev/null"]).status === 0;
if (!bashWorks) console.warn("test/package: bash 4.4+ is not available, so the action's steps are not run");
const maybe = bashWorks ? describe : describe.skip;

maybe("the action's steps, run on a fixture repository", () => {
  const validate = sarifValidator();
  let work: string;
  let actionPath: string;
  let origin: string;
  const commits: Record<string, string> = {};
  const uploads: Array<Record<string, string>> = [];

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), "stagegate-action-"));
    // The action's checkout as a release branch holds it: the build, the package's files, the action; the
    // install step (run by the first test) adds node_modules. The pinned opa is the tree's own.
    actionPath = join(work, "action");
    const tsc = join(ROOT, "node_modules/typescript/bin/tsc");
    const built = spawnSync(
      process.execPath,
      [tsc, "-p", "tsconfig.build.json", "--outDir", join(actionPath, "dist")],
      {
        cwd: ROOT,
        encoding: "utf8",
      },
    );
    if (built.status !== 0) throw new Error(`tsc: ${built.stdout}${built.stderr}`);
    // As `npm run build` leaves a release: the CLI's bundle too (bin/stagegate.js runs it).
    const bundled = spawnSync(process.execPath, [join(ROOT, "scripts/bundle-cli.mjs"), actionPath], {
      cwd: ROOT,
      encoding: "utf8",
    });
    if (bundled.status !== 0) throw new Error(`bundle-cli: ${bundled.stdout}${bundled.stderr}`);
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { files: string[] };
    const shipped = pkg.files.filter((f) => f !== "dist");
    for (const entry of ["package.json", "package-lock.json", ...shipped, "action.yml", "action"])
      cpSync(join(ROOT, entry), join(actionPath, entry), { recursive: true });
    mkdirSync(join(actionPath, ".tools/bin"), { recursive: true });
    symlinkSync(join(ROOT, ".tools/bin/opa"), join(actionPath, ".tools/bin/opa"));

    // The "remote" repository: the sample GitOps repository on main, and pull request heads.
    origin = join(work, "origin");
    cpSync(join(ROOT, "examples/gitops"), origin, { recursive: true });
    git(origin, "init", "--quiet", "--initial-branch=main");
    git(origin, "config", "user.email", "test@example.com");
    git(origin, "config", "user.name", "test");
    git(origin, "add", ".");
    git(origin, "commit", "--quiet", "-m", "base");
    commits.base = git(origin, "rev-parse", "HEAD");
    const branch = (name: string, files: Record<string, string>) => {
      git(origin, "checkout", "--quiet", "-b", name, commits.base);
      for (const [path, content] of Object.entries(files)) {
        mkdirSync(join(origin, path, ".."), { recursive: true });
        writeFileSync(join(origin, path), content);
      }
      git(origin, "add", ".");
      git(origin, "commit", "--quiet", "-m", name);
      commits[name] = git(origin, "rev-parse", "HEAD");
      git(origin, "checkout", "--quiet", "main");
    };
    const worker = readFileSync(join(origin, "envs/staging/worker.yaml"), "utf8");
    // A production Deployment with failures of its own; web.yaml, unchanged, has failures too.
    branch("production", {
      "envs/production/cache.yaml": worker.replace(/worker/g, "cache").replace("team: data", "team: web"),
      "docs/notes.md": "# Notes\n",
    });
    // A staging change (warn mode): findings that do not block.
    branch("staging", { "envs/staging/worker.yaml": worker.replace("busybox:1.36", "busybox:latest") });
    branch("docs", { "docs/notes.md": "# Notes\n" });
    // File names that would be options, or shell code, if they reached a command line unquoted.
    branch("names", {
      "--config=missing.yml": "kind: ConfigMap\n",
      "envs/staging/$(touch pwned) x.yaml": worker.replace(/worker/g, "odd"),
    });
    // GitHub's merge commit of the production pull request, as refs/pull/1/merge.
    git(origin, "checkout", "--quiet", "--detach", commits.base);
    git(origin, "merge", "--quiet", "--no-ff", "-m", "Merge production into main", commits.production);
    commits.merge = git(origin, "rev-parse", "HEAD");
    git(origin, "update-ref", "refs/pull/1/merge", commits.merge);
    git(origin, "checkout", "--quiet", "main");
  }, 240_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** A workspace as actions/checkout leaves it: `ref` fetched `depth` commits deep (0: all history). */
  function checkout(ref: string, depth = 0): string {
    const dir = mkdtempSync(join(work, "workspace-"));
    git(dir, "init", "--quiet");
    git(dir, "remote", "add", "origin", `file://${origin}`);
    git(dir, "fetch", "--quiet", "--no-tags", ...(depth ? [`--depth=${depth}`] : []), "origin", ref);
    git(dir, "checkout", "--quiet", "--detach", "FETCH_HEAD");
    return dir;
  }

  function run(workspace: string, inputs: Record<string, string>, event: Record<string, unknown>): CompositeRun {
    const options: RunOptions = {
      actionPath,
      inputs,
      workspace,
      github: { event, event_name: event.pull_request ? "pull_request" : "push", repository: "acme/gitops" },
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        XDG_CACHE_HOME: process.env.XDG_CACHE_HOME,
        // npm's cache answers the install (as in product.test.ts); the tools' installers are tested with
        // the installers, and opa is in place.
        npm_config_prefer_offline: "true",
        STAGEGATE_SKIP_OPA_INSTALL: "1",
        STAGEGATE_SKIP_KUSTOMIZE_INSTALL: "1",
        STAGEGATE_SKIP_HELM_INSTALL: "1",
      },
      uses(uses, withInputs) {
        if (uses.startsWith("github/codeql-action/upload-sarif@")) {
          const log = JSON.parse(readFileSync(withInputs.sarif_file, "utf8"));
          if (!validate(log)) throw new Error(`invalid SARIF: ${JSON.stringify(validate.errors).slice(0, 2000)}`);
          uploads.push(withInputs);
          return {};
        }
        throw new Error(`unexpected step ${uses}`);
      },
    };
    return runComposite(action, options);
  }

  const pr = (head: string) => ({ pull_request: { number: 1, base: { sha: commits.base }, head: { sha: head } } });
  const resultFiles = (sarifFile: string): string[] => {
    const log = JSON.parse(readFileSync(sarifFile, "utf8"));
    const uris = log.runs.flatMap((r: any) => r.results.map((x: any) => x.locations[0].physicalLocation));
    return [...new Set(uris.map((l: any) => l.artifactLocation.uri as string))].sort() as string[];
  };

  test("a pull request: only its changed manifests are checked; a blocking failure fails the job", () => {
    const ws = checkout(commits.production);
    const r = run(ws, {}, pr(commits.production));
    // The first run installs the runtime dependencies next to the prebuilt dist/, without devDependencies.
    expect(r.step("install").outcome).toBe("success");
    expect(existsSync(join(actionPath, "node_modules/yaml/package.json"))).toBe(true);
    expect(existsSync(join(actionPath, "node_modules/typescript"))).toBe(false);
    expect(r.step("install").stdout).toMatch(/^stagegate \d+\.\d+\.\d+/m);
    expect(r.step("node").outcome).toBe("success");
    // This machine's node is recent enough: actions/setup-node is not needed.
    expect(r.steps.find((s) => s.uses?.startsWith("actions/setup-node"))?.outcome).toBe("skipped");
    expect(r.step("files").outputs).toMatchObject({ mode: "changed", count: "2", root: ws });
    expect(r.step("check").outputs["exit-code"]).toBe("1");
    // web.yaml has failures too, but the pull request does not change it.
    expect(resultFiles(r.outputs["sarif-file"])).toEqual(["envs/production/cache.yaml"]);
    expect(r.outputs).toMatchObject({ result: "blocked", "exit-code": "1", files: "2" });
    expect(Number(r.outputs.failures)).toBeGreaterThan(0);
    expect(Number(r.outputs.findings)).toBe(Number(r.outputs.failures) + Number(r.outputs.warnings));
    // Uploaded (a valid SARIF log, checked by the handler), then the job fails.
    expect(r.steps.find((s) => s.uses?.startsWith("github/codeql-action"))?.with).toEqual({
      sarif_file: r.outputs["sarif-file"],
      checkout_path: ws,
    });
    expect(r.steps.at(-1)!.outcome).toBe("failure");
    expect(r.failed).toBe(true);
    expect(r.summary).toContain("## Stagegate");
    expect(r.summary).toContain("**Blocked**");
    expect(r.summary).toMatch(/\| production \| enforce \| 1 \| 1 \| \d+ \| \d+ \| 0 \|/);
    expect(r.summary).toContain("envs/production/cache.yaml:");
    expect(r.summary).not.toContain("web.yaml");
    // Code scanning annotates the pull request: no workflow annotations of findings besides the job's error.
    expect(
      r
        .step("report")
        .stdout.split("\n")
        .filter((l) => l.startsWith("::")),
    ).toEqual([
      expect.stringMatching(/^::error title=Stagegate::\d+ failures, \d+ warnings?; a failure in an enforce-mode/),
    ]);
  });

  test("a shallow checkout of the merge commit: the base is fetched, the same files are checked", () => {
    const ws = checkout("refs/pull/1/merge", 1);
    expect(spawnSync("git", ["cat-file", "-e", `${commits.base}^{commit}`], { cwd: ws }).status).not.toBe(0);
    const r = run(ws, { "upload-sarif": "false", "fail-on": "never" }, pr(commits.production));
    expect(r.step("install").stdout).toContain("Stagegate is already installed");
    expect(r.step("files").outputs).toMatchObject({ mode: "changed", count: "2" });
    expect(resultFiles(r.outputs["sarif-file"])).toEqual(["envs/production/cache.yaml"]);
    // fail-on: never reports the same findings without failing the job.
    expect(r.outputs.result).toBe("reported");
    expect(r.failed).toBe(false);
    // Without the upload, each finding is a workflow annotation on its line.
    const annotations = r
      .step("report")
      .stdout.split("\n")
      .filter((l) => l.startsWith("::"));
    expect(annotations).toHaveLength(Number(r.outputs.findings));
    expect(annotations[0]).toMatch(/^::(error|warning) file=envs\/production\/cache\.yaml,line=\d+,.*title=/);
    expect(r.steps.find((s) => s.uses?.startsWith("github/codeql-action"))?.outcome).toBe("skipped");
  });

  test("a staging change (warn mode) reports without failing; fail-on: warning fails on it", () => {
    const ws = checkout(commits.staging);
    const lenient = run(ws, { "upload-sarif": "false" }, pr(commits.staging));
    expect(lenient.outputs).toMatchObject({ result: "reported", "exit-code": "0", files: "1" });
    expect(Number(lenient.outputs.findings)).toBeGreaterThan(0);
    expect(lenient.failed).toBe(false);
    expect(lenient.summary).toContain("| staging | warn |");
    const strict = run(ws, { "upload-sarif": "false", "fail-on": "warning" }, pr(commits.staging));
    expect(strict.outputs.result).toBe("blocked");
    expect(strict.failed).toBe(true);
  });

  test("a pull request that changes no manifest passes with nothing checked", () => {
    const ws = checkout(commits.docs);
    const r = run(ws, {}, pr(commits.docs));
    expect(r.step("files").outputs).toMatchObject({ mode: "changed", count: "1" });
    expect(r.outputs).toMatchObject({ result: "skipped", "exit-code": "2", "sarif-file": "" });
    expect(r.summary).toContain("Nothing to check: none of the 1 file changed");
    expect(r.failed).toBe(false);
    // Nothing at all changed under the paths: stagegate does not run.
    const none = run(ws, { paths: "envs" }, pr(commits.docs));
    expect(none.step("check").outcome).toBe("skipped");
    expect(none.outputs).toMatchObject({ result: "skipped", files: "0" });
    expect(none.failed).toBe(false);
    expect(uploads.every((u) => existsSync(u.sarif_file))).toBe(true);
  });

  test("changed files named like options or shell code are files: checked, never run", () => {
    const ws = checkout(commits.names);
    const r = run(ws, { "upload-sarif": "false" }, pr(commits.names));
    expect(r.step("files").outputs).toMatchObject({ mode: "changed", count: "2" });
    expect(r.outputs).toMatchObject({ result: "reported", "exit-code": "0" });
    expect(resultFiles(r.outputs["sarif-file"])).toEqual(["envs/staging/%24(touch%20pwned)%20x.yaml"]);
    expect(r.step("report").stdout).toContain("::warning file=envs/staging/$(touch pwned) x.yaml,");
    expect(r.summary).toContain("envs/staging/\\$(touch pwned) x.yaml:");
    for (const dir of [ws, join(ws, "envs/staging"), actionPath]) expect(existsSync(join(dir, "pwned"))).toBe(false);
  });

  test("a push (no base) checks all of paths; a config error fails whatever fail-on says", () => {
    const ws = checkout(commits.production);
    const sarif = join(ws, "out", "stagegate.sarif");
    const r = run(ws, { "sarif-file": "out/stagegate.sarif", "upload-sarif": "false" }, { before: commits.base });
    expect(r.step("files").outputs).toMatchObject({ mode: "all", count: "1" });
    expect(r.outputs["sarif-file"]).toBe(sarif);
    expect(resultFiles(sarif)).toEqual(
      expect.arrayContaining(["envs/production/web.yaml", "envs/staging/worker.yaml"]),
    );
    expect(r.outputs.result).toBe("blocked");

    const broken = run(ws, { config: "missing.yml", "fail-on": "never" }, pr(commits.production));
    expect(broken.outputs).toMatchObject({ result: "error", "exit-code": "2", "sarif-file": "" });
    expect(broken.summary).toContain("config file not found: missing.yml");
    expect(broken.failed).toBe(true);
  });

  test("policy, env, args and kubernetes-version reach the CLI as its options", () => {
    const ws = checkout(commits.production);
    const r = run(
      ws,
      { env: "production", policy: "policy\n", args: "--namespace\nmain", "upload-sarif": "false" },
      pr(commits.production),
    );
    expect(r.step("check").outputs["exit-code"]).toBe("1");
    // Each reaches the CLI: a wrong value of each is its error.
    const wrong = (inputs: Record<string, string>) =>
      run(ws, { "upload-sarif": "false", ...inputs }, pr(commits.production)).summary;
    expect(wrong({ policy: "nope" })).toContain("no such file or directory: nope");
    expect(wrong({ args: "--namespace\nnone.such" })).toContain('namespace "none.such" matches no Rego package');
    expect(wrong({ env: "qa" })).toContain('unknown environment "qa"');
    const k8s = run(ws, { "kubernetes-version": "1.30", "upload-sarif": "false" }, pr(commits.production));
    expect(k8s.step("check").outputs["exit-code"]).toBe("1");
    // A version without schemas is the CLI's usage error, shown in the summary; the job fails.
    const unknown = run(ws, { "kubernetes-version": "1.0", "upload-sarif": "false" }, pr(commits.production));
    expect(unknown.outputs).toMatchObject({ result: "error", "exit-code": "2" });
    expect(unknown.summary).toContain("--kubernetes-version 1.0");
    expect(unknown.failed).toBe(true);
  });

  test("the example workflow's step: on a pull request of the repository, and of a fork", () => {
    const [job] = Object.values(workflow.jobs);
    const step = job.steps.find((s) => s.uses?.startsWith("stagegate/stagegate@"))!;
    const ws = checkout(commits.staging);
    const runFrom = (repo: string) => {
      const event = pr(commits.staging);
      (event.pull_request as any).head.repo = { full_name: repo };
      const github = { event_name: "pull_request", repository: "acme/gitops", event };
      const withInputs = Object.fromEntries(
        Object.entries(step.with ?? {}).map(([k, v]) => [k, interpolate(String(v), { github })]),
      );
      return { withInputs, r: run(ws, withInputs, event) };
    };
    const own = runFrom("acme/gitops");
    expect(own.withInputs["upload-sarif"]).toBe("true");
    expect(own.r.outputs.result).toBe("reported");
    expect(own.r.steps.find((s) => s.uses?.startsWith("github/codeql-action"))?.outcome).toBe("success");
    expect(own.r.failed).toBe(false);
    const fork = runFrom("someone/gitops");
    expect(fork.withInputs["upload-sarif"]).toBe("false");
    expect(fork.r.steps.find((s) => s.uses?.startsWith("github/codeql-action"))?.outcome).toBe("skipped");
    expect(fork.r.step("report").stdout).toMatch(/^::warning file=envs\/staging\/worker\.yaml,/m);
  });
});

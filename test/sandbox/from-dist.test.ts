/**
 * The evaluation worker runs from the compiled product too (dist/ holds policy-worker.js and no TypeScript loader
 * is involved): built to a temporary directory under .build/ (so node_modules resolves), then driven by plain Node.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { findOpa } from "../../src/policy/toolchain.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

const SCRIPT = `
const { compilePolicies } = await import("./policy/compile.js");
const { PolicySandbox } = await import("./sandbox/policy-sandbox.js");
const source = 'package main\\ndeny contains "one" if input.a == 1\\n' +
  'deny contains "forever" if { input.a == 2; ' +
  'n := count([x | some a in numbers.range(1, 100000); some b in numbers.range(1, 100000); x := a + b]); n < 0 }\\n';
const compiled = await compilePolicies([{ path: "p.rego", content: source }], { cacheDir: false });
const sandbox = new PolicySandbox(compiled, { timeoutMs: 1000 });
const job = (a) => [{ documents: [{ a }], context: { environment: "e", file: "f.yaml" } }];
console.log(JSON.stringify(await sandbox.evaluateFiles(job(1), ["main"])));
console.log(await sandbox.evaluateFiles(job(2), ["main"]).then(() => "no budget", (e) => e.message));
// No close(): an idle worker must not keep the process alive.
`;

test("a compiled build evaluates in its worker and enforces the budget; an idle worker lets the process exit", () => {
  mkdirSync(join(ROOT, ".build"), { recursive: true });
  const dir = mkdtempSync(join(ROOT, ".build", "sandbox-dist-"));
  try {
    // Type errors elsewhere in the tree (other work in progress) do not stop tsc from emitting.
    spawnSync(
      process.execPath,
      [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json", "--outDir", dir],
      {
        cwd: ROOT,
        encoding: "utf8",
      },
    );
    writeFileSync(join(dir, "drive.mjs"), SCRIPT);
    const r = spawnSync(process.execPath, ["drive.mjs"], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, OPA_PATH: findOpa() },
      timeout: 120_000,
    });
    expect(r.stderr).toBe("");
    expect(r.stdout.trim().split("\n")).toEqual([
      JSON.stringify([{ raw: [{ main: { deny: [["one"]] } }] }]),
      "policy evaluation exceeded its budget of 1 s",
    ]);
    expect(r.status).toBe(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 240_000);

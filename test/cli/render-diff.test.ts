import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli/main.js";
import { FLUX_SHAPED } from "../render/reader.js";

async function run(argv: string[], cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s), cwd });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/** A git checkout of the fixture (one commit), then the working tree edited. */
function checkout(changes: Record<string, (text: string) => string>): string {
  const dir = mkdtempSync(join(tmpdir(), "stagegate-render-diff-"));
  cpSync(FLUX_SHAPED, dir, { recursive: true });
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd: dir, stdio: "pipe" });
  git("init", "-q");
  git("add", ".");
  git("commit", "-q", "-m", "base");
  for (const [file, change] of Object.entries(changes)) {
    writeFileSync(join(dir, file), change(readFileSync(join(dir, file), "utf8")));
  }
  return dir;
}

describe("stagegate diff --base REF", () => {
  test("a base change: both overlays show the changed Deployment, its YAML diff and the findings", async () => {
    const repo = checkout({
      "apps/base/podinfo/deployment.yaml": (t) => t.replace("podinfo:6.9.2", "podinfo:latest"),
      "apps/base/podinfo/kustomization.yaml": (t) => t.replace("  - service.yaml\n", ""),
    });
    const r = await run(["diff", "--base", "HEAD", "apps/staging", "apps/production"], repo);
    expect(r.err).toBe("");
    expect(r.out).toMatch(/^staging — apps\/staging: 0 added, 1 changed, 1 removed \(HEAD \([0-9a-f]{12}\) → working/m);
    expect(r.out).toMatch(/^production — apps\/production: 0 added, 1 changed, 1 removed/m);
    expect(r.out).toContain("  ~ apps/Deployment podinfo/podinfo");
    expect(r.out).toContain("  - Service podinfo/podinfo");
    expect(r.out).toMatch(/^-\s+image: ghcr\.io\/stefanprodan\/podinfo:6\.9\.2$/m);
    expect(r.out).toMatch(/^\+\s+image: ghcr\.io\/stefanprodan\/podinfo:latest$/m);
    expect(r.out).toContain("apps/base/podinfo/deployment.yaml:19");
    expect(r.out).toContain("images/latest-tag");
    expect(r.code).toBe(1);
  });

  test("nothing changed: no objects listed, nothing judged fails", async () => {
    const repo = checkout({});
    const r = await run(["diff", "--base", "HEAD", "--env", "production", "apps/production"], repo);
    expect(r.out).toContain("production — apps/production: 0 added, 0 changed, 0 removed");
    expect(r.code).toBe(0);
  });

  test("a bad revision or a missing --base is a usage error", async () => {
    const repo = checkout({});
    expect((await run(["diff", "--base", "no-such-ref", "apps/production"], repo)).code).toBe(2);
    const r = await run(["diff", "apps/production"], repo);
    expect([r.code, r.err]).toEqual([2, expect.stringContaining("--base REF")]);
  });
});

/**
 * The engine cache keys engines by what they are built from (repository, resolved config, content of the policy
 * inputs), not by the default branch's commit: a new commit that changes none of them reuses the engine, a change
 * to any of them builds a new one.
 */
import { parseConfig } from "../../src/config/load.js";
import type { GitHubRepoReader } from "../../src/github/repo-reader.js";
import { EngineCache } from "../../src/pipeline/engines.js";
import { memoryReader } from "../gate/helpers.js";
import { configWith, POLICY } from "../handlers/repo-content.js";

const CONFIG = configWith(`  production:
    paths: ["envs/production/**"]
`).replace("  namespaces: [main]\n", "  namespaces: [main]\n  data: [policy/data/*.yaml]\n  params: { team: web }\n");

const BASE: Record<string, string> = {
  ".github/stagegate.yml": CONFIG,
  "policy/main.rego": POLICY,
  "policy/main_test.rego": "package main\n\ntest_nothing if { true }\n",
  "policy/data/registries.yaml": "registries: [ghcr.io/acme]\n",
  "envs/production/web.yaml": "kind: ConfigMap\n",
  "README.md": "# gitops\n",
};

/** A reader of one commit's files that counts the files it is asked to read. */
function commit(files: Record<string, string>): { reader: GitHubRepoReader; reads: () => number } {
  const mem = memoryReader(files);
  let reads = 0;
  const reader = {
    listFiles: (dir: string) => mem.listFiles(dir),
    readFile: (path: string) => {
      reads += 1;
      return mem.readFile(path);
    },
    preload: async () => {},
  } as unknown as GitHubRepoReader;
  return { reader, reads: () => reads };
}

const config = parseConfig(CONFIG);

describe("EngineCache", () => {
  test("new commits on main that change no policy input reuse the engine", async () => {
    const cache = new EngineCache();
    const first = await cache.get("acme/gitops", "sha1", config, commit(BASE).reader);
    // A manifest, a document and a policy test changed: none is an input of the engine.
    const moved = {
      ...BASE,
      "envs/production/web.yaml": "kind: ConfigMap\nmetadata: { name: web }\n",
      "README.md": "# gitops, moved\n",
      "policy/main_test.rego": "package main\n\ntest_still_nothing if { true }\n",
    };
    expect(await cache.get("acme/gitops", "sha2", config, commit(moved).reader)).toBe(first);
    expect(await cache.get("acme/gitops", "sha3", parseConfig(CONFIG), commit(BASE).reader)).toBe(first);
    expect(cache.size).toBe(1);
    // A commit already seen reads nothing at all.
    const again = commit(BASE);
    expect(await cache.get("acme/gitops", "sha2", config, again.reader)).toBe(first);
    expect(again.reads()).toBe(0);
  }, 120_000);

  test("a change to any input the engine is built from builds a new engine", async () => {
    const cache = new EngineCache();
    const base = await cache.get("acme/gitops", "base", config, commit(BASE).reader);
    const changed: Array<[string, Record<string, string>, string]> = [
      ["policy", { ...BASE, "policy/main.rego": `${POLICY}\n# tightened\n` }, CONFIG],
      [
        "new policy file",
        { ...BASE, "policy/extra.rego": "package main\n\ndeny_nothing contains 1 if { false }\n" },
        CONFIG,
      ],
      ["data file", { ...BASE, "policy/data/registries.yaml": "registries: [ghcr.io/other]\n" }, CONFIG],
      ["new data file", { ...BASE, "policy/data/teams.yaml": "teams: [web]\n" }, CONFIG],
      ["params", BASE, CONFIG.replace("team: web", "team: data")],
      ["environments", BASE, CONFIG.replace(`paths: ["envs/production/**"]`, `paths: ["envs/prod/**"]`)],
    ];
    const seen = new Set([base]);
    for (const [what, files, text] of changed) {
      const engine = await cache.get("acme/gitops", `sha-${what}`, parseConfig(text), commit(files).reader);
      expect({ what, fresh: !seen.has(engine) }).toEqual({ what, fresh: true });
      seen.add(engine);
    }
    // The same inputs in another repository: an engine of its own.
    expect(await cache.get("acme/other", "base", config, commit(BASE).reader)).not.toBe(base);
    // Back to the first content: its engine, still cached.
    expect(await cache.get("acme/gitops", "back", config, commit(BASE).reader)).toBe(base);
  }, 240_000);

  test("an input that cannot be read fails the build, and a later evaluation tries again", async () => {
    const cache = new EngineCache();
    const broken = { ...BASE, "policy/data/registries.yaml": "registries: [\n" };
    await expect(cache.get("acme/gitops", "sha1", config, commit(broken).reader)).rejects.toThrow(/registries\.yaml/);
    // The same commit, once the file reads well (a transient read failure): built this time.
    const engine = await cache.get("acme/gitops", "sha1", config, commit(BASE).reader);
    expect(engine.environment("production").name).toBe("production");
  }, 120_000);
});

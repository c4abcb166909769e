import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cachedConfig } from "../../src/cli/config-cache.js";
import { ConfigError, parseConfig } from "../../src/config/load.js";

const TEXT = 'version: 1\nenvironments:\n  production:\n    branches: ["main"]\n';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "stagegate-config-cache-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** parseConfig, counting its calls. */
function counted(text: string) {
  const calls = { n: 0 };
  return { calls, make: () => (calls.n++, parseConfig(text, ".github/stagegate.yml")) };
}

describe("the CLI's config cache", () => {
  test("a config made once is read back, equal, without validating again", () => {
    const { calls, make } = counted(TEXT);
    const first = cachedConfig(["file", TEXT], make, { buildId: "b1", dir });
    const second = cachedConfig(["file", TEXT], make, { buildId: "b1", dir });
    expect(calls.n).toBe(1);
    expect(second).toEqual(first);
    expect(second).toEqual(parseConfig(TEXT, ".github/stagegate.yml"));
    // A fresh object each time: callers adjust it (--policy, --namespace).
    expect(second).not.toBe(first);
  });

  test("another text, another build or another schema is another entry", () => {
    const { calls, make } = counted(TEXT);
    cachedConfig(["file", TEXT], make, { buildId: "b1", dir });
    cachedConfig(["file", TEXT + "# changed\n"], make, { buildId: "b1", dir });
    cachedConfig(["file", TEXT], make, { buildId: "b2", dir });
    expect(calls.n).toBe(3);
    expect(readdirSync(dir)).toHaveLength(3);
  });

  test("an invalid config is never kept: its errors come every time", () => {
    const bad = "version: 1\nenvironments:\n  production:\n    mode: enforced\n";
    const { calls, make } = counted(bad);
    for (let i = 0; i < 2; i++) {
      expect(() => cachedConfig(["file", bad], make, { buildId: "b1", dir })).toThrow(ConfigError);
    }
    expect(calls.n).toBe(2);
    expect(readdirSync(dir)).toEqual([]);
  });

  test("without a build id (not the bundle, or --no-cache) nothing is read or written", () => {
    const { calls, make } = counted(TEXT);
    cachedConfig(["file", TEXT], make, { buildId: undefined, dir });
    cachedConfig(["file", TEXT], make, { buildId: undefined, dir });
    expect(calls.n).toBe(2);
    expect(readdirSync(dir)).toEqual([]);
  });

  test("a damaged entry is made afresh and rewritten", () => {
    const { calls, make } = counted(TEXT);
    cachedConfig(["file", TEXT], make, { buildId: "b1", dir });
    const [entry] = readdirSync(dir);
    writeFileSync(join(dir, entry), '{"version": 1, "environme');
    const again = cachedConfig(["file", TEXT], make, { buildId: "b1", dir });
    expect(again).toEqual(parseConfig(TEXT, ".github/stagegate.yml"));
    expect(calls.n).toBe(2);
    expect(cachedConfig(["file", TEXT], make, { buildId: "b1", dir })).toEqual(again);
    expect(calls.n).toBe(2);
  });

  test("a config JSON would not give back exactly is not kept", () => {
    const config = parseConfig(TEXT, ".github/stagegate.yml");
    const odd = { ...config, extra: undefined } as typeof config;
    expect(cachedConfig(["odd"], () => odd, { buildId: "b1", dir })).toBe(odd);
    expect(readdirSync(dir)).toEqual([]);
  });
});

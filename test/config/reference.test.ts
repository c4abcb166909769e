import { readFileSync } from "node:fs";
import { parseConfig } from "../../src/config/load.js";
import {
  REFERENCE_BEGIN,
  REFERENCE_END,
  renderConfigReference,
  updateConfigReference,
} from "../../src/config/reference.js";

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");
const schema = JSON.parse(read("schemas/stagegate-config.schema.json"));
const doc = read("docs/configuration.md");

describe("docs/configuration.md", () => {
  test("is up to date with the schema (run `node scripts/config-reference.mjs`)", () => {
    expect(updateConfigReference(doc, schema)).toBe(doc);
  });

  test("its complete example is a valid config", () => {
    const example = /## A complete example\n\n```yaml\n([\s\S]*?)```/.exec(doc);
    expect(example).not.toBeNull();
    const config = parseConfig(example![1], "docs/configuration.md");
    expect(Object.keys(config.environments)).toEqual(["dev", "staging", "production", "eu-prod", "eu-staging"]);
  });
});

describe("renderConfigReference", () => {
  const text = renderConfigReference(schema);

  test("has a section for every key, with type, default and description", () => {
    const mode = text.slice(text.indexOf("### `environments.<name>.mode`"));
    expect(mode).toMatch(
      new RegExp(
        "^### `environments.<name>.mode`\n\n- \\*\\*Type:\\*\\* one of `enforce`, `warn`, `shadow`\n" +
          '- \\*\\*Default:\\*\\* `"enforce"`\n\n`enforce`: failures',
      ),
    );
    for (const key of [
      "version",
      "environments.<name>.gates.approvals.from.teams",
      "environments.<name>.freeze.windows[].weekly",
      "schemas.custom[].apiVersion",
      "limits.timeout_ms",
      "commands.prefix",
      "policy.approvers.users",
    ]) {
      expect(text).toContain(`### \`${key}\`\n`);
    }
  });

  test("marks required keys", () => {
    expect(text).toMatch(/### `version`\n\n- \*\*Type:\*\* `1`\n- \*\*Required\*\*/);
    expect(text).toMatch(/### `schemas.custom\[\].schema`\n\n- \*\*Type:\*\* string\n- \*\*Required\*\*/);
  });

  test("every property in the schema has a description", () => {
    const missing: string[] = [];
    const visit = (node: unknown, path: string): void => {
      if (!node || typeof node !== "object") return;
      const n = node as Record<string, unknown>;
      if (n.properties && typeof n.properties === "object") {
        for (const [k, v] of Object.entries(n.properties as Record<string, Record<string, unknown>>)) {
          if (typeof v.description !== "string" || v.description === "") missing.push(`${path}.${k}`);
          visit(v, `${path}.${k}`);
        }
      }
      for (const key of ["items", "additionalProperties"]) visit(n[key], `${path}.${key}`);
      if (n.$defs) for (const [k, v] of Object.entries(n.$defs)) visit(v, `$defs.${k}`);
    };
    visit(schema, "");
    expect(missing).toEqual([]);
  });
});

describe("updateConfigReference", () => {
  test("replaces only the text between the markers", () => {
    const stale = `# Title\n\nintro\n\n${REFERENCE_BEGIN}\n\nold\n${REFERENCE_END}\n\nfooter\n`;
    const next = updateConfigReference(stale, schema);
    expect(next.startsWith("# Title\n\nintro\n\n")).toBe(true);
    expect(next).not.toContain("\nold\n");
    expect(next).toContain(renderConfigReference(schema));
    expect(next.endsWith(`${REFERENCE_END}\n\nfooter\n`)).toBe(true);
    expect(updateConfigReference(next, schema)).toBe(next);
  });

  test("appends the markers when missing", () => {
    const next = updateConfigReference("# Title\n", schema);
    expect(next.startsWith(`# Title\n\n${REFERENCE_BEGIN}\n`)).toBe(true);
    expect(next.trimEnd().endsWith(REFERENCE_END)).toBe(true);
  });
});

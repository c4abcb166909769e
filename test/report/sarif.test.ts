import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import { encodePath, FINGERPRINT_KEY, formatSarif } from "../../src/report/sarif.js";
import { cleanVerdict, ctx, finding, ODD, productionVerdict } from "./sample-verdicts.js";

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/**
 * The official schema is draft-04 and ajv-draft-04 is not installed; the
 * schema uses no draft-04-only keywords (no boolean exclusiveMinimum), so
 * Ajv's default draft reads it once `id` is `$id` and `$schema` is dropped.
 */
function sarifValidator() {
  const schema = JSON.parse(readFileSync(new URL("../fixtures/sarif-schema-2.1.0.json", import.meta.url), "utf8"));
  schema.$id = schema.id;
  delete schema.id;
  delete schema.$schema;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile(schema);
}

const validate = sarifValidator();

function sarif(verdicts = [productionVerdict()], c: Parameters<typeof formatSarif>[1] = ctx) {
  return JSON.parse(formatSarif(verdicts, c));
}

describe("sarif format", () => {
  it("is valid SARIF 2.1.0 (official schema)", () => {
    const log = sarif([productionVerdict(), cleanVerdict()], {
      ...ctx,
      ruleSources: { "pod-security/privileged": { file: "policies/pod security.rego", line: 7 } },
      sourceBaseUri: "https://github.com/acme/gitops/blob/abc",
    });
    const ok = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it("the validator does reject a broken log", () => {
    const log = sarif();
    log.runs[0].results[0].level = "fatal";
    delete log.runs[0].tool.driver.name;
    expect(validate(log)).toBe(false);
  });

  it("describes the tool and one rule per distinct rule id", () => {
    const run = sarif().runs[0];
    expect(run.tool.driver).toMatchObject({
      name: "stagegate",
      version: "0.1.0",
      informationUri: expect.stringMatching(/^https:\/\//),
    });
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual([
      "pod-security/privileged",
      "schema/required",
      "images/latest",
      "resources/limits",
    ]);
    for (const r of run.results) expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
    // Readable rule metadata for code scanning's alert list.
    expect(run.tool.driver.rules[0]).toMatchObject({
      name: "podSecurityPrivileged",
      shortDescription: { text: "Stagegate pod security: privileged" },
    });
    expect(run.tool.driver.rules[0].fullDescription.text.length).toBeGreaterThan(0);
  });

  it("adds help and helpUri for rules whose source is known", () => {
    const run = sarif([productionVerdict()], {
      ...ctx,
      ruleSources: { "pod-security/privileged": { file: "policies/pod security.rego", line: 7 } },
      sourceBaseUri: "https://github.com/acme/gitops/blob/abc",
    }).runs[0];
    const rule = run.tool.driver.rules[0];
    expect(rule.help.text).toContain("policies/pod security.rego:7");
    expect(rule.helpUri).toBe("https://github.com/acme/gitops/blob/abc/policies/pod%20security.rego#L7");
    expect(run.tool.driver.rules[1].helpUri).toBeUndefined();
  });

  it("maps severities, locations and omits unknown region parts", () => {
    const [fail, odd, warn, exempt] = sarif().runs[0].results;
    expect(fail.level).toBe("error");
    expect(warn.level).toBe("warning");
    expect(fail.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: "envs/production/app.yaml", uriBaseId: "%SRCROOT%" },
      region: { startLine: 12, startColumn: 7, endLine: 12, endColumn: 20 },
    });
    expect(odd.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: "envs/production/odd%20dir/x%25y.yaml", uriBaseId: "%SRCROOT%" },
      region: { startLine: 4 },
    });
    expect(odd.message.text).toBe(ODD);
    expect(exempt.suppressions).toEqual([
      { kind: "external", justification: "Exempted by exception[resources/limits]" },
    ]);
    expect(fail.suppressions).toBeUndefined();
  });

  it("never emits 0 or inverted positions", () => {
    const v = cleanVerdict({
      findings: [
        finding({ location: { file: "a.yaml", line: 0, column: 0 } }),
        finding({ location: { file: "b.yaml", line: 5, column: 9, endLine: 3, endColumn: 1 } }),
      ],
    });
    const log = sarif([v]);
    expect(validate(log)).toBe(true);
    expect(log.runs[0].results[0].locations[0].physicalLocation.region).toBeUndefined();
    expect(log.runs[0].results[1].locations[0].physicalLocation.region).toEqual({ startLine: 5, startColumn: 9 });
  });

  it("separates environments by automation id", () => {
    const runs = sarif([productionVerdict(), cleanVerdict()]).runs;
    expect(runs.map((r: { automationDetails: { id: string } }) => r.automationDetails.id)).toEqual([
      "stagegate/production/",
      "stagegate/staging/",
    ]);
    expect(runs[0].properties).toMatchObject({ environment: "production", mode: "enforce" });
  });

  it("fingerprints stably by rule, file and message, not by line", () => {
    const a = sarif().runs[0].results[0].partialFingerprints[FINGERPRINT_KEY];
    const moved = productionVerdict();
    moved.findings[0] = finding({ location: { file: "envs/production/app.yaml", line: 40 } });
    expect(sarif([moved]).runs[0].results[0].partialFingerprints[FINGERPRINT_KEY]).toBe(a);
    const other = productionVerdict();
    other.findings[0] = finding({ message: "something else" });
    expect(sarif([other]).runs[0].results[0].partialFingerprints[FINGERPRINT_KEY]).not.toBe(a);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });

  it("gives identical findings distinct fingerprints", () => {
    const v = cleanVerdict({
      findings: [finding(), finding({ location: { file: "envs/production/app.yaml", line: 30 } })],
    });
    const [x, y] = sarif([v]).runs[0].results;
    expect(x.partialFingerprints[FINGERPRINT_KEY]).not.toBe(y.partialFingerprints[FINGERPRINT_KEY]);
  });

  it("percent-encodes path segments and handles absolute and Windows paths", () => {
    expect(encodePath("a b/ü#?.yaml")).toBe("a%20b/%C3%BC%23%3F.yaml");
    const v = cleanVerdict({
      findings: [
        finding({ location: { file: "/abs/x.yaml", line: 1 } }),
        finding({ location: { file: "C:\\repo\\x.yaml", line: 1 } }),
        finding({ location: { file: "./rel\\y.yaml", line: 1 } }),
      ],
    });
    const log = sarif([v]);
    expect(validate(log)).toBe(true);
    const uris = log.runs[0].results.map(
      (r: { locations: Array<{ physicalLocation: { artifactLocation: unknown } }> }) =>
        r.locations[0].physicalLocation.artifactLocation,
    );
    expect(uris).toEqual([
      { uri: "file:///abs/x.yaml" },
      { uri: "file:///C:/repo/x.yaml" },
      { uri: "rel/y.yaml", uriBaseId: "%SRCROOT%" },
    ]);
  });
});

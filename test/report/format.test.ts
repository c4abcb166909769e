import {
  formatVerdicts,
  isOutputFormat,
  OUTPUT_FORMATS,
  parseOutputFormat,
  type OutputFormat,
} from "../../src/report/format.js";
import { formatGithub } from "../../src/report/github.js";
import { formatJson } from "../../src/report/json.js";
import { formatJunit } from "../../src/report/junit.js";
import { formatSarif } from "../../src/report/sarif.js";
import { formatText } from "../../src/report/text.js";
import { cleanVerdict, ctx, productionVerdict } from "./sample-verdicts.js";

describe("formatVerdicts", () => {
  const verdicts = [productionVerdict(), cleanVerdict()];

  it("lists the five formats", () => {
    expect([...OUTPUT_FORMATS]).toEqual(["text", "json", "sarif", "junit", "github"]);
    expect(Object.isFrozen(OUTPUT_FORMATS)).toBe(true);
  });

  it.each([
    ["text", formatText],
    ["json", formatJson],
    ["sarif", formatSarif],
    ["junit", formatJunit],
    ["github", formatGithub],
  ] as Array<[OutputFormat, typeof formatText]>)("dispatches %s to its formatter", (format, formatter) => {
    expect(formatVerdicts(format, verdicts, ctx)).toBe(formatter(verdicts, ctx));
  });

  it("every format ends with a newline and handles no verdicts", () => {
    for (const f of OUTPUT_FORMATS) {
      expect(formatVerdicts(f, verdicts, ctx).endsWith("\n")).toBe(true);
      expect(() => formatVerdicts(f, [], ctx)).not.toThrow();
    }
  });

  it("rejects unknown formats with the list of valid ones", () => {
    expect(isOutputFormat("sarif")).toBe(true);
    expect(isOutputFormat("toString")).toBe(false);
    expect(() => parseOutputFormat("xml")).toThrow(
      'unknown output format "xml"; expected one of: text, json, sarif, junit, github',
    );
    expect(() => formatVerdicts("yaml" as OutputFormat, verdicts, ctx)).toThrow(/unknown output format "yaml"/);
  });
});

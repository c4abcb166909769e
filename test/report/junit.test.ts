import { formatJunit } from "../../src/report/junit.js";
import { xmlAttr, xmlText } from "../../src/report/xml.js";
import { cleanVerdict, ctx, exemption, finding, ODD, productionVerdict } from "./sample-verdicts.js";
import { parseXml, type XmlElement } from "./xml-check.js";

const byName = (el: XmlElement, name: string) => el.children.filter((c) => c.name === name);

describe("junit format", () => {
  const v = productionVerdict();
  // A warning of the same rule and file as a failure joins the failing test case.
  v.findings.push(
    finding({
      severity: "warning",
      message: "also a warning",
      location: { file: "envs/production/app.yaml", line: 30 },
    }),
  );
  const xml = formatJunit([v, cleanVerdict()], ctx);
  const root = parseXml(xml);
  const [prod, staging] = byName(root, "testsuite");

  it("is well-formed XML with totals", () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
    expect(root.name).toBe("testsuites");
    expect(root.attrs).toMatchObject({ name: "stagegate", tests: "5", failures: "2", errors: "0", skipped: "1" });
  });

  it("has one suite per environment with mode and revision properties", () => {
    expect(prod.attrs).toMatchObject({ name: "production", tests: "4", failures: "2", skipped: "1", time: "1.234" });
    const props = Object.fromEntries(byName(prod, "properties")[0].children.map((p) => [p.attrs.name, p.attrs.value]));
    expect(props).toMatchObject({ mode: "enforce", toolVersion: "0.1.0", policyRevision: ctx.policyRevision });
  });

  it("has one test case per (file, rule): failures, warnings as output, exemptions skipped", () => {
    const cases = byName(prod, "testcase");
    expect(cases.map((c) => [c.attrs.name, c.attrs.file])).toEqual([
      ["pod-security/privileged", "envs/production/app.yaml"],
      ["schema/required", "envs/production/odd dir/x%y.yaml"],
      ["images/latest", "envs/production/app.yaml"],
      ["resources/limits", "envs/production/db.yaml"],
    ]);
    const privileged = cases[0];
    const failure = byName(privileged, "failure")[0];
    expect(failure.attrs.type).toBe("pod-security/privileged");
    expect(failure.attrs.message).toBe('Deployment/web: container "app" runs privileged');
    expect(failure.text).toBe(
      'FAIL envs/production/app.yaml:12:7: Deployment/web: container "app" runs privileged\nWARN ' +
        "envs/production/app.yaml:30: also a warning",
    );
    const latest = cases.find((c) => c.attrs.name === "images/latest")!;
    expect(byName(latest, "failure")).toEqual([]);
    expect(byName(latest, "system-out")[0].text).toBe("WARN envs/production/app.yaml:20:9: image uses :latest");
    const exempt = cases.find((c) => c.attrs.name === "resources/limits")!;
    expect(byName(exempt, "skipped")[0].attrs.message).toBe("exempted by exception[resources/limits]");
    expect(cases.every((c) => c.attrs.classname === "stagegate.production")).toBe(true);
  });

  it("escapes markup, quotes and control characters, keeping newlines in attributes", () => {
    const odd = byName(prod, "testcase").find((c) => c.attrs.name === "schema/required")!;
    const failure = byName(odd, "failure")[0];
    const expected = ODD.replace("\u0007", "\\u0007").replace("\u001b", "\\u001b");
    expect(failure.attrs.message).toBe(expected);
    expect(failure.text).toBe(`FAIL envs/production/odd dir/x%y.yaml:4: ${expected}`);
    expect(xmlAttr("<&>\"'\n\t\u0000")).toBe("&lt;&amp;&gt;&quot;&apos;&#10;&#9;\\u0000");
    expect(xmlText("]]> \uD800")).toBe("]]&gt; \uFFFD");
  });

  it("gives a clean environment one passing test case", () => {
    const cases = byName(staging, "testcase");
    expect(cases).toHaveLength(1);
    expect(cases[0].attrs.name).toBe("all 5 documents in 2 files pass");
    expect(cases[0].children).toEqual([]);
    expect(staging.attrs).toMatchObject({ tests: "1", failures: "0", skipped: "0" });
  });

  it("groups several exemptions of one rule and file into one skipped case", () => {
    const x = parseXml(
      formatJunit(
        [
          cleanVerdict({
            exemptions: [
              exemption(),
              exemption({ exemptedBy: "other", location: { file: "envs/production/db.yaml", line: 9 } }),
            ],
          }),
        ],
        ctx,
      ),
    );
    const cases = byName(byName(x, "testsuite")[0], "testcase");
    expect(cases).toHaveLength(1);
    expect(byName(cases[0], "skipped")[0].attrs.message).toBe("exempted by exception[resources/limits], other");
    expect(byName(cases[0], "system-out")[0].text.split("\n")).toHaveLength(2);
  });
});

describe("xml-check (test helper)", () => {
  it("rejects what is not well-formed, so the tests above mean something", () => {
    expect(() => parseXml("<a>x & y</a>")).toThrow(/bare &/);
    expect(() => parseXml("<a><b></a>")).toThrow(/closes/);
    expect(() => parseXml('<a x="1" x="2"/>')).toThrow(/duplicate/);
    expect(() => parseXml('<a x="<"/>')).toThrow(/malformed/);
    expect(() => parseXml("<a>\u0001</a>")).toThrow(/not allowed/);
    expect(parseXml('<a x="&#10;&quot;">&lt;b&gt;</a>')).toEqual({
      name: "a",
      attrs: { x: '\n"' },
      text: "<b>",
      children: [],
    });
  });
});

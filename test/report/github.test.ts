import { escapeData, escapeProperty, formatGithub } from "../../src/report/github.js";
import { cleanVerdict, ctx, finding, productionVerdict } from "./sample-verdicts.js";

describe("github workflow commands", () => {
  const lines = formatGithub([productionVerdict()], ctx).trimEnd().split("\n");

  it("emits one command per finding with the full location", () => {
    expect(lines[0]).toBe(
      '::error file=envs/production/app.yaml,line=12,col=7,endLine=12,endColumn=20,title=pod-security/privileged::Deployment/web: container "app" runs privileged',
    );
    expect(lines[2]).toBe(
      "::warning " +
        "file=envs/production/app.yaml,line=20,col=9,endLine=22,endColumn=3,title=images/latest::image uses :latest",
    );
    expect(lines[3]).toBe(
      '::notice file=envs/production/db.yaml,line=3,col=5,title=resources/limits::container "app" has no ' +
        "memory limit (exempted by exception[resources/limits])",
    );
  });

  it("escapes data and properties so a message cannot start another command", () => {
    expect(lines[1].startsWith("::error file=envs/production/odd dir/x%25y.yaml,line=4,title=schema/required::")).toBe(
      true,
    );
    expect(lines[1]).toContain("%25f: g, h%0Asecond line");
    expect(lines).toHaveLength(5);
    expect(escapeData("100%\r\n::error::x")).toBe("100%25%0D%0A::error::x");
    expect(escapeProperty("a:b,c%d\ne")).toBe("a%3Ab%2Cc%25d%0Ae");
    const injected = formatGithub(
      [cleanVerdict({ findings: [finding({ ruleId: "r,file=evil.yaml", message: "x\n::error file=evil::pwned" })] })],
      ctx,
    );
    expect(injected.split("\n").filter((l) => l.startsWith("::"))).toHaveLength(1);
    expect(injected).toContain("title=r%2Cfile=evil.yaml::x%0A::error file=evil::pwned");
  });

  it("leaves out what is unknown", () => {
    const out = formatGithub(
      [
        cleanVerdict({
          findings: [finding({ location: { file: "a.yaml", line: 0 } }), finding({ location: { file: "", line: 3 } })],
        }),
      ],
      ctx,
    );
    const [a, b] = out.split("\n");
    expect(a).toBe(
      '::error file=a.yaml,title=pod-security/privileged::Deployment/web: container "app" runs privileged',
    );
    expect(b).toBe('::error title=pod-security/privileged::Deployment/web: container "app" runs privileged');
  });

  it("ends with a plain summary line per environment", () => {
    expect(lines[4]).toBe("stagegate: production: 14 documents in 3 files, 2 failures, 1 warning, 1 exception");
  });
});

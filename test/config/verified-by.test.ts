import { parseConfig } from "../../src/config/load.js";
import { gatesOf, verificationSources } from "../../src/config/gates.js";

const config = (entries: string) =>
  parseConfig(
    "version: 1\nenvironments:\n  staging:\n    branches: [staging]\n  production:\n    branches: [production]\n" +
      `    promote_from: staging\n    gates:\n      verified_by: ${entries}\n`,
  );

describe("verified_by entries", () => {
  test("issue 11 item 7: an entry can name the app or the status creator it trusts", () => {
    const c = config("[argocd/staging, { context: e2e, app: ci }, { context: sync, creator: argo-bot }]");
    expect(verificationSources(gatesOf(c.environments.production))).toEqual([
      { context: "argocd/staging", app: null, creator: null },
      { context: "e2e", app: "ci", creator: null },
      { context: "sync", app: null, creator: "argo-bot" },
    ]);
  });

  test("a mapping must name its context and a source, and nothing else", () => {
    expect(() => config("[{ context: e2e }]")).toThrow(/needs `app` .* or `creator`/);
    expect(() => config("[{ app: ci }]")).toThrow(/context/);
    expect(() => config("[{ context: e2e, app: ci, check: x }]")).toThrow(/verified_by/);
    expect(() => config('[""]')).toThrow(/verified_by/);
  });
});

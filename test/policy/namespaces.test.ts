import { globMatch, matchNamespaces, type PolicyIndex } from "../../src/policy/inspect.js";

describe("namespace globs (conftest: Go path.Match over the package name)", () => {
  test.each([
    ["main", "main", true],
    ["ma*", "main", true],
    ["k8s.*", "k8s.apps.deny", true], // * crosses dots
    ["*.deny", "a.b.deny", true],
    ["m?in", "main", true],
    ["[lm]ain", "main", true],
    ["[a-k]ain", "main", false],
    ["[^l]ain", "main", true],
    ["ma\\in", "main", true],
    ["[", "main", false], // malformed: matches nothing
    ["mai", "main", false],
  ])("%s vs %s", (glob, name, expected) => {
    expect(globMatch(glob, name)).toBe(expected);
  });

  test("Stagegate's own packages only when the glob names them", () => {
    const index: PolicyIndex = new Map(["main", "stagegate.lib.images", "stagegate.gates.draft"].map((n) => [n, []]));
    expect(matchNamespaces(index, ["*"])).toEqual(["main"]);
    expect(matchNamespaces(index, ["stagegate.lib.*"])).toEqual(["stagegate.lib.images"]);
  });
});

import { didYouMean, editDistance } from "../../src/schema/did-you-mean.js";

test("edit distance counts insertions, deletions and substitutions", () => {
  expect(editDistance("replcias", "replicas")).toBe(2);
  expect(editDistance("", "abc")).toBe(3);
  expect(editDistance("image", "image")).toBe(0);
  expect(editDistance("imag", "image")).toBe(1);
});

test("suggests the closest allowed name only when it is a plausible typo", () => {
  const allowed = ["replicas", "selector", "template", "strategy", "minReadySeconds"];
  expect(didYouMean("replcias", allowed)).toBe("replicas");
  expect(didYouMean("minreadyseconds", allowed)).toBe("minReadySeconds");
  expect(didYouMean("foo", allowed)).toBeUndefined();
  expect(didYouMean("x", [])).toBeUndefined();
});

import { createCustomBuiltins } from "../../../src/policy/builtins/index.js";

// Expected values come from `opa eval --strict-builtin-errors` (opa v1.22.3).
const b = createCustomBuiltins();

test.each([
  ["crypto.sha256", ["héllo"], "3c48591d8d098a4538f5e013dfcf406e948eac4d3277b10bf614e295d6068179"],
  ["crypto.md5", ["abc"], "900150983cd24fb0d6963f7d28e17f72"],
  ["crypto.sha1", ["abc"], "a9993e364706816aba3e25717850c26c9cd0d89d"],
  ["crypto.hmac.sha256", ["msg", "key"], "2d93cbc1be167bcb1637a4a23cbff01a7878f0c50ee833954ea5221bb1b8c628"],
  [
    "crypto.hmac.sha512",
    ["msg", "key"],
    "1e4b55b925ccc28ed90d9d18fc2393fcbe164c0d84e67e173cc5aa486b7afc10" +
      "6633c66bdc309076f5f8d9fdbbb62456f894f2c23377fbcc12f4ab2940eb6d70",
  ],
  ["crypto.hmac.equal", ["a", "a"], true],
  ["crypto.hmac.equal", ["a", "ab"], false],
  ["hex.encode", ["hé"], "68c3a9"],
  ["hex.decode", ["6869"], "hi"],
  ["base64url.encode_no_pad", ["hé?"], "aMOpPw"],
])("%s%j", (name, args, want) => {
  expect(b[name](...args)).toBe(want);
});

test("hex.decode reports the bad byte like Go", () => {
  expect(() => b["hex.decode"]("zz")).toThrow("hex.decode: encoding/hex: invalid byte: U+007A 'z'");
});

test("hashes reject non-strings", () => {
  expect(() => b["crypto.sha256"](1)).toThrow("crypto.sha256: invalid argument(s)");
});

describe("crypto.hmac.md5 / crypto.hmac.sha1", () => {
  test.each([
    ["crypto.hmac.md5", "18e3548c59ad40dd03907b7aeee71d67"],
    ["crypto.hmac.sha1", "102900b72b7bf1031eec76b4804b66052376896b"],
  ])("%s(msg, key)", (name, want) => {
    expect(b[name]("msg", "key")).toBe(want);
    expect(() => b[name]("msg", 1)).toThrow(`${name}: invalid argument(s)`);
  });
});

import { createCustomBuiltins } from "../../../src/policy/builtins/index.js";

// Expected values come from `opa eval --strict-builtin-errors` (opa v1.22.3).
const b = createCustomBuiltins();
const decode = (t: unknown) => b["io.jwt.decode"](t);

const HS256 =
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." +
  "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ." +
  "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

describe("io.jwt.decode", () => {
  test.each([
    [
      HS256,
      [
        { alg: "HS256", typ: "JWT" },
        { iat: 1516239022, name: "John Doe", sub: "1234567890" },
        "49f94ac7044948c78a285d904f87f0a4c7897f7e8f3a4eb2255fda750b2cc397",
      ],
    ],
    ["eyJhbGciOiJub25lIn0.eyJhIjoxfQ.", [{ alg: "none" }, { a: 1 }, ""]],
    ["eyJhbGciOiJub25lIn0=.eyJhIjoxfQ.", [{ alg: "none" }, { a: 1 }, ""]],
    ["eyJhbGciOiJub25lIn0.eyJhIjoxfQ.YWJj", [{ alg: "none" }, { a: 1 }, "616263"]],
    ["eyJhbGciOiJub25lIn0.eyJhIjoxLjV9.", [{ alg: "none" }, { a: 1.5 }, ""]],
    ["e30.e30.", [{}, {}, ""]],
    // cty JWT: the payload is itself a token, whose parts are returned.
    [
      "eyJhbGciOiJub25lIiwiY3R5IjoiSldUIn0.ZXlKaGJHY2lPaUp1YjI1bEluMC5leUpoSWpveGZRLg.",
      [{ alg: "none" }, { a: 1 }, ""],
    ],
  ])("decode(%s)", (token, want) => {
    expect(decode(token)).toEqual(want);
  });

  test.each([
    ["abc", "encoded JWT had no period separators"],
    ["a.b", "encoded JWT must have 3 sections, found 2"],
    ["a.b.c.d", "encoded JWT must have 3 sections, found 4"],
    ["a.b.c", "JWT header had invalid encoding: illegal base64url string: a"],
    ["!!.e30.", "JWT header had invalid encoding: illegal base64 data at input byte 0"],
    ["e3!.e30.", "JWT header had invalid encoding: illegal base64 data at input byte 2"],
    ["e30.a.", "JWT payload had invalid encoding: illegal base64url string: a"],
    ["e30.e3!.", "JWT payload had invalid encoding: illegal base64 data at input byte 2"],
    ["e30.e30.a", "JWT signature had invalid encoding: illegal base64url string: a"],
    ["eyJhbGciOiJub25lIn0.eyJhIjoxfQ.!!", "JWT signature had invalid encoding: illegal base64 data at input byte 0"],
    // OPA goes on with Go's JSON error ("invalid character 'o' in literal null ..."); the prefix is what matches.
    ["eyJhbGciOiJub25lIn0.bm90anNvbg.", "invalid JSON"],
    ["W10.eyJhIjoxfQ.", "bad JWT header: decoded JSON type was not an Object"],
    ["eyJhbGciOiJub25lIn0.W10.", "decoded JSON type was not an Object"],
  ])("decode(%s) fails: %s", (token, message) => {
    expect(() => decode(token)).toThrow(`io.jwt.decode: ${message}`);
  });

  test("rejects a non-string", () => {
    expect(() => decode(1)).toThrow("io.jwt.decode: invalid argument(s)");
  });
});

import { decodeContent, firstInvalidUtf8 } from "../../src/manifests/decode.js";

const bytes = (s: string) => new TextEncoder().encode(s);

describe("decodeContent", () => {
  it("decodes UTF-8 and drops a byte-order mark", () => {
    expect(decodeContent(new Uint8Array([0xef, 0xbb, 0xbf, ...bytes("a: é")]))).toEqual({ ok: true, text: "a: é" });
    expect(decodeContent("\uFEFFa: 1")).toEqual({ ok: true, text: "a: 1" });
  });

  it("reports invalid UTF-8 with the line of the first bad byte", () => {
    const r = decodeContent(new Uint8Array([...bytes("a: 1\nb: x"), 0xc3, 0x28, ...bytes("\nc: 2")]));
    expect(r).toMatchObject({ ok: false, kind: "invalid-utf8", line: 2, column: 5 });
    if (!r.ok) expect(r.message).toContain("0xc3");
  });

  it("calls content with a NUL byte in the first 8 KiB binary", () => {
    expect(decodeContent(new Uint8Array([0x61, 0x0a, 0x62, 0x00, 0xff]))).toMatchObject({
      ok: false,
      kind: "binary",
      line: 2,
      column: 2,
    });
    expect(decodeContent("a: 1\u0000")).toMatchObject({ ok: false, kind: "binary" });
  });

  it("does not look for NUL bytes past 8 KiB", () => {
    const big = new Uint8Array(9000).fill(0x61);
    big[8500] = 0;
    expect(decodeContent(big).ok).toBe(true);
  });
});

describe("firstInvalidUtf8", () => {
  it.each([
    ["overlong", [0x61, 0xc0, 0xaf], 1],
    ["surrogate", [0x61, 0x62, 0xed, 0xa0, 0x80], 2],
    ["truncated", [0xe2, 0x82], 0],
    ["above U+10FFFF", [0xf4, 0x90, 0x80, 0x80], 0],
    ["stray continuation", [0x61, 0x80], 1],
  ])("finds %s sequences", (_name, input, at) => {
    expect(firstInvalidUtf8(new Uint8Array(input as number[]))).toBe(at);
  });

  it("accepts valid multi-byte text", () => {
    const b = bytes("é€😀");
    expect(firstInvalidUtf8(b)).toBe(b.length);
  });
});

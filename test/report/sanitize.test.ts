import { escapeControls, jsonSafe, truncateBytes, truncateChars, wellFormed } from "../../src/report/sanitize.js";

describe("sanitize helpers", () => {
  it("truncateBytes never exceeds the bound nor splits a character", () => {
    const s = "a€😀".repeat(50);
    for (let max = 0; max < 40; max++) {
      const t = truncateBytes(s, max);
      expect(Buffer.byteLength(t)).toBeLessThanOrEqual(max);
      expect(t).not.toContain("\uFFFD");
      if (max >= 3) expect(t.endsWith("…")).toBe(true);
    }
    expect(truncateBytes("short", 5)).toBe("short");
    expect(truncateBytes("€€€", 7)).toBe("€…");
  });

  it("truncateChars counts code points", () => {
    expect(truncateChars("😀😀😀", 3)).toBe("😀😀😀");
    expect(truncateChars("😀😀😀😀", 3)).toBe("😀😀…");
  });

  it("wellFormed replaces lone surrogates only", () => {
    expect(wellFormed("a\uD800b\uDC00c😀")).toBe("a\uFFFDb\uFFFDc😀");
  });

  it("escapeControls shows terminal controls and bidi overrides", () => {
    expect(escapeControls("a\u001b[2Jb\tc\nd\u202Ee\u0085")).toBe("a\\x1b[2Jb\tc\nd\\u202ee\\x85");
    expect(escapeControls("a\tb", "")).toBe("a\\x09b");
  });

  it("jsonSafe drops what JSON cannot hold", () => {
    expect(jsonSafe({ a: undefined, b: () => 1, c: [undefined, Infinity], d: 1n })).toEqual({
      c: [null, "Infinity"],
      d: "1",
    });
    let deep: unknown = "leaf";
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(JSON.stringify(jsonSafe(deep))).toContain("[Too deep]");
  });
});

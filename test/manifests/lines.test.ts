import { LineIndex } from "../../src/manifests/lines.js";

describe("LineIndex", () => {
  const text = "ab\ncd\r\n\nlast";
  const idx = new LineIndex(text);

  it("maps offsets to 1-based line and column", () => {
    expect(idx.position(0)).toEqual({ line: 1, column: 1 });
    expect(idx.position(1)).toEqual({ line: 1, column: 2 });
    expect(idx.position(3)).toEqual({ line: 2, column: 1 });
    expect(idx.position(8)).toEqual({ line: 4, column: 1 });
    expect(idx.position(11)).toEqual({ line: 4, column: 4 });
  });

  it("clamps offsets outside the text", () => {
    expect(idx.position(-5)).toEqual({ line: 1, column: 1 });
    expect(idx.position(999)).toEqual({ line: 4, column: 5 });
  });

  it("ends a span before trailing line breaks (CRLF included)", () => {
    // "cd\r\n\n" ends on line 2, one past "d".
    expect(idx.endPosition(3, 8)).toEqual({ line: 2, column: 3 });
  });
});

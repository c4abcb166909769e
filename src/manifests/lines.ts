/**
 * Offset → line/column conversion for one file. The table of line starts is
 * built on first use (most files never need a position) and searched by
 * bisection, so each lookup is O(log lines).
 */
export interface Position {
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units. */
  column: number;
}

export class LineIndex {
  private starts: number[] | undefined;

  constructor(private readonly text: string) {}

  private table(): number[] {
    if (this.starts) return this.starts;
    const starts = [0];
    const text = this.text;
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
    this.starts = starts;
    return starts;
  }

  /** Position of the character at `offset` (clamped to the text). */
  position(offset: number): Position {
    const starts = this.table();
    const off = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= off) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: off - starts[lo] + 1 };
  }

  /**
   * End of the span [start, end): trailing whitespace and line breaks are not
   * part of it, so a block ending with a newline ends on its last line.
   * The column is exclusive (one past the last character), as in SARIF.
   */
  endPosition(start: number, end: number): Position {
    const text = this.text;
    let e = Math.min(end, text.length);
    while (e > start) {
      const c = text.charCodeAt(e - 1);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
      e--;
    }
    return this.position(e);
  }
}

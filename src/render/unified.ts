/**
 * A line diff in unified format (hunks with 3 lines of context), from a longest-common-subsequence table.
 * Rendered objects are small; texts too large for the table are shown as replaced whole.
 */
const CONTEXT = 3;
const MAX_CELLS = 4_000_000;

type Op = { t: " " | "-" | "+"; line: string; a: number; b: number };

export function unifiedDiff(before: string, after: string): string[] {
  const a = lines(before);
  const b = lines(after);
  const ops = a.length * b.length > MAX_CELLS ? replaceAll(a, b) : lcsOps(a, b);
  return hunks(ops);
}

function lines(text: string): string[] {
  if (text === "") return [];
  return text.replace(/\n$/, "").split("\n");
}

function replaceAll(a: string[], b: string[]): Op[] {
  return [
    ...a.map((line, i): Op => ({ t: "-", line, a: i, b: 0 })),
    ...b.map((line, j): Op => ({ t: "+", line, a: a.length, b: j })),
  ];
}

function lcsOps(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  // len[i][j]: LCS length of a[i..] and b[j..], in one flat array.
  const len = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      len[i * (m + 1) + j] =
        a[i] === b[j]
          ? len[(i + 1) * (m + 1) + j + 1] + 1
          : Math.max(len[(i + 1) * (m + 1) + j], len[i * (m + 1) + j + 1]);
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) ops.push({ t: " ", line: a[i], a: i++, b: j++ });
    // Deletions before insertions, as diff(1) prints them.
    else if (i < n && (j === m || len[(i + 1) * (m + 1) + j] >= len[i * (m + 1) + j + 1]))
      ops.push({ t: "-", line: a[i], a: i++, b: j });
    else ops.push({ t: "+", line: b[j], a: i, b: j++ });
  }
  return ops;
}

function hunks(ops: Op[]): string[] {
  const out: string[] = [];
  let k = 0;
  while (k < ops.length) {
    while (k < ops.length && ops[k].t === " ") k++;
    if (k === ops.length) break;
    const start = Math.max(0, k - CONTEXT);
    let end = k;
    // Extend while the next change is within two contexts of the last one.
    for (let last = k; end < ops.length; end++) {
      if (ops[end].t !== " ") last = end;
      else if (end - last > 2 * CONTEXT) break;
    }
    let stop = end;
    while (stop > start && ops[stop - 1].t === " ") stop--;
    stop = Math.min(ops.length, stop + CONTEXT);
    const slice = ops.slice(start, stop);
    const aLen = slice.filter((o) => o.t !== "+").length;
    const bLen = slice.filter((o) => o.t !== "-").length;
    const aStart = aLen ? slice[0].a + 1 : slice[0].a;
    const bStart = bLen ? slice[0].b + 1 : slice[0].b;
    out.push(`@@ -${aStart},${aLen} +${bStart},${bLen} @@`);
    for (const o of slice) out.push(`${o.t}${o.line}`);
    k = stop;
  }
  return out;
}

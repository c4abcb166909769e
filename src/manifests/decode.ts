/**
 * Turning file content into parser-ready text: rejecting binary content and
 * invalid UTF-8 with a located reason, and dropping a leading byte-order mark
 * so that columns on line 1 are the ones an editor shows.
 */

/** How far we look for a NUL byte, as git does to call a file binary. */
const BINARY_SNIFF_BYTES = 8192;

export type Decoded =
  | { ok: true; text: string }
  | { ok: false; kind: "binary" | "invalid-utf8"; line: number; column: number; message: string };

const utf8 = new TextDecoder("utf-8", { fatal: true });

export function byteLength(content: string | Uint8Array): number {
  return typeof content === "string" ? Buffer.byteLength(content, "utf8") : content.byteLength;
}

export function decodeContent(content: string | Uint8Array): Decoded {
  if (typeof content === "string") {
    const nul = content.indexOf("\0");
    if (nul !== -1 && nul < BINARY_SNIFF_BYTES) return binary(content.slice(0, nul));
    return { ok: true, text: stripBom(content) };
  }
  const sniff = content.subarray(0, BINARY_SNIFF_BYTES);
  const nul = sniff.indexOf(0);
  if (nul !== -1) return binary(lenientText(content.subarray(0, nul)));
  let text: string;
  try {
    text = utf8.decode(content);
  } catch {
    const bad = firstInvalidUtf8(content);
    const before = content.subarray(0, bad);
    let line = 1;
    let lineStart = 0;
    for (let i = before.indexOf(0x0a); i !== -1; i = before.indexOf(0x0a, i + 1)) {
      line++;
      lineStart = i + 1;
    }
    const column = bad - lineStart + 1;
    const byte = (content[bad] ?? 0).toString(16).padStart(2, "0");
    return {
      ok: false,
      kind: "invalid-utf8",
      line,
      column,
      message: `file is not valid UTF-8 (byte 0x${byte} at line ${line}, byte ${column} of the line); save it as UTF-8`,
    };
  }
  return { ok: true, text: stripBom(text) };
}

function binary(before: string): Decoded {
  let line = 1;
  let lineStart = 0;
  for (let i = before.indexOf("\n"); i !== -1; i = before.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return {
    ok: false,
    kind: "binary",
    line,
    column: before.length - lineStart + 1,
    message: "file looks binary (it contains a NUL byte), not a YAML or JSON manifest",
  };
}

function lenientText(bytes: Uint8Array): string {
  return new TextDecoder("utf-8").decode(bytes);
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Offset of the first byte that breaks UTF-8 (RFC 3629: no overlongs, no
 * surrogates, nothing above U+10FFFF). Only called once TextDecoder said the
 * content is invalid, so it always finds one.
 */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  const n = b.length;
  while (i < n) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      if (i + k >= n) return i;
      const d = b[i + k];
      const min = k === 1 ? lo : 0x80;
      const max = k === 1 ? hi : 0xbf;
      if (d < min || d > max) return i;
    }
    i += need + 1;
  }
  return n;
}

/**
 * Helpers that make untrusted text (rule messages, file names, metadata from
 * policies) safe to put into reports: valid Unicode, bounded length, no
 * terminal control sequences, JSON-serialisable values.
 */

/** Replaces lone UTF-16 surrogates with U+FFFD: they cannot be encoded in UTF-8 (JSON bodies, XML). */
export function wellFormed(s: string): string {
  // A loop, not a regex with lookbehind: that one is slow on long strings.
  let out: string[] | undefined;
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        continue;
      }
    }
    (out ??= []).push(s.slice(from, i), "\uFFFD");
    from = i + 1;
  }
  return out ? out.join("") + s.slice(from) : s;
}

// C0 controls, DEL, C1 controls, and bidi overrides/isolates ("trojan source").
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/**
 * Shows control characters as `\xNN` / `\uNNNN` escapes so a hostile message
 * cannot move a terminal's cursor, recolour it or reorder what is displayed.
 * Characters in `keep` (by default newline and tab) pass unchanged.
 */
export function escapeControls(s: string, keep = "\n\t"): string {
  return wellFormed(s).replace(CONTROL, (c) => {
    if (keep.includes(c)) return c;
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

/** UTF-8 length in bytes (always ≥ the UTF-16 length, so it bounds both). */
export function utf8Length(s: string): number {
  return Buffer.byteLength(s, "utf8");
}

/**
 * Cuts `s` to at most `maxBytes` bytes of UTF-8, ending with `ellipsis` when
 * cut. Never splits a surrogate pair.
 */
export function truncateBytes(s: string, maxBytes: number, ellipsis = "…"): string {
  if (s.length <= maxBytes / 3 || utf8Length(s) <= maxBytes) return s;
  const budget = maxBytes - utf8Length(ellipsis);
  if (budget <= 0) return budget === 0 ? ellipsis : "";
  const buf = Buffer.from(wellFormed(s), "utf8");
  let end = budget;
  // Back off to the start of a UTF-8 sequence (continuation bytes are 10xxxxxx).
  while (end > 0 && (buf[end] & 0xc0) === 0x80) end--;
  return buf.subarray(0, end).toString("utf8") + ellipsis;
}

/** Cuts `s` to at most `max` code points, ending with `ellipsis` when cut. */
export function truncateChars(s: string, max: number, ellipsis = "…"): string {
  const chars = Array.from(s);
  if (chars.length <= max) return s;
  const keep = Math.max(0, max - Array.from(ellipsis).length);
  return chars.slice(0, keep).join("") + ellipsis;
}

/**
 * A JSON-serialisable copy of `value`: bigints become strings, functions,
 * symbols and undefined disappear, cycles and excessive depth become markers.
 * Policy metadata is JSON in practice; this keeps a bad value from crashing a report.
 */
export function jsonSafe(value: unknown, depth = 0, seen: Set<object> = new Set()): unknown {
  if (value === null) return null;
  switch (typeof value) {
    case "string":
      return wellFormed(value);
    case "number":
      return Number.isFinite(value) ? value : String(value);
    case "boolean":
      return value;
    case "bigint":
      return value.toString();
    case "object":
      break;
    default:
      return undefined;
  }
  const obj = value as object;
  if (seen.has(obj)) return "[Circular]";
  if (depth >= 32) return "[Too deep]";
  seen.add(obj);
  try {
    if (Array.isArray(obj)) return obj.map((v) => jsonSafe(v, depth + 1, seen) ?? null);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) {
      const safe = jsonSafe(v, depth + 1, seen);
      if (safe !== undefined) out[wellFormed(k)] = safe;
    }
    return out;
  } finally {
    seen.delete(obj);
  }
}

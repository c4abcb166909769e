/**
 * Manual freezes are OPEN issues labelled `stagegate:freeze:<env>` that this
 * app opened (`/gate freeze`). The issue body carries a machine-readable
 * marker with who froze and why.
 */

export const FREEZE_LABEL = (environment: string): string => `stagegate:freeze:${environment}`;

export interface FreezeMarker {
  environment: string;
  by: string;
  reason: string;
}

const MARKER = /<!-- stagegate:freeze (\{[^]*?\}) -->/;

/** The HTML comment to put in a freeze issue's body. */
export function freezeMarker(m: FreezeMarker): string {
  // `--` cannot appear inside an HTML comment; \u002d keeps the JSON equal
  const json = JSON.stringify({ environment: m.environment, by: m.by, reason: m.reason })
    .replace(/-(?=-)/g, "\\u002d")
    .replace(/>/g, "\\u003e");
  return `<!-- stagegate:freeze ${json} -->`;
}

/** The marker of a freeze issue's body; null when absent or malformed. */
export function parseFreezeMarker(body: string | null | undefined): FreezeMarker | null {
  if (typeof body !== "string") return null;
  const m = MARKER.exec(body.length > 65536 ? body.slice(0, 65536) : body);
  if (!m) return null;
  try {
    const v = JSON.parse(m[1]) as Record<string, unknown>;
    if (typeof v.environment !== "string" || typeof v.by !== "string" || typeof v.reason !== "string") return null;
    return { environment: v.environment, by: v.by, reason: v.reason };
  } catch {
    return null;
  }
}

import { wellFormed } from "./sanitize.js";

// Characters XML 1.0 cannot carry at all, not even as character references.
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

function visible(s: string): string {
  return wellFormed(s).replace(XML_INVALID, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Escapes element content; characters XML forbids are shown as `\uNNNN`. */
export function xmlText(s: string): string {
  return visible(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * Escapes a double-quoted attribute value; keeps newlines and tabs (as references, so parsers do not normalise them
 * away).
 */
export function xmlAttr(s: string): string {
  return xmlText(s)
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;")
    .replace(/\n/g, "&#10;")
    .replace(/\r/g, "&#13;")
    .replace(/\t/g, "&#9;");
}

import { escapeControls } from "./sanitize.js";

/**
 * Escapes untrusted text for inline Markdown (GitHub-flavoured), e.g. a table
 * cell: no formatting, links, HTML, math or column breaks get through, and
 * newlines become `<br>` so a cell stays on its row.
 */
export function escapeMarkdownInline(s: string): string {
  return escapeControls(s, "\n")
    .replace(/[\\`*_~[\]|#!$]/g, (c) => `\\${c}`)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\n/g, "<br>");
}

/** A fenced code block that the content cannot close: the fence is longer than any backtick run inside. */
export function codeBlock(content: string, lang = ""): string {
  const text = escapeControls(content, "\n\t");
  let longest = 0;
  for (const m of text.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}${lang}\n${text}\n${fence}`;
}

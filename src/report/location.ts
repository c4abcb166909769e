import type { SourceLocation } from "../types.js";

/** A validated region: every number is a positive integer, ends never precede starts. */
export interface Region {
  startLine: number;
  startColumn?: number;
  endLine?: number;
  endColumn?: number;
}

/** `n` when it is a usable 1-based position, else undefined (0, negatives, NaN, fractions). */
export function positive(n: unknown): number | undefined {
  return typeof n === "number" && Number.isInteger(n) && n >= 1 ? n : undefined;
}

/** Repository-relative path with `/` separators and no leading `./`. */
export function normalizePath(file: string): string {
  let p = String(file ?? "").replace(/\\/g, "/");
  while (p.startsWith("./")) p = p.slice(2);
  return p;
}

/**
 * The region of a location, or undefined when its line is unknown. Parts that
 * are unknown or inconsistent (an end before the start) are left out rather
 * than guessed.
 */
export function regionOf(loc: SourceLocation): Region | undefined {
  const startLine = positive(loc.line);
  if (startLine === undefined) return undefined;
  const region: Region = { startLine };
  const startColumn = positive(loc.column);
  if (startColumn !== undefined) region.startColumn = startColumn;
  const endLine = positive(loc.endLine);
  if (endLine !== undefined && endLine >= startLine) {
    region.endLine = endLine;
    const endColumn = positive(loc.endColumn);
    const sameLine = endLine === startLine;
    if (endColumn !== undefined && !(sameLine && startColumn !== undefined && endColumn < startColumn)) {
      region.endColumn = endColumn;
    }
  }
  return region;
}

/** `file:line:column` with the parts that are known, as compilers print it. */
export function formatLocation(loc: SourceLocation): string {
  const file = normalizePath(loc.file) || "(unknown file)";
  const region = regionOf(loc);
  if (!region) return file;
  return region.startColumn !== undefined
    ? `${file}:${region.startLine}:${region.startColumn}`
    : `${file}:${region.startLine}`;
}

/** English plural: `plural(2, "failure")` → "2 failures". */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

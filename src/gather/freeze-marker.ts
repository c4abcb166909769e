/**
 * A manual freeze (`/gate freeze`) is an OPEN issue this app opened, whose
 * freeze RECORD is a comment the app posted on it: a fixed heading and a
 * machine-readable marker (who froze, which environment, why) as its last
 * line. Only the app can write such a comment; an edited one is not trusted.
 * The issue body carries the same marker for people (and for issues opened
 * before records existed), but a body anyone with write access can edit is
 * never what decides which environment is frozen. Labels are for display.
 */

import type { EnvironmentConfig } from "../config/types.js";
import { describePrincipals } from "../gate/authorize.js";

export const FREEZE_LABEL_PREFIX = "stagegate:freeze:";
export const FREEZE_LABEL = (environment: string): string => `${FREEZE_LABEL_PREFIX}${environment}`;

/** The environment a freeze label names, or undefined. */
export function labelEnvironment(label: string): string | undefined {
  return label.startsWith(FREEZE_LABEL_PREFIX) && label.length > FREEZE_LABEL_PREFIX.length
    ? label.slice(FREEZE_LABEL_PREFIX.length)
    : undefined;
}

export interface FreezeMarker {
  environment: string;
  by: string;
  reason: string;
}

const MARKER = /<!-- stagegate:freeze (\{[^]*?\}) -->/;

/** The HTML comment to put in a freeze issue's body or record. */
export function freezeMarker(m: FreezeMarker): string {
  // `--` cannot appear inside an HTML comment; \u002d keeps the JSON equal
  const json = JSON.stringify({ environment: m.environment, by: m.by, reason: m.reason })
    .replace(/-(?=-)/g, "\\u002d")
    .replace(/</g, "\\u003c")
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
    if (v.environment === "") return null;
    return { environment: v.environment, by: v.by, reason: v.reason };
  } catch {
    return null;
  }
}

/** What lifts a freeze of env, and who may: said on every record and every restored freeze. */
export function liftHint(env: EnvironmentConfig, prefix: string): string {
  const who = describePrincipals(env.freeze.allowed) || "nobody (`freeze.allowed` is empty)";
  return `close this issue or comment \`${prefix} unfreeze ${env.name}\` on a pull request (allowed: ${who}).`;
}

/** How every freeze record the app writes begins. */
export const FREEZE_RECORD_PREFIX = "**Freeze record:** `";

/** The record comment `/gate freeze` posts on its issue (and the app re-posts when one is edited or deleted). */
export function freezeRecord(m: FreezeMarker, lift: string): string {
  const shown = m.reason.replace(/\s+/g, " ").trim().replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return (
    `${FREEZE_RECORD_PREFIX}${m.environment}\` frozen by @${m.by}: ${shown}\n\n` +
    `This comment is the freeze. Editing or deleting it, or this issue's text or labels, does not lift it: ` +
    `${lift}\n\n` +
    freezeMarker(m)
  );
}

/**
 * The freeze recorded by one comment body, or undefined: it starts with the
 * record's heading, holds exactly one marker, and that marker is its last
 * line, so text echoed elsewhere can never pass for a record.
 */
export function freezeRecordOf(body: string): FreezeMarker | undefined {
  if (!body.startsWith(FREEZE_RECORD_PREFIX)) return undefined;
  if (body.split("<!-- stagegate:freeze").length !== 2) return undefined;
  const lastLine = body.trimEnd().split("\n").pop() ?? "";
  if (!lastLine.startsWith("<!-- stagegate:freeze ") || !lastLine.endsWith(" -->")) return undefined;
  return parseFreezeMarker(lastLine) ?? undefined;
}

/**
 * Manual freezes are open issues, labelled per environment, opened by the app.
 * Label and marker must match what src/github/facts.ts reads; this shim holds
 * them until that module lands, then re-exports its helpers instead.
 */
export const FREEZE_LABEL = (env: string) => `stagegate:freeze:${env}`;

export interface FreezeMark {
  environment: string;
  by: string;
  reason: string;
}

export function freezeMarker(mark: FreezeMark): string {
  const json = JSON.stringify(mark).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/--/g, "-\\u002d");
  return `<!-- stagegate:freeze ${json} -->`;
}

export function parseFreezeMarker(body: string): FreezeMark | undefined {
  const m = /<!-- stagegate:freeze (\{[^\n]*?\}) -->/.exec(body);
  if (!m) return undefined;
  try {
    const v = JSON.parse(m[1]) as Record<string, unknown>;
    if (typeof v.environment !== "string" || typeof v.by !== "string" || typeof v.reason !== "string") return undefined;
    return { environment: v.environment, by: v.by, reason: v.reason };
  } catch {
    return undefined;
  }
}

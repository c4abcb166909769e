import type { Principals } from "./types.js";

/**
 * The typed view of `environments.<name>.gates` after validation and
 * defaults. EnvironmentConfig keeps `gates` as a plain record so the config
 * contract can grow; read it through `gatesOf` to get these types.
 */
export interface GatesConfig {
  approvals?: { count: number; from: Principals; current_head_only: boolean };
  signed_commits?: boolean;
  labels?: { required: string[]; forbidden: string[] };
  /** Check runs or statuses that must have succeeded on the promoted content in `promote_from`. */
  verified_by?: VerifiedByEntry[];
  /** Duration such as "1h" the change must have lived in `promote_from`. */
  soak?: string;
  promotion?: {
    mode?: "commits" | "content";
    path_map?: { from: string; to: string };
    ignore_fields: string[];
  };
  /** Rego namespaces evaluated against the pull request's facts. */
  policies?: string[];
}

/**
 * A `verified_by` entry: a check run name or status context, either trusted
 * from any source (a plain string: anyone who can post a status or create a
 * check run can satisfy it) or bound to the check runs of one GitHub App
 * (`app`: its slug) and/or the statuses of one account (`creator`: a login).
 */
export type VerifiedByEntry = string | { context: string; app?: string; creator?: string };

/** A `verified_by` entry with its sources spelled out; null app and creator: any source. */
export interface VerificationSource {
  context: string;
  app: string | null;
  creator: string | null;
}

export function verificationSources(gates: GatesConfig): VerificationSource[] {
  return (gates.verified_by ?? []).map((e) =>
    typeof e === "string"
      ? { context: e, app: null, creator: null }
      : { context: e.context, app: e.app ?? null, creator: e.creator ?? null },
  );
}

/** The gates of an environment, typed (the schema guarantees the shape). */
export function gatesOf(env: { gates: Record<string, unknown> }): GatesConfig {
  return env.gates as GatesConfig;
}

/** Parses a duration such as "1h", "2h30m" or "1d" into milliseconds; undefined when malformed. */
export function durationMs(text: string): number | undefined {
  const m = /^(?=\d)(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text);
  if (!m) return undefined;
  const [d, h, min, s] = m.slice(1).map((x) => Number(x ?? 0));
  return (((d * 24 + h) * 60 + min) * 60 + s) * 1000;
}

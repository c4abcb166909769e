import type { BuiltinImpl } from "./types.js";
/**
 * semver.is_valid and semver.compare: SemVer 2.0.0 precedence (prerelease
 * identifiers compared numerically or lexically, build metadata ignored).
 * Like OPA, a leading "v" is accepted and numeric parts must fit in uint64.
 */
import { BuiltinError, invalidArgs } from "./errors.js";

export interface SemVer {
  major: bigint;
  minor: bigint;
  patch: bigint;
  prerelease: string[];
}

const NUM = "(0|[1-9]\\d*)";
const IDENT = "(?:0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*)";
const SEMVER_RE = new RegExp(
  `^v?${NUM}\\.${NUM}\\.${NUM}(?:-(${IDENT}(?:\\.${IDENT})*))?(?:\\+([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?$`,
);
const UINT64_MAX = (1n << 64n) - 1n;

export function parseSemVer(s: string): SemVer | undefined {
  const m = SEMVER_RE.exec(s);
  if (!m) return undefined;
  const [major, minor, patch] = [m[1], m[2], m[3]].map((x) => BigInt(x));
  if (major > UINT64_MAX || minor > UINT64_MAX || patch > UINT64_MAX) return undefined;
  return { major, minor, patch, prerelease: m[4] ? m[4].split(".") : [] };
}

function cmp<T>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareIdent(a: string, b: string): number {
  const an = /^\d+$/.test(a);
  const bn = /^\d+$/.test(b);
  if (an && bn) return cmp(BigInt(a), BigInt(b));
  if (an) return -1; // numeric identifiers sort before alphanumeric ones
  if (bn) return 1;
  return cmp(a, b); // ASCII only, so UTF-16 order is byte order
}

export function compareSemVer(a: SemVer, b: SemVer): number {
  const core = cmp(a.major, b.major) || cmp(a.minor, b.minor) || cmp(a.patch, b.patch);
  if (core !== 0) return core;
  const pa = a.prerelease;
  const pb = b.prerelease;
  // A release ranks above any of its prereleases.
  if (pa.length === 0 && pb.length === 0) return 0;
  if (pa.length === 0) return 1;
  if (pb.length === 0) return -1;
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const c = compareIdent(pa[i], pb[i]);
    if (c !== 0) return c;
  }
  return cmp(pa.length, pb.length);
}

export function semverBuiltins(): Record<string, BuiltinImpl> {
  return {
    // Any non-string is simply not a valid version (OPA returns false, not an error).
    "semver.is_valid": (v: unknown) => typeof v === "string" && parseSemVer(v) !== undefined,
    "semver.compare": (a: unknown, b: unknown) => {
      const name = "semver.compare";
      if (typeof a !== "string" || typeof b !== "string") throw invalidArgs(name);
      const va = parseSemVer(a);
      if (!va) throw new BuiltinError(name, `operand 1: string ${JSON.stringify(a)} is not a valid SemVer`);
      const vb = parseSemVer(b);
      if (!vb) throw new BuiltinError(name, `operand 2: string ${JSON.stringify(b)} is not a valid SemVer`);
      return compareSemVer(va, vb);
    },
  };
}

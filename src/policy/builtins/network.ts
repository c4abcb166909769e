import type { BuiltinImpl } from "./types.js";
/** Network-address builtins that need no network: CIDR syntax checks. */
import { isIP } from "node:net";
import { stringArg } from "./errors.js";

/** Go's net.ParseCIDR: an IPv4 or IPv6 address (no zone, no leading zeros in IPv4) and a prefix length. */
export function parseCidr(s: string): { ip: string; version: 4 | 6; bits: number } | undefined {
  const slash = s.indexOf("/");
  if (slash === -1) return undefined;
  const ip = s.slice(0, slash);
  const mask = s.slice(slash + 1);
  const version = ip.includes("%") ? 0 : isIP(ip);
  if (version !== 4 && version !== 6) return undefined;
  if (!/^\d+$/.test(mask)) return undefined;
  const bits = Number(mask);
  if (bits > (version === 4 ? 32 : 128)) return undefined;
  return { ip, version, bits };
}

export function networkBuiltins(): Record<string, BuiltinImpl> {
  return {
    "net.cidr_is_valid": (s: unknown) => parseCidr(stringArg("net.cidr_is_valid", s)) !== undefined,
  };
}

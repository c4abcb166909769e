import type { BuiltinImpl } from "./types.js";
/** Network-address builtins that need no network: CIDR syntax and containment. */
import { BuiltinError, invalidArgs, stringArg } from "./errors.js";

// node:net on first use: every run loads the builtins table, few policies call net.*, and the module costs a small
// run a few milliseconds.
const isIP = (s: string): number => process.getBuiltinModule("node:net").isIP(s);

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

/** The address's bytes: 4 for IPv4, 16 for IPv6 (an address isIP accepted). */
function ipBytes(ip: string): number[] {
  if (isIP(ip) === 4) return ip.split(".").map(Number);
  let text = ip;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  let tail: number[] = [];
  if (v4) {
    tail = v4[1].split(".").map(Number);
    text = text.slice(0, -v4[1].length);
    if (!text.endsWith("::")) text = text.slice(0, -1);
  }
  const [head, rest] = text.split("::");
  const groups = (s: string | undefined) => (s ? s.split(":").filter((g) => g !== "") : []);
  const h = groups(head);
  const r = groups(rest);
  const fill = 8 - tail.length / 2 - h.length - r.length;
  const words = [...h, ...Array<string>(rest === undefined ? 0 : fill).fill("0"), ...r].map((g) => parseInt(g, 16));
  return [...words.flatMap((w) => [w >> 8, w & 0xff]), ...tail];
}

/** Go's To4: an IPv4-mapped IPv6 address counts as IPv4. */
function to4(bytes: number[]): number[] {
  const mapped = bytes.length === 16 && bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 255;
  return mapped && bytes[11] === 255 ? bytes.slice(12) : bytes;
}

interface Net {
  bytes: number[];
  bits: number;
}

function inNet(net: Net, addr: Net): boolean {
  const ip = net.bytes.length === 4 ? to4(addr.bytes) : addr.bytes;
  if (ip.length !== net.bytes.length || addr.bits < net.bits) return false;
  for (let i = 0; i < net.bits; i++) {
    const bit = (b: number[]) => (b[i >> 3] >> (7 - (i & 7))) & 1;
    if (bit(ip) !== bit(net.bytes)) return false;
  }
  return true;
}

const NAME = "net.cidr_contains_matches";

/** (key, text) pairs of a string, an array or an object; an array element may be [text, …]. */
function entries(arg: unknown, operand: number): Array<[unknown, string]> {
  const text = (v: unknown): string => {
    if (typeof v === "string") return v;
    if (Array.isArray(v)) {
      if (v.length === 0) throw new BuiltinError(NAME, `operand ${operand}: element must be string or non-empty array`);
      return text(v[0]);
    }
    throw invalidArgs(NAME);
  };
  if (typeof arg === "string") return [[arg, arg]];
  if (Array.isArray(arg)) return arg.map((v, i) => [i, text(v)]);
  if (arg !== null && typeof arg === "object") return Object.entries(arg).map(([k, v]) => [k, text(v)]);
  throw invalidArgs(NAME);
}

function containsMatches(cidrs: unknown, addrs: unknown): unknown[][] {
  const nets = entries(cidrs, 1).map(([k, s]): [unknown, Net] => {
    const c = parseCidr(s);
    if (!c) throw new BuiltinError(NAME, `invalid CIDR address: ${s}`);
    return [k, { bytes: ipBytes(c.ip), bits: c.bits }];
  });
  const targets = entries(addrs, 2).map(([k, s]): [unknown, Net] => {
    const c = parseCidr(s);
    const version = c ? c.version : isIP(s) && !s.includes("%") ? isIP(s) : 0;
    if (!version) throw new BuiltinError(NAME, `not a valid textual representation of an IP address or CIDR: ${s}`);
    const bytes = ipBytes(c ? c.ip : s);
    return [k, { bytes, bits: c ? c.bits : bytes.length * 8 }];
  });
  const out: unknown[][] = [];
  for (const [nk, net] of nets) for (const [ak, addr] of targets) if (inNet(net, addr)) out.push([nk, ak]);
  // OPA returns a set: sorted, numbers before strings.
  const cmp = (a: unknown, b: unknown): number =>
    typeof a === typeof b ? (a! < b! ? -1 : a! > b! ? 1 : 0) : typeof a === "number" ? -1 : 1;
  return out.sort((a, b) => cmp(a[0], b[0]) || cmp(a[1], b[1]));
}

// Bounds the array a policy can ask the host to build (OPA has no bound and would run out of memory on a /0).
const MAX_EXPAND = 65_536;

/** Go's IP.String: dotted IPv4 (also for IPv4-mapped IPv6), else IPv6 with the longest zero run as "::". */
function ipText(bytes: number[]): string {
  const v4 = to4(bytes);
  if (v4.length === 4) return v4.join(".");
  const words = Array.from({ length: 8 }, (_, i) => (bytes[2 * i] << 8) | bytes[2 * i + 1]);
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
  }
  const hex = (ws: number[]) => ws.map((w) => w.toString(16)).join(":");
  if (best === -1) return hex(words);
  return `${hex(words.slice(0, best))}::${hex(words.slice(best + bestLen))}`;
}

function cidrExpand(arg: unknown): string[] {
  const name = "net.cidr_expand";
  const s = stringArg(name, arg);
  const c = parseCidr(s);
  if (!c) throw new BuiltinError(name, `invalid CIDR address: ${s}`);
  const bytes = ipBytes(c.ip);
  const width = bytes.length * 8;
  const hostBits = width - c.bits;
  if (hostBits > 16) throw new BuiltinError(name, `${s} has more than ${MAX_EXPAND} addresses`);
  const base = bytes.reduce((n, b) => (n << 8n) | BigInt(b), 0n) & ~((1n << BigInt(hostBits)) - 1n);
  const out: string[] = [];
  for (let i = 0n; i < 1n << BigInt(hostBits); i++) {
    const n = base + i;
    out.push(
      ipText(Array.from({ length: bytes.length }, (_, k) => Number((n >> BigInt(8 * (bytes.length - 1 - k))) & 255n))),
    );
  }
  // A set in OPA: sorted as strings.
  return out.sort();
}

export function networkBuiltins(): Record<string, BuiltinImpl> {
  return {
    "net.cidr_is_valid": (s: unknown) => parseCidr(stringArg("net.cidr_is_valid", s)) !== undefined,
    [NAME]: containsMatches,
    "net.cidr_expand": cidrExpand,
  };
}

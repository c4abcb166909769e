import type { BuiltinImpl } from "./types.js";
/**
 * Hashing and encoding builtins missing from the wasm target. Strings are
 * hashed as UTF-8, results are lower-case hex, as in OPA.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { BuiltinError, stringArg } from "./errors.js";

const hash = (name: string, algo: string) => (s: unknown) =>
  createHash(algo).update(stringArg(name, s), "utf8").digest("hex");

const hmac = (name: string, algo: string) => (x: unknown, key: unknown) =>
  createHmac(algo, stringArg(name, key)).update(stringArg(name, x), "utf8").digest("hex");

function hmacEqual(a: unknown, b: unknown): boolean {
  const x = Buffer.from(stringArg("crypto.hmac.equal", a), "utf8");
  const y = Buffer.from(stringArg("crypto.hmac.equal", b), "utf8");
  // Constant time for equal lengths, like Go's hmac.Equal.
  return x.length === y.length && timingSafeEqual(x, y);
}

function hexDecode(s: unknown): string {
  const text = stringArg("hex.decode", s);
  const bad = /[^0-9a-fA-F]/.exec(text);
  if (bad) {
    const cp = bad[0].codePointAt(0)!;
    const hexCp = cp.toString(16).toUpperCase().padStart(4, "0");
    throw new BuiltinError(
      "hex.decode",
      `encoding/hex: invalid byte: U+${hexCp} ${JSON.stringify(bad[0]).replace(/^"|"$/g, "'")}`,
    );
  }
  if (text.length % 2 !== 0) throw new BuiltinError("hex.decode", "encoding/hex: odd length hex string");
  return Buffer.from(text, "hex").toString("utf8");
}

export function cryptoBuiltins(): Record<string, BuiltinImpl> {
  return {
    "crypto.sha256": hash("crypto.sha256", "sha256"),
    "crypto.sha1": hash("crypto.sha1", "sha1"),
    "crypto.md5": hash("crypto.md5", "md5"),
    "crypto.hmac.md5": hmac("crypto.hmac.md5", "md5"),
    "crypto.hmac.sha1": hmac("crypto.hmac.sha1", "sha1"),
    "crypto.hmac.sha256": hmac("crypto.hmac.sha256", "sha256"),
    "crypto.hmac.sha512": hmac("crypto.hmac.sha512", "sha512"),
    "crypto.hmac.equal": hmacEqual,
    "hex.encode": (s: unknown) => Buffer.from(stringArg("hex.encode", s), "utf8").toString("hex"),
    "hex.decode": hexDecode,
    "base64url.encode_no_pad": (s: unknown) =>
      Buffer.from(stringArg("base64url.encode_no_pad", s), "utf8").toString("base64url"),
  };
}

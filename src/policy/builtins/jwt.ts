import type { BuiltinImpl } from "./types.js";
/**
 * io.jwt.decode: a JWS split into header, payload and hex signature, without
 * verifying anything (as in OPA). Verification builtins stay unsupported.
 */
import { BuiltinError, stringArg } from "./errors.js";

const NAME = "io.jwt.decode";

/** Go's base64.URLEncoding after OPA pads the segment; errors worded as OPA's. */
function base64url(part: string, segment: string): Buffer {
  const fail = (reason: string) => new BuiltinError(NAME, `JWT ${segment} had invalid encoding: ${reason}`);
  const body = part.replace(/=+$/, "");
  if (body.length % 4 === 1) throw fail(`illegal base64url string: ${part}`);
  const bad = /[^A-Za-z0-9_-]/.exec(body);
  if (bad) throw fail(`illegal base64 data at input byte ${bad.index}`);
  return Buffer.from(body, "base64url");
}

/** Go's encoding/json message for the first syntax error, as far as JSON.parse lets us tell. */
function parseObject(bytes: Buffer, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString("utf8"));
  } catch {
    throw new BuiltinError(NAME, "invalid JSON");
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new BuiltinError(NAME, `${what}decoded JSON type was not an Object`);
  }
  return value as Record<string, unknown>;
}

function decode(token: unknown): [Record<string, unknown>, Record<string, unknown>, string] {
  const jwt = stringArg(NAME, token);
  if (!jwt.includes(".")) throw new BuiltinError(NAME, "encoded JWT had no period separators");
  const parts = jwt.split(".");
  if (parts.length !== 3) throw new BuiltinError(NAME, `encoded JWT must have 3 sections, found ${parts.length}`);
  const header = parseObject(base64url(parts[0], "header"), "bad JWT header: ");
  const payloadBytes = base64url(parts[1], "payload");
  const signature = base64url(parts[2], "signature").toString("hex");
  // A nested token (cty JWT) carries another JWT as its payload; OPA returns the inner one's parts.
  if (typeof header.cty === "string" && header.cty.toUpperCase() === "JWT") return decode(payloadBytes.toString());
  return [header, parseObject(payloadBytes, ""), signature];
}

export function jwtBuiltins(): Record<string, BuiltinImpl> {
  return { [NAME]: decode };
}

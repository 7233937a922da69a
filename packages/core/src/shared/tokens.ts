import { createHmac, timingSafeEqual } from "node:crypto";

/** Token types and how long each lives (DESIGN.md, "Tokens"). */
export const TOKEN_LIFETIMES = {
  confirm: 7 * 24 * 3600,
  manage: 365 * 24 * 3600,
  "data-rights": 3600,
} as const;

export type TokenType = keyof typeof TOKEN_LIFETIMES;

export interface TokenClaims {
  type: TokenType;
  /** Subscriber id. */
  sub: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

export type TokenCheck =
  | { ok: true; claims: TokenClaims }
  | { ok: false; reason: "malformed" | "bad_signature" | "wrong_type" | "expired" };

const b64 = (buf: Buffer | string) => Buffer.from(buf).toString("base64url");
const mac = (key: string, payload: string) => createHmac("sha256", key).update(payload).digest();

/**
 * Issues a signed token `<payload>.<signature>` (both base64url). The payload is
 * `{ t: type, s: subscriber, e: expiry }`; the signature is HMAC-SHA256 under the newest key.
 */
export function issueToken(keys: string[], type: TokenType, subscriberId: string, nowMs: number): string {
  const [current] = keys;
  if (!current) throw new Error("No token key configured");
  const exp = Math.floor(nowMs / 1000) + TOKEN_LIFETIMES[type];
  const payload = b64(JSON.stringify({ t: type, s: subscriberId, e: exp }));
  return `${payload}.${b64(mac(current, payload))}`;
}

/**
 * Verifies a token against every configured key (the current one and those still in their rotation
 * grace period), then checks its type and expiry. Never throws on hostile input.
 */
export function verifyToken(keys: string[], expected: TokenType, token: string | undefined | null, nowMs: number): TokenCheck {
  if (typeof token !== "string" || token.length > 1024) return { ok: false, reason: "malformed" };
  const parts = token.split(".");
  if (parts.length !== 2 || !parts[0] || !parts[1]) return { ok: false, reason: "malformed" };
  const [payload, signature] = parts as [string, string];
  const given = Buffer.from(signature, "base64url");
  const valid = keys.some((key) => {
    const want = mac(key, payload);
    return want.length === given.length && timingSafeEqual(want, given);
  });
  if (!valid) return { ok: false, reason: "bad_signature" };
  let claims: { t?: unknown; s?: unknown; e?: unknown };
  try {
    claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return { ok: false, reason: "malformed" };
  }
  if (typeof claims !== "object" || claims === null || typeof claims.s !== "string" || typeof claims.e !== "number" || typeof claims.t !== "string") {
    return { ok: false, reason: "malformed" };
  }
  if (claims.t !== expected) return { ok: false, reason: "wrong_type" };
  if (claims.e * 1000 <= nowMs) return { ok: false, reason: "expired" };
  return { ok: true, claims: { type: expected, sub: claims.s, exp: claims.e } };
}

/** Replaces token values in a string (URLs, log lines) with `[redacted]`. */
export function redactTokens(text: string): string {
  return text.replace(/([?&]token=)[^&\s"']+/g, "$1[redacted]").replace(/[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,}/g, "[redacted]");
}

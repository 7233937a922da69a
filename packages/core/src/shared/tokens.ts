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
  /** What a data-rights link is for: the one action it allows. */
  action?: DataRightsAction;
  /** The link's own id, under which its uses are counted (data-rights links). */
  id?: string;
}

/** The actions a data-rights link is issued for, one each. */
export type DataRightsAction = "export" | "erase";

/** Claims bound into a token besides its type, subject and expiry. */
export interface TokenBinding {
  action?: DataRightsAction;
  id?: string;
}

export type TokenCheck =
  | { ok: true; claims: TokenClaims }
  | { ok: false; reason: "malformed" | "bad_signature" | "wrong_type" | "expired" };

const b64 = (buf: Buffer | string) => Buffer.from(buf).toString("base64url");
const mac = (key: string, payload: string) => createHmac("sha256", key).update(payload).digest();

/**
 * Issues a signed token `<payload>.<signature>` (both base64url). The payload is
 * `{ t: type, s: subscriber, e: expiry }`, plus `a: action` and `j: link id` where bound (data-rights
 * links name the one action they allow and carry an id their uses are counted under); the signature
 * is HMAC-SHA256 under the newest key.
 */
export function issueToken(keys: string[], type: TokenType, subscriberId: string, nowMs: number, binding: TokenBinding = {}): string {
  const [current] = keys;
  if (!current) throw new Error("No token key configured");
  const exp = Math.floor(nowMs / 1000) + TOKEN_LIFETIMES[type];
  const payload = b64(JSON.stringify({ t: type, s: subscriberId, e: exp, ...(binding.action ? { a: binding.action } : {}), ...(binding.id ? { j: binding.id } : {}) }));
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
  let claims: { t?: unknown; s?: unknown; e?: unknown; a?: unknown; j?: unknown };
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
  const action = claims.a === "export" || claims.a === "erase" ? claims.a : undefined;
  const id = typeof claims.j === "string" && claims.j.length <= 64 ? claims.j : undefined;
  return { ok: true, claims: { type: expected, sub: claims.s, exp: claims.e, ...(action ? { action } : {}), ...(id ? { id } : {}) } };
}

/** Replaces token values in a string (URLs, log lines) with `[redacted]`. */
export function redactTokens(text: string): string {
  return text.replace(/([?&]token=)[^&\s"']+/g, "$1[redacted]").replace(/[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,}/g, "[redacted]");
}

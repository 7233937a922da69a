import { createHash, generateKeyPairSync, randomUUID } from "node:crypto";
import { SignJWT, importJWK, type JWK } from "jose";

/**
 * The local stand-in for Cognito: an ES256 key pair made once per data folder (kept with the other
 * local secrets) that signs staff tokens shaped like Cognito's access tokens, plus the address.
 * The handlers get only the public key.
 */

/** The `iss` of local staff tokens. */
export const LOCAL_STAFF_ISSUER = "urn:mission-mail:local-staff-issuer";
/** The `client_id` of local staff tokens: the local staff console. */
export const LOCAL_STAFF_CLIENT_ID = "mission-mail-local-console";
/** Default lifetime of a local staff token, in seconds: a working day. */
export const DEFAULT_STAFF_TOKEN_SECONDS = 8 * 3600;
/** Longest lifetime a staff token may have; the verifier refuses older tokens anyway. */
export const MAX_STAFF_TOKEN_SECONDS = 24 * 3600;

type EcJwk = { kty: "EC"; crv: string; x: string; y: string; d?: string; kid?: string; alg?: string; use?: string };

/** RFC 7638 thumbprint of an EC public key: the key id. */
const thumbprint = (jwk: EcJwk) => createHash("sha256").update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y })).digest("base64url");

/** A new ES256 signing key, as the private JWK's JSON (what `.data/local-secrets.json` keeps). */
export function generateStaffSigningKey(): string {
  const jwk = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "jwk" }) as EcJwk;
  return JSON.stringify({ kty: "EC", crv: jwk.crv, x: jwk.x, y: jwk.y, d: jwk.d, kid: thumbprint(jwk), alg: "ES256", use: "sig" });
}

function parseKey(signingKey: string): EcJwk {
  let jwk: EcJwk;
  try {
    jwk = JSON.parse(signingKey) as EcJwk;
  } catch {
    throw new Error("The local staff signing key is not a JWK (JSON).");
  }
  if (jwk.kty !== "EC" || jwk.crv !== "P-256" || !jwk.x || !jwk.y) throw new Error("The local staff signing key is not an ES256 (P-256) JWK.");
  return jwk;
}

/** The public half of the signing key, as JWK JSON: what the handlers verify with. */
export function publicStaffKey(signingKey: string): string {
  const jwk = parseKey(signingKey);
  return JSON.stringify({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, kid: jwk.kid ?? thumbprint(jwk), alg: "ES256", use: "sig" });
}

/** The subject a local identity gets: stable per address, like a Cognito user's `sub`. */
export const localStaffSub = (email: string) => `local-${createHash("sha256").update(email.trim().toLowerCase()).digest("hex").slice(0, 24)}`;

export interface StaffTokenRequest {
  email: string;
  groups: string[];
  /** Defaults to a subject derived from the address. */
  sub?: string;
  lifetimeSeconds?: number;
  /** Epoch ms; defaults to now. */
  now?: number;
}

/** The groups a local token gets for a role: `staff`, or `publisher` (in both groups, as publisher accounts usually are). */
export const groupsForRole = (role: "staff" | "publisher"): string[] => (role === "publisher" ? ["staff", "publisher"] : ["staff"]);

/** Signs a staff token for any identity and groups with the local issuer's key. */
export async function signStaffToken(signingKey: string, request: StaffTokenRequest): Promise<string> {
  const jwk = parseKey(signingKey);
  if (!jwk.d) throw new Error("The local staff signing key has no private part.");
  const lifetime = request.lifetimeSeconds ?? DEFAULT_STAFF_TOKEN_SECONDS;
  if (!Number.isInteger(lifetime) || lifetime < 1 || lifetime > MAX_STAFF_TOKEN_SECONDS) throw new Error(`A staff token lives from 1 second to ${MAX_STAFF_TOKEN_SECONDS / 3600} hours.`);
  const now = Math.floor((request.now ?? Date.now()) / 1000);
  const key = await importJWK(jwk as JWK, "ES256");
  return new SignJWT({
    token_use: "access",
    client_id: LOCAL_STAFF_CLIENT_ID,
    scope: "openid email profile",
    email: request.email,
    "cognito:groups": request.groups,
  })
    .setProtectedHeader({ alg: "ES256", kid: jwk.kid ?? thumbprint(jwk), typ: "JWT" })
    .setIssuer(LOCAL_STAFF_ISSUER)
    .setSubject(request.sub ?? localStaffSub(request.email))
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + lifetime)
    .setJti(randomUUID())
    .sign(key);
}

/** The handler configuration that makes them trust this issuer (the public key only). */
export const localStaffVerifierEnv = (signingKey: string): Record<string, string> => ({
  STAFF_ISSUER: LOCAL_STAFF_ISSUER,
  STAFF_CLIENT_ID: LOCAL_STAFF_CLIENT_ID,
  STAFF_PUBLIC_JWK: publicStaffKey(signingKey),
});

import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JWK, type JWTVerifyGetKey } from "jose";
import type { StaffIdentity, StaffTokenVerifier } from "./ports";
import { InvalidStaffToken, identityFromClaims } from "./identity";

/** Signature algorithms a staff token may use: Cognito signs RS256, the local issuer ES256. Never `none`, never HS*. */
export const STAFF_TOKEN_ALGORITHMS = ["RS256", "ES256"];

/** Clock skew allowed on `exp`, `nbf` and `iat`, in seconds. */
export const STAFF_TOKEN_CLOCK_TOLERANCE_SECONDS = 30;

/** The oldest a staff token may be, whatever its `exp` says: Cognito's own upper limit (1 day). */
export const STAFF_TOKEN_MAX_AGE = "24h";

export interface JwtStaffVerifierOptions {
  /** Where the signing keys come from: a remote or a local JWKS. */
  keys: JWTVerifyGetKey;
  /** The expected `iss`: Cognito's `https://cognito-idp.<region>.amazonaws.com/<pool id>`. */
  issuer: string;
  /** The staff console's app client id: an ID token's `aud`, an access token's `client_id`. */
  clientId: string;
}

const refusals: Record<string, string> = {
  ERR_JWT_EXPIRED: "The staff token has expired; sign in again.",
  ERR_JOSE_ALG_NOT_ALLOWED: "The staff token is signed with an algorithm that is not accepted.",
  ERR_JOSE_NOT_SUPPORTED: "The staff token is signed with an algorithm that is not accepted.",
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: "The staff token's signature is not valid.",
  ERR_JWKS_NO_MATCHING_KEY: "The staff token is signed by a key this service does not know.",
  ERR_JWKS_MULTIPLE_MATCHING_KEYS: "The staff token is signed by a key this service does not know.",
  ERR_JWS_INVALID: "The staff token is not a well-formed JWT.",
  ERR_JWT_INVALID: "The staff token is not a well-formed JWT.",
  ERR_JWK_INVALID: "The staff token is signed by a key this service does not know.",
};

/** The reason given for a claim jose refused. */
function claimRefusal(claim: string, reason: string): string {
  if (reason === "missing") return `The staff token has no "${claim}" claim.`;
  if (claim === "nbf") return "The staff token is not valid yet.";
  if (claim === "iat") return "The staff token is issued in the future.";
  if (claim === "iss") return "The staff token comes from an issuer this service does not trust.";
  return `The staff token's "${claim}" claim is not accepted.`;
}

/**
 * Verifies staff JWTs with jose: the signature against the issuer's keys (RS256 or ES256 only), `iss`,
 * `exp` and `nbf` with a small clock skew, a maximum age, and the audience. Cognito puts the audience
 * in different claims per token type, so both are accepted and each is checked its own way:
 * an access token (`token_use: "access"`) must carry `client_id` = the console's client, an ID token
 * (`token_use: "id"`) must carry it in `aud`. Anything else is refused. The console sends its ID token,
 * which is the one that names the person's address for the audit log; access tokens (which carry
 * no address) work for tools.
 */
export class JwtStaffVerifier implements StaffTokenVerifier {
  constructor(private readonly options: JwtStaffVerifierOptions) {}

  async verify(token: string): Promise<StaffIdentity> {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, this.options.keys, {
        issuer: this.options.issuer,
        algorithms: STAFF_TOKEN_ALGORITHMS,
        clockTolerance: STAFF_TOKEN_CLOCK_TOLERANCE_SECONDS,
        maxTokenAge: STAFF_TOKEN_MAX_AGE,
        requiredClaims: ["exp", "iat", "sub", "token_use"],
      }));
    } catch (err) {
      if (err instanceof errors.JWTClaimValidationFailed && !(err instanceof errors.JWTExpired)) throw new InvalidStaffToken(claimRefusal(err.claim, err.reason));
      const code = (err as { code?: string }).code;
      if (code && refusals[code]) throw new InvalidStaffToken(refusals[code]);
      // Anything else (the JWKS could not be fetched, timed out or was not a key set) is not the caller's fault.
      throw err;
    }
    this.checkAudience(payload);
    return identityFromClaims(payload);
  }

  private checkAudience(payload: Record<string, unknown>): void {
    const { clientId } = this.options;
    if (payload.token_use === "access") {
      if (payload.client_id !== clientId) throw new InvalidStaffToken("The staff token was issued to another client.");
      return;
    }
    if (payload.token_use === "id") {
      const aud = payload.aud;
      if (!(aud === clientId || (Array.isArray(aud) && aud.includes(clientId)))) throw new InvalidStaffToken("The staff token was issued to another audience.");
      return;
    }
    throw new InvalidStaffToken('The staff token is neither an access nor an ID token ("token_use").');
  }
}

/** Remote key sets, one per URL for the life of the container: jose caches the keys and refetches on an unknown `kid`. */
const remoteKeySets = new Map<string, JWTVerifyGetKey>();

/** Cognito's JWKS for a user pool's issuer URL (`<issuer>/.well-known/jwks.json`). */
export const cognitoJwksUrl = (issuer: string) => `${issuer.replace(/\/+$/, "")}/.well-known/jwks.json`;

/** A verifier backed by a remote JWKS (Cognito's), fetched once per container and cached. */
export function remoteStaffVerifier(options: { issuer: string; clientId: string; jwksUrl?: string }): JwtStaffVerifier {
  const url = options.jwksUrl ?? cognitoJwksUrl(options.issuer);
  let keys = remoteKeySets.get(url);
  if (!keys) {
    keys = createRemoteJWKSet(new URL(url), { timeoutDuration: 3_000, cooldownDuration: 30_000, cacheMaxAge: 600_000 });
    remoteKeySets.set(url, keys);
  }
  return new JwtStaffVerifier({ keys, issuer: options.issuer, clientId: options.clientId });
}

/** A verifier for the local issuer, whose public key (a JWK) is given. */
export function localStaffVerifier(options: { issuer: string; clientId: string; publicJwk: JWK }): JwtStaffVerifier {
  return new JwtStaffVerifier({ keys: createLocalJWKSet({ keys: [options.publicJwk] }), issuer: options.issuer, clientId: options.clientId });
}

/**
 * The verifier the configuration asks for, or undefined when staff sign-in is not configured. The
 * local issuer's public key is honoured only in local mode, so nothing deployed can be made to trust a
 * static key; elsewhere the keys are the issuer's JWKS.
 */
export function staffVerifierFromConfig(cfg: {
  MODE: "aws" | "local";
  STAFF_ISSUER?: string | undefined;
  STAFF_CLIENT_ID?: string | undefined;
  STAFF_JWKS_URL?: string | undefined;
  STAFF_PUBLIC_JWK?: string | undefined;
}): StaffTokenVerifier | undefined {
  if (!cfg.STAFF_ISSUER || !cfg.STAFF_CLIENT_ID) return undefined;
  if (cfg.MODE === "local" && cfg.STAFF_PUBLIC_JWK) {
    return localStaffVerifier({ issuer: cfg.STAFF_ISSUER, clientId: cfg.STAFF_CLIENT_ID, publicJwk: JSON.parse(cfg.STAFF_PUBLIC_JWK) as JWK });
  }
  return remoteStaffVerifier({ issuer: cfg.STAFF_ISSUER, clientId: cfg.STAFF_CLIENT_ID, ...(cfg.STAFF_JWKS_URL ? { jwksUrl: cfg.STAFF_JWKS_URL } : {}) });
}

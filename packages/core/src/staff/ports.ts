/** A signed-in staff member, as a verified staff token names them. */
export interface StaffIdentity {
  /** The identity provider's stable subject id (Cognito's `sub`). */
  sub: string;
  /** The address, when the token carries one (Cognito ID tokens and local tokens do; access tokens do not). */
  email?: string;
  /** The groups the identity belongs to (Cognito's `cognito:groups`). */
  groups: string[];
}

/**
 * Verifies a staff bearer token (a JWT): signature (RS256 or ES256 only), issuer, audience or client
 * id, expiry and not-before. Cognito's JWKS in AWS, the local issuer's public key locally. Throws
 * `InvalidStaffToken` (identity.ts) for a token it does not accept; any other
 * error means the keys could not be had.
 */
export interface StaffTokenVerifier {
  verify(token: string): Promise<StaffIdentity>;
}

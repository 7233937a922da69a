import { createHash, timingSafeEqual } from "node:crypto";
import type { Config } from "@mission-mail/core/platform/config";
import { AppError } from "@mission-mail/core/shared/errors";
import type { StaffIdentity, StaffTokenVerifier } from "@mission-mail/core/staff/ports";
import { InvalidStaffToken, PUBLISHER_GROUP, STAFF_GROUP, hasRole, identityFromClaims, isStaff, roleRequiredMessage, type StaffRole } from "@mission-mail/core/staff/identity";
import type { HttpEvent } from "./http";
import { logger } from "./logger";

const digest = (s: string) => createHash("sha256").update(s).digest();

const REALM = 'Bearer realm="mission-mail-staff"';

/** 401 with the RFC 6750 challenge: bare when no token came, `error="invalid_token"` when one was refused. */
const unauthorized = (message: string, tokenGiven = true) =>
  new AppError(401, "unauthorized", message, undefined, { "www-authenticate": tokenGiven ? `${REALM}, error="invalid_token"` : REALM });

/**
 * The identity the local-only STAFF_TOKEN shortcut stands for: STAFF_TOKEN_EMAIL, in the staff group,
 * and in the publisher group too where STAFF_TOKEN_ROLE says so (the local cloud's default). The
 * four-eyes rule still holds: it is always the same person.
 */
export const shortcutIdentity = (cfg: Pick<Config, "STAFF_TOKEN_EMAIL"> & Partial<Pick<Config, "STAFF_TOKEN_ROLE">>): StaffIdentity => ({
  sub: "local-staff",
  email: cfg.STAFF_TOKEN_EMAIL,
  groups: cfg.STAFF_TOKEN_ROLE === "publisher" ? [STAFF_GROUP, PUBLISHER_GROUP] : [STAFF_GROUP],
});

/** The `cognito:groups` and `sub` the HTTP API's JWT authorizer passed on, if it ran. */
function authorizerClaims(event: HttpEvent): Record<string, unknown> | undefined {
  return (event.requestContext as { authorizer?: { jwt?: { claims?: Record<string, unknown> } } } | undefined)?.authorizer?.jwt?.claims;
}

async function authenticate(event: HttpEvent, cfg: Config, verifier: StaffTokenVerifier | undefined): Promise<StaffIdentity> {
  const header = event.headers?.authorization ?? "";
  const token = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
  if (!token) throw unauthorized("Staff routes need an Authorization: Bearer token.", false);
  // Compare digests, so the comparison takes the same time whatever the token's length.
  if (cfg.MODE === "local" && cfg.STAFF_TOKEN && timingSafeEqual(digest(token), digest(cfg.STAFF_TOKEN))) return shortcutIdentity(cfg);
  if (!verifier) throw unauthorized("Staff sign-in is not configured here.");
  if (token.split(".").length !== 3) {
    throw unauthorized(cfg.MODE === "local" ? "The staff token is not valid." : "The staff token is not a JWT; the STAFF_TOKEN shortcut only works locally.");
  }
  let identity: StaffIdentity;
  try {
    identity = await verifier.verify(token);
  } catch (err) {
    if (err instanceof InvalidStaffToken) throw unauthorized(err.message);
    logger.error("Staff token keys unavailable", { error: err as Error });
    throw new AppError(503, "staff_auth_unavailable", "Staff sign-in cannot be checked right now. Please try again shortly.", undefined, { "retry-after": "5" });
  }
  // In AWS the authorizer checked the same bearer; if its claims disagree with ours, something is wrong in between.
  const claims = authorizerClaims(event);
  if (claims) {
    let checked: StaffIdentity;
    try {
      checked = identityFromClaims(claims);
    } catch {
      throw unauthorized("The token does not match the one the API checked.");
    }
    const sameGroups = checked.groups.length === identity.groups.length && checked.groups.every((g) => identity.groups.includes(g));
    if (checked.sub !== identity.sub || !sameGroups) throw unauthorized("The token does not match the one the API checked.");
  }
  return identity;
}

/**
 * Lets a staff member through, or refuses with the shared error envelope: 401 `unauthorized` (with
 * `WWW-Authenticate: Bearer`) without a valid token, 403 `forbidden` for a valid token in neither
 * staff group, 403 `role_required` (naming the role) for a staff member without the role the route
 * needs. Answers the verified identity, so handlers can record who did what.
 *
 * A valid token is a staff JWT the one verifier port accepts: Cognito's in AWS, the local issuer's
 * locally (`npm run mm -- staff-token`). Locally, `STAFF_TOKEN` also stands for a configured staff
 * identity; it is ignored outside MODE=local.
 *
 * In AWS the HTTP API's JWT authorizer has already checked the bearer on every `/api/staff/*` route.
 * The function verifies it again, through the same port as locally, rather than trusting the
 * authorizer's claims: a route deployed without the authorizer, or an authorizer that is
 * misconfigured, still lets nobody in; the authorizer checks neither `token_use` nor groups; and the
 * code path that tests run locally is the one that runs in AWS. It costs one JWKS fetch per container
 * and well under a millisecond per request. Where the authorizer's claims are present they must
 * name the same subject and groups (the groups arrive there as one string, `"[staff editors]"`).
 * The verifier comes from the wiring (wiring/staff.ts), built once per wiring.
 */
export async function requireStaff(event: HttpEvent, d: { config: Config; staffTokens: StaffTokenVerifier | undefined }, role: StaffRole = "staff"): Promise<StaffIdentity> {
  const identity = await authenticate(event, d.config, d.staffTokens);
  if (!isStaff(identity)) throw new AppError(403, "forbidden", roleRequiredMessage("staff"));
  if (!hasRole(identity, role)) throw new AppError(403, "role_required", roleRequiredMessage(role), [{ field: "role", message: `The ${role} role is needed.` }]);
  return identity;
}

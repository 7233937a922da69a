import { staffVerifierFromConfig } from "@mission-mail/core/staff/jwt-staff-verifier";
import type { StaffIdentity } from "@mission-mail/core/staff/ports";
import type { HttpEvent } from "../lib/http";
import { requireStaff as checkStaff } from "../lib/staff-auth";
import { staffRoleOf } from "../routes";
import { perWiring, type Wiring } from "./wiring";

const roleOf = (key: string | undefined) => (key ? staffRoleOf(key) : undefined) ?? "publisher";

/**
 * The staff token verifier for this wiring's configuration, built once per wiring (so Cognito's JWKS
 * is fetched once per container). Only staff routes import this module, so only they bundle jose.
 */
export const staffVerifier = perWiring((w) => ({ config: w.config, staffTokens: staffVerifierFromConfig(w.config) }));

/**
 * Lets a staff member through, or refuses (401/403): `requireStaff` of lib/staff-auth.ts with this
 * wiring's verifier and the role the route table gives the request's route. A request whose route the
 * table does not name needs the publisher role (the stricter one).
 */
export const requireStaff = (event: HttpEvent, w: Wiring): Promise<StaffIdentity> => checkStaff(event, staffVerifier(w), roleOf(event.routeKey ?? event.requestContext?.routeKey));

import type { StaffIdentity } from "./ports";

/** The Cognito group whose members may use the staff routes: draft, preview, test-send, read statistics. */
export const STAFF_GROUP = "staff";

/** The Cognito group whose members may also approve, send, schedule, pause, resume and cancel announcements and retire missions. */
export const PUBLISHER_GROUP = "publisher";

/** The roles a staff route may need; `publisher` includes everything `staff` may do. */
export const STAFF_ROLES = ["staff", "publisher"] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** A staff token that was refused: missing parts, bad signature, expired, wrong issuer or audience. */
export class InvalidStaffToken extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidStaffToken";
  }
}

/**
 * The groups of a `cognito:groups` claim, whichever way it arrives: a JSON array inside a token, or,
 * from the HTTP API's JWT authorizer, one bracketed space-separated string (`"[staff editors]"`),
 * since the authorizer flattens array claims. Cognito group names contain no whitespace.
 */
export function parseGroups(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((g): g is string => typeof g === "string" && g.length > 0);
  if (typeof value !== "string") return [];
  const text = value.trim();
  if (text.startsWith("[") && text.includes('"')) {
    try {
      return parseGroups(JSON.parse(text));
    } catch {
      /* not JSON: the authorizer's form */
    }
  }
  return text
    .replace(/^\[/, "")
    .replace(/\]$/, "")
    .split(/\s+/)
    .filter(Boolean);
}

/** The identity in a verified token's (or the authorizer's) claims; refuses claims without a subject. */
export function identityFromClaims(claims: Record<string, unknown>): StaffIdentity {
  const sub = claims.sub;
  if (typeof sub !== "string" || !sub) throw new InvalidStaffToken("The staff token names no subject.");
  const email = typeof claims.email === "string" && claims.email ? claims.email : undefined;
  return { sub, ...(email ? { email } : {}), groups: parseGroups(claims["cognito:groups"]) };
}

/** Whether an identity holds a role: `staff` is held by members of either group, `publisher` only by publishers. */
export function hasRole(identity: Pick<StaffIdentity, "groups">, role: StaffRole): boolean {
  if (role === "publisher") return identity.groups.includes(PUBLISHER_GROUP);
  return identity.groups.includes(STAFF_GROUP) || identity.groups.includes(PUBLISHER_GROUP);
}

/** Whether an identity may use the staff routes at all (the `staff` role). */
export const isStaff = (identity: StaffIdentity): boolean => hasRole(identity, "staff");

/** The 403 message naming the role a request lacks. */
export const roleRequiredMessage = (role: StaffRole): string =>
  role === "publisher" ? 'This needs the publisher role (the "publisher" group); an administrator can add your account to it.' : `This account is signed in but not in the "${STAFF_GROUP}" group; an administrator can add it.`;

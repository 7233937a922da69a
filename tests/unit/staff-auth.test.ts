import { describe, expect, it } from "vitest";
import { localStaffVerifier } from "../../packages/core/src/staff/jwt-staff-verifier";
import { auditCursor, compactDetails, decodeAuditCursor, recordStaffAction } from "../../packages/core/src/audit/audit-log";
import type { Config } from "../../packages/core/src/platform/config";
import { AppError } from "../../packages/core/src/shared/errors";
import type { AuditEntry } from "../../packages/core/src/audit/ports";
import type { StaffTokenVerifier } from "../../packages/core/src/staff/ports";
import { auditEntryKey, auditMonthKey } from "../../packages/core/src/platform/table-keys";
import type { HttpEvent } from "../../packages/functions/src/lib/http";
import { requireStaff } from "../../packages/functions/src/lib/staff-auth";
import { LOCAL_STAFF_CLIENT_ID, LOCAL_STAFF_ISSUER, generateStaffSigningKey, publicStaffKey, signStaffToken } from "../../packages/local/src/staff-issuer";

const key = generateStaffSigningKey();
const staffTokens = localStaffVerifier({ issuer: LOCAL_STAFF_ISSUER, clientId: LOCAL_STAFF_CLIENT_ID, publicJwk: JSON.parse(publicStaffKey(key)) });
const SHORTCUT = "local-shortcut-token-0000000";
const local = { MODE: "local", STAFF_TOKEN: SHORTCUT, STAFF_TOKEN_EMAIL: "local-staff@example.org" } as Config;
const aws = { ...local, MODE: "aws" } as Config;

const event = (authorization?: string, claims?: Record<string, string>): HttpEvent =>
  ({
    headers: authorization ? { authorization } : {},
    requestContext: { ...(claims ? { authorizer: { jwt: { claims, scopes: null } } } : {}) },
  }) as unknown as HttpEvent;

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

const token = (groups: string[], email = "anna@example.org") => signStaffToken(key, { email, groups, sub: "sub-anna" });

describe("requireStaff", () => {
  it("answers the verified identity for a staff token", async () => {
    expect(await requireStaff(event(`Bearer ${await token(["staff"])}`), { config: aws, staffTokens })).toEqual({ sub: "sub-anna", email: "anna@example.org", groups: ["staff"] });
  });

  it("refuses a missing or malformed header with 401 and a bare Bearer challenge", async () => {
    for (const header of [undefined, "", "Basic abc", "Bearer", "Bearer  "]) {
      const err = await refusal(requireStaff(event(header), { config: aws, staffTokens }));
      expect(err.status).toBe(401);
      expect(err.code).toBe("unauthorized");
      expect(err.headers?.["www-authenticate"]).toBe('Bearer realm="mission-mail-staff"');
    }
  });

  it('refuses a bad token with 401 and error="invalid_token"', async () => {
    const err = await refusal(requireStaff(event(`Bearer ${(await token(["staff"])).slice(0, -4)}AAAA`), { config: aws, staffTokens }));
    expect(err.status).toBe(401);
    expect(err.headers?.["www-authenticate"]).toBe('Bearer realm="mission-mail-staff", error="invalid_token"');
  });

  it("refuses a valid token outside the staff group with 403", async () => {
    const err = await refusal(requireStaff(event(`Bearer ${await token(["editors"])}`), { config: aws, staffTokens }));
    expect(err.status).toBe(403);
    expect(err.code).toBe("forbidden");
  });

  it("lets STAFF_TOKEN stand for the configured staff identity locally", async () => {
    expect(await requireStaff(event(`Bearer ${SHORTCUT}`), { config: local, staffTokens })).toEqual({ sub: "local-staff", email: "local-staff@example.org", groups: ["staff"] });
  });

  it("ignores STAFF_TOKEN outside MODE=local", async () => {
    const err = await refusal(requireStaff(event(`Bearer ${SHORTCUT}`), { config: aws, staffTokens }));
    expect(err.status).toBe(401);
    expect(err.message).toMatch(/only works locally/);
  });

  it("refuses every token where staff sign-in is not configured", async () => {
    const err = await refusal(requireStaff(event(`Bearer ${await token(["staff"])}`), { config: { MODE: "aws" } as Config, staffTokens: undefined }));
    expect(err.status).toBe(401);
    expect(err.message).toMatch(/not configured/);
  });

  it("accepts the authorizer's claims when they agree, groups arriving as one bracketed string", async () => {
    const identity = await requireStaff(event(`Bearer ${await token(["staff", "editors"])}`, { sub: "sub-anna", "cognito:groups": "[staff editors]" }), { config: aws, staffTokens });
    expect(identity.groups).toEqual(["staff", "editors"]);
  });

  it("refuses when the authorizer's claims name someone or something else", async () => {
    const bearer = `Bearer ${await token(["staff"])}`;
    const mismatches: Record<string, string>[] = [{ sub: "sub-bob", "cognito:groups": "[staff]" }, { sub: "sub-anna", "cognito:groups": "[staff admins]" }, { "cognito:groups": "[staff]" }];
    for (const claims of mismatches) {
      expect((await refusal(requireStaff(event(bearer, claims), { config: aws, staffTokens }))).status).toBe(401);
    }
  });

  it("answers 503 when the keys cannot be had, without blaming the token", async () => {
    const down: StaffTokenVerifier = { verify: () => Promise.reject(new TypeError("fetch failed")) };
    const err = await refusal(requireStaff(event(`Bearer ${await token(["staff"])}`), { config: aws, staffTokens: down }));
    expect(err.status).toBe(503);
    expect(err.code).toBe("staff_auth_unavailable");
  });
});

describe("the audit log helper", () => {
  it("records who, what and when with a fresh id", async () => {
    const appended: AuditEntry[] = [];
    const entry = await recordStaffAction(
      { audit: { append: async (e) => void appended.push(e), list: async () => ({ entries: [] }) }, clock: { now: () => Date.UTC(2026, 10, 23, 8, 0, 0) }, ids: { next: () => "01JAUDIT0000000000000000000" } },
      { sub: "sub-anna", email: "anna@example.org", groups: ["staff"] },
      "digest.run",
      "run-1",
      { cadence: "weekly" },
    );
    expect(entry).toEqual({ id: "01JAUDIT0000000000000000000", at: "2026-11-23T08:00:00.000Z", actor: { sub: "sub-anna", email: "anna@example.org" }, action: "digest.run", targetId: "run-1", details: { cadence: "weekly" } });
    expect(appended).toEqual([entry]);
  });

  it("refuses action names that are not dotted lower case", async () => {
    const deps = { audit: { append: async () => undefined, list: async () => ({ entries: [] }) }, clock: { now: () => 0 }, ids: { next: () => "x" } };
    await expect(recordStaffAction(deps, { sub: "s", groups: ["staff"] }, "RunDigest", "t")).rejects.toThrow(/dotted/);
  });

  it("keeps details small", () => {
    expect(compactDetails({ title: "x".repeat(1000) }).title).toHaveLength(301);
    expect((compactDetails({ ids: Array.from({ length: 500 }, (_, i) => i) }).ids as number[]).length).toBe(50);
    const huge = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`field${i}`, "y".repeat(250)]));
    expect(compactDetails(huge)).toMatchObject({ truncated: true });
  });

  it("pages with an opaque cursor that only decodes to an entry's time and id", () => {
    const cursor = auditCursor({ at: "2026-11-23T08:00:00.000Z", id: "01JAUDIT0000000000000000000" });
    expect(decodeAuditCursor(cursor)).toEqual({ at: "2026-11-23T08:00:00.000Z", id: "01JAUDIT0000000000000000000" });
    expect(decodeAuditCursor("nonsense")).toBeUndefined();
    expect(decodeAuditCursor(Buffer.from("2026-11-23#x#y").toString("base64url"))).toBeUndefined();
  });

  it("keys entries by month, time-ordered, with an index of months", () => {
    expect(auditEntryKey("2026-11-23T08:00:00.000Z", "01J")).toEqual({ PK: "AUDIT#2026-11", SK: "2026-11-23T08:00:00.000Z#01J" });
    expect(auditMonthKey("2026-11")).toEqual({ PK: "AUDIT", SK: "MONTH#2026-11" });
  });
});

import { describe, expect, it } from "vitest";
import { issueToken, redactTokens, TOKEN_LIFETIMES, verifyToken } from "../../packages/core/src/shared/tokens";

const keys = ["current-key-0000000000", "previous-key-000000000"];
const now = Date.UTC(2026, 10, 22, 12);

describe("tokens", () => {
  it("round-trips with type, subject and expiry", () => {
    const token = issueToken(keys, "manage", "sub-1", now);
    const check = verifyToken(keys, "manage", token, now);
    expect(check).toEqual({ ok: true, claims: { type: "manage", sub: "sub-1", exp: now / 1000 + TOKEN_LIFETIMES.manage } });
  });

  it("gives each type its lifetime: confirm 7 days, manage 1 year, data-rights 1 hour", () => {
    expect(TOKEN_LIFETIMES).toEqual({ confirm: 604800, manage: 31536000, "data-rights": 3600 });
    const token = issueToken(keys, "data-rights", "s", now);
    expect(verifyToken(keys, "data-rights", token, now + 3599_000).ok).toBe(true);
    expect(verifyToken(keys, "data-rights", token, now + 3600_000)).toEqual({ ok: false, reason: "expired" });
  });

  it("verifies against the previous key during rotation, and not after it is dropped", () => {
    const old = issueToken([keys[1]!], "confirm", "s", now);
    expect(verifyToken(keys, "confirm", old, now).ok).toBe(true);
    expect(verifyToken([keys[0]!], "confirm", old, now)).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("refuses tampering, wrong types and junk without throwing", () => {
    const token = issueToken(keys, "confirm", "s", now);
    const [payload, sig] = token.split(".") as [string, string];
    const forged = Buffer.from(JSON.stringify({ t: "data-rights", s: "s", e: 9e9 })).toString("base64url");
    expect(verifyToken(keys, "confirm", `${forged}.${sig}`, now)).toEqual({ ok: false, reason: "bad_signature" });
    expect(verifyToken(keys, "data-rights", token, now)).toEqual({ ok: false, reason: "wrong_type" });
    for (const junk of [undefined, null, "", ".", "a.b.c", `${payload}.`, "x".repeat(5000), "%%%.%%%"]) {
      expect(verifyToken(keys, "confirm", junk, now).ok).toBe(false);
    }
  });

  it("redacts tokens from URLs and log lines", () => {
    const token = issueToken(keys, "manage", "sub-1", now);
    const line = `GET /preferences?token=${token}&lang=sv and ${token}`;
    const redacted = redactTokens(line);
    expect(redacted).not.toContain(token);
    expect(redacted).toContain("token=[redacted]&lang=sv");
  });
});

describe("tokens whose signed payload is not an object", () => {
  it("are malformed, never a crash: a valid signature over null, a number, a string or an array", async () => {
    const { createHmac } = await import("node:crypto");
    for (const json of ["null", "1", '"s"', "[]", "true"]) {
      const payload = Buffer.from(json).toString("base64url");
      const token = `${payload}.${createHmac("sha256", keys[0]!).update(payload).digest("base64url")}`;
      expect(verifyToken(keys, "manage", token, now), json).toEqual({ ok: false, reason: "malformed" });
    }
  });
});

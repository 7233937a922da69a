import { createHmac } from "node:crypto";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { config, resetConfig } from "../../packages/core/src/platform/config";
import { AppError } from "../../packages/core/src/shared/errors";
import { route } from "../../packages/functions/src/api/webhook/content-webhook";
import { createWiring } from "../../packages/functions/src/wiring/wiring";
import { signWebhook, verifyWebhookSignature } from "../../packages/functions/src/lib/webhook-signature";

/**
 * The content webhook's secret can be rotated: WEBHOOK_SECRET holds the new secret and the old one,
 * comma-separated, and a body signed with either verifies until the old one is removed.
 */

const NEW_SECRET = "webhook-secret-new-0000000000";
const OLD_SECRET = "webhook-secret-old-0000000000";
const NOW = Date.parse("2026-12-02T10:00:00Z");
const NOW_S = Math.floor(NOW / 1000);
/** The current scheme: HMAC-SHA256 of `<timestamp>.<body>`. */
const sign = (secret: string, body: string, at = NOW_S) => ({ timestamp: String(at), signature: `sha256=${createHmac("sha256", secret).update(`${at}.${body}`, "utf8").digest("hex")}` });
/** The old scheme, the body alone. */
const legacySign = (secret: string, body: string) => ({ signature: `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}` });
const body = JSON.stringify({ type: "content.published", item: { id: "x" } });

const refusal = (fn: () => void): { status: number; code: string } | undefined => {
  try {
    fn();
    return undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return { status: (err as AppError).status, code: (err as AppError).code };
  }
};

describe("verifyWebhookSignature", () => {
  it("accepts a body signed with any of the secrets: the new one and, during the grace period, the old one", () => {
    expect(refusal(() => verifyWebhookSignature(sign(NEW_SECRET, body), body, [NEW_SECRET, OLD_SECRET], NOW))).toBeUndefined();
    expect(refusal(() => verifyWebhookSignature(sign(OLD_SECRET, body), body, [NEW_SECRET, OLD_SECRET], NOW))).toBeUndefined();
    const upper = sign(NEW_SECRET, body);
    expect(refusal(() => verifyWebhookSignature({ ...upper, signature: upper.signature.toUpperCase().replace("SHA256=", "sha256=") }, body, [NEW_SECRET], NOW))).toBeUndefined();
  });

  it("refuses the old secret once it is removed, and any other secret", () => {
    expect(refusal(() => verifyWebhookSignature(sign(OLD_SECRET, body), body, [NEW_SECRET], NOW))).toEqual({ status: 401, code: "invalid_signature" });
    expect(refusal(() => verifyWebhookSignature(sign("someone-elses-secret-000000", body), body, [NEW_SECRET, OLD_SECRET], NOW))).toEqual({ status: 401, code: "invalid_signature" });
  });

  it("refuses a signature of other bytes, and a missing or malformed header", () => {
    expect(refusal(() => verifyWebhookSignature(sign(NEW_SECRET, `${body} `), body, [NEW_SECRET], NOW))?.status).toBe(401);
    const good = sign(NEW_SECRET, body);
    for (const signature of [undefined, "", "sha256=", "sha1=abc", `sha256=${"z".repeat(64)}`, good.signature.slice(0, -2)]) {
      expect(refusal(() => verifyWebhookSignature({ timestamp: good.timestamp, ...(signature !== undefined ? { signature } : {}) }, body, [NEW_SECRET], NOW)), String(signature)).toEqual({ status: 401, code: "invalid_signature" });
    }
  });

  it("binds the timestamp: a signature moved to another timestamp does not verify", () => {
    const good = sign(NEW_SECRET, body);
    expect(refusal(() => verifyWebhookSignature({ ...good, timestamp: String(NOW_S + 1) }, body, [NEW_SECRET], NOW))).toEqual({ status: 401, code: "invalid_signature" });
  });

  it("refuses a timestamp more than five minutes away, either way, as a replay (401 stale_signature)", () => {
    expect(refusal(() => verifyWebhookSignature(sign(NEW_SECRET, body, NOW_S - 300), body, [NEW_SECRET], NOW))).toBeUndefined();
    expect(refusal(() => verifyWebhookSignature(sign(NEW_SECRET, body, NOW_S + 300), body, [NEW_SECRET], NOW))).toBeUndefined();
    expect(refusal(() => verifyWebhookSignature(sign(NEW_SECRET, body, NOW_S - 301), body, [NEW_SECRET], NOW))).toEqual({ status: 401, code: "stale_signature" });
    expect(refusal(() => verifyWebhookSignature(sign(NEW_SECRET, body, NOW_S + 301), body, [NEW_SECRET], NOW))).toEqual({ status: 401, code: "stale_signature" });
    for (const timestamp of ["", "12.5", "abc", "-1", "1".repeat(30)]) {
      expect(refusal(() => verifyWebhookSignature({ ...sign(NEW_SECRET, body), timestamp }, body, [NEW_SECRET], NOW)), timestamp).toEqual({ status: 401, code: "invalid_timestamp" });
    }
  });

  it("refuses the old body-only scheme unless WEBHOOK_LEGACY_SIGNATURE allows it during the migration", () => {
    expect(refusal(() => verifyWebhookSignature(legacySign(NEW_SECRET, body), body, [NEW_SECRET], NOW))).toEqual({ status: 401, code: "missing_timestamp" });
    expect(refusal(() => verifyWebhookSignature(legacySign(NEW_SECRET, body), body, [NEW_SECRET], NOW, { legacy: true }))).toBeUndefined();
    expect(refusal(() => verifyWebhookSignature(legacySign(OLD_SECRET, body), body, [NEW_SECRET], NOW, { legacy: true }))).toEqual({ status: 401, code: "invalid_signature" });
    // With a timestamp, the new scheme applies even while the old one is allowed.
    expect(refusal(() => verifyWebhookSignature({ ...legacySign(NEW_SECRET, body), timestamp: String(NOW_S) }, body, [NEW_SECRET], NOW, { legacy: true }))).toEqual({ status: 401, code: "invalid_signature" });
  });

  it("signWebhook makes the headers the verifier accepts", () => {
    const headers = signWebhook(body, NEW_SECRET, NOW);
    expect(headers["x-signature-timestamp"]).toBe(String(NOW_S));
    expect(refusal(() => verifyWebhookSignature({ signature: headers["x-signature-256"], timestamp: headers["x-signature-timestamp"] }, body, [NEW_SECRET], NOW))).toBeUndefined();
  });
});

describe("WEBHOOK_SECRET in the configuration", () => {
  const saved = { ...process.env };
  beforeAll(() => {
    Object.assign(process.env, {
      MODE: "aws",
      TABLE_NAME: "table",
      PUBLIC_URL: "https://missions.example.org",
      MAIL_FROM: "Missions <news@missions.example.org>",
      UNSUBSCRIBE_MAILTO: "unsubscribe@missions.example.org",
      TOKEN_KEYS: "token-key-0000000000000000",
      ADDRESS_PEPPER: "address-pepper-000000000000",
      IP_SALT: "ip-salt-00000000000000000000",
      WEBHOOK_SECRET: ` ${NEW_SECRET}, ${OLD_SECRET} `,
    });
    resetConfig();
  });
  afterAll(() => {
    process.env = saved;
    resetConfig();
  });

  it("is a comma-separated list, newest first, trimmed", () => {
    expect(config().WEBHOOK_SECRET).toEqual([NEW_SECRET, OLD_SECRET]);
  });

  it("lets the webhook verify bodies signed with the old secret while it is listed", async () => {
    const event = (signed: { signature?: string; timestamp?: string }, raw: string) =>
      ({
        rawPath: "/webhooks/content",
        body: raw,
        isBase64Encoded: false,
        headers: { "x-signature-256": signed.signature, ...(signed.timestamp ? { "x-signature-timestamp": signed.timestamp } : {}) },
        requestContext: { http: { method: "POST" } },
      }) as unknown as APIGatewayProxyEventV2;
    const now = Math.floor(Date.now() / 1000);
    // Not JSON, so a request that passes the signature check stops at parsing, before the bus.
    const notJson = "{not json";
    const accepted = (await route(event(sign(OLD_SECRET, notJson, now), notJson), createWiring())) as { statusCode: number; body: string };
    expect(accepted.statusCode).toBe(400);
    expect(JSON.parse(accepted.body).error.code).toBe("invalid_json");
    const refused = (await route(event(sign("someone-elses-secret-000000", notJson, now), notJson), createWiring())) as { statusCode: number; body: string };
    expect(refused.statusCode).toBe(401);
    expect(JSON.parse(refused.body).error.code).toBe("invalid_signature");
    const legacy = (await route(event(legacySign(NEW_SECRET, notJson), notJson), createWiring())) as { statusCode: number; body: string };
    expect([legacy.statusCode, JSON.parse(legacy.body).error.code]).toEqual([401, "missing_timestamp"]);
  });

  it("parses WEBHOOK_LEGACY_SIGNATURE: off by default, on only for 1", () => {
    expect(config().WEBHOOK_LEGACY_SIGNATURE).toBe(false);
    process.env.WEBHOOK_LEGACY_SIGNATURE = "1";
    resetConfig();
    expect(config().WEBHOOK_LEGACY_SIGNATURE).toBe(true);
    process.env.WEBHOOK_LEGACY_SIGNATURE = "yes";
    resetConfig();
    expect(() => config()).toThrow(/WEBHOOK_LEGACY_SIGNATURE/);
    delete process.env.WEBHOOK_LEGACY_SIGNATURE;
    resetConfig();
  });

  it("refuses a list with a short secret in it", () => {
    process.env.WEBHOOK_SECRET = `${NEW_SECRET},short`;
    resetConfig();
    expect(() => config()).toThrow(/WEBHOOK_SECRET/);
  });
});

import { createHmac } from "node:crypto";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { config, resetConfig } from "../../packages/core/src/platform/config";
import { AppError } from "../../packages/core/src/shared/errors";
import { route } from "../../packages/functions/src/api/webhook/content-webhook";
import { createWiring } from "../../packages/functions/src/wiring/wiring";
import { verifyWebhookSignature } from "../../packages/functions/src/lib/webhook-signature";

/**
 * The content webhook's secret can be rotated: WEBHOOK_SECRET holds the new secret and the old one,
 * comma-separated, and a body signed with either verifies until the old one is removed.
 */

const NEW_SECRET = "webhook-secret-new-0000000000";
const OLD_SECRET = "webhook-secret-old-0000000000";
const sign = (secret: string, body: string) => `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`;
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
    expect(refusal(() => verifyWebhookSignature(sign(NEW_SECRET, body), body, [NEW_SECRET, OLD_SECRET]))).toBeUndefined();
    expect(refusal(() => verifyWebhookSignature(sign(OLD_SECRET, body), body, [NEW_SECRET, OLD_SECRET]))).toBeUndefined();
    expect(refusal(() => verifyWebhookSignature(sign(NEW_SECRET, body).toUpperCase().replace("SHA256=", "sha256="), body, [NEW_SECRET]))).toBeUndefined();
  });

  it("refuses the old secret once it is removed, and any other secret", () => {
    expect(refusal(() => verifyWebhookSignature(sign(OLD_SECRET, body), body, [NEW_SECRET]))).toEqual({ status: 401, code: "invalid_signature" });
    expect(refusal(() => verifyWebhookSignature(sign("someone-elses-secret-000000", body), body, [NEW_SECRET, OLD_SECRET]))).toEqual({ status: 401, code: "invalid_signature" });
  });

  it("refuses a signature of other bytes, and a missing or malformed header", () => {
    expect(refusal(() => verifyWebhookSignature(sign(NEW_SECRET, `${body} `), body, [NEW_SECRET]))?.status).toBe(401);
    for (const header of [undefined, "", "sha256=", "sha1=abc", `sha256=${"z".repeat(64)}`, sign(NEW_SECRET, body).slice(0, -2)]) {
      expect(refusal(() => verifyWebhookSignature(header, body, [NEW_SECRET])), String(header)).toEqual({ status: 401, code: "invalid_signature" });
    }
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
    const event = (signature: string, raw: string) =>
      ({ rawPath: "/webhooks/content", body: raw, isBase64Encoded: false, headers: { "x-signature-256": signature }, requestContext: { http: { method: "POST" } } }) as unknown as APIGatewayProxyEventV2;
    // Not JSON, so a request that passes the signature check stops at parsing, before the bus.
    const notJson = "{not json";
    const accepted = (await route(event(sign(OLD_SECRET, notJson), notJson), createWiring())) as { statusCode: number; body: string };
    expect(accepted.statusCode).toBe(400);
    expect(JSON.parse(accepted.body).error.code).toBe("invalid_json");
    const refused = (await route(event(sign("someone-elses-secret-000000", notJson), notJson), createWiring())) as { statusCode: number; body: string };
    expect(refused.statusCode).toBe(401);
    expect(JSON.parse(refused.body).error.code).toBe("invalid_signature");
  });

  it("refuses a list with a short secret in it", () => {
    process.env.WEBHOOK_SECRET = `${NEW_SECRET},short`;
    resetConfig();
    expect(() => config()).toThrow(/WEBHOOK_SECRET/);
  });
});

import { createHmac, timingSafeEqual } from "node:crypto";
import { AppError } from "@mission-mail/core/shared/errors";

/**
 * Checks a content webhook's `X-Signature-256: sha256=<hex>` header: the HMAC-SHA256 of the raw body
 * under any one of the webhook secrets. WEBHOOK_SECRET holds them comma-separated, newest first, so
 * the secret can be rotated: during the grace period the CMS may sign with the old one or the new
 * one. Throws a 401 AppError that says what is wrong.
 */
export function verifyWebhookSignature(header: string | undefined, body: string, secrets: readonly string[]): void {
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header?.trim() ?? "");
  if (!match) {
    throw new AppError(401, "invalid_signature", "Missing or malformed X-Signature-256 header; expected sha256=<hex HMAC-SHA256 of the raw body>.");
  }
  const given = Buffer.from(match[1]!, "hex");
  // Every secret is tried, so the time taken does not tell which one matched.
  let valid = false;
  for (const secret of secrets) {
    if (timingSafeEqual(createHmac("sha256", secret).update(body, "utf8").digest(), given)) valid = true;
  }
  if (!valid) {
    throw new AppError(401, "invalid_signature", "The X-Signature-256 header does not match the body. Sign the exact bytes you send with the webhook secret.");
  }
}

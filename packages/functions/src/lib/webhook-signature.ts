import { createHmac, timingSafeEqual } from "node:crypto";
import { AppError } from "@mission-mail/core/shared/errors";

/** How far a signature's timestamp may be from our clock, either way, in seconds. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/** The signature headers of a content webhook request. */
export interface WebhookSignatureHeaders {
  /** `X-Signature-256: sha256=<hex>`. */
  signature?: string | undefined;
  /** `X-Signature-Timestamp: <unix seconds>`. */
  timestamp?: string | undefined;
}

const hmac = (secret: string, text: string) => createHmac("sha256", secret).update(text, "utf8").digest();

/**
 * Signs a content webhook body as the CMS must: `X-Signature-Timestamp` is the time in unix seconds
 * and `X-Signature-256` is `sha256=<hex>` of HMAC-SHA256 over `<timestamp>.<body>` under the secret.
 * The local tools, the tests and the bench sign with it.
 */
export function signWebhook(body: string, secret: string, nowMs: number): { "x-signature-timestamp": string; "x-signature-256": string } {
  const timestamp = String(Math.floor(nowMs / 1000));
  return { "x-signature-timestamp": timestamp, "x-signature-256": `sha256=${hmac(secret, `${timestamp}.${body}`).toString("hex")}` };
}

/**
 * Checks a content webhook's signature: `X-Signature-256: sha256=<hex>`, the HMAC-SHA256 of
 * `<X-Signature-Timestamp>.<raw body>` under any one of the webhook secrets (WEBHOOK_SECRET holds them
 * comma-separated, newest first, so the secret can be rotated). The timestamp must be within five
 * minutes of our clock, either way, so a captured request cannot be replayed later. Without a
 * timestamp, the old scheme (the HMAC of the body alone) is accepted only where `legacy` is set
 * (WEBHOOK_LEGACY_SIGNATURE=1, for the migration). Throws a 401 AppError whose code says what is
 * wrong: `invalid_signature`, `missing_timestamp`, `invalid_timestamp` or `stale_signature`.
 */
export function verifyWebhookSignature(headers: WebhookSignatureHeaders, body: string, secrets: readonly string[], nowMs: number, options: { legacy?: boolean } = {}): void {
  const match = /^sha256=([0-9a-f]{64})$/i.exec(headers.signature?.trim() ?? "");
  if (!match) {
    throw new AppError(401, "invalid_signature", "Missing or malformed X-Signature-256 header; expected sha256=<hex HMAC-SHA256 of <X-Signature-Timestamp>.<raw body>>.");
  }
  const timestamp = headers.timestamp?.trim();
  let signed: string;
  if (timestamp === undefined) {
    if (!options.legacy) {
      throw new AppError(401, "missing_timestamp", "Missing X-Signature-Timestamp header: sign <unix seconds>.<raw body> and send the time in X-Signature-Timestamp.");
    }
    signed = body;
  } else {
    if (!/^\d{1,12}$/.test(timestamp)) throw new AppError(401, "invalid_timestamp", "X-Signature-Timestamp must be the time in whole unix seconds.");
    if (Math.abs(Number(timestamp) - Math.floor(nowMs / 1000)) > WEBHOOK_TOLERANCE_SECONDS) {
      throw new AppError(401, "stale_signature", `X-Signature-Timestamp is more than ${WEBHOOK_TOLERANCE_SECONDS / 60} minutes from our clock: sign each request when you send it, and check your clock.`);
    }
    signed = `${timestamp}.${body}`;
  }
  const given = Buffer.from(match[1]!, "hex");
  // Every secret is tried, so the time taken does not tell which one matched.
  let valid = false;
  for (const secret of secrets) {
    if (timingSafeEqual(hmac(secret, signed), given)) valid = true;
  }
  if (!valid) {
    throw new AppError(401, "invalid_signature", "The X-Signature-256 header does not match. Sign <X-Signature-Timestamp>.<the exact bytes you send> with the webhook secret.");
  }
}

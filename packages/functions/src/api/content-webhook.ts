import { CONTENT_SOURCE, ContentEvent } from "@mission-mail/core/content/schema";
import { AppError } from "@mission-mail/core/shared/errors";
import { deps } from "../lib/deps";
import { httpHandler, json, rawBody } from "../lib/http";
import { logger } from "../lib/logger";
import { verifyWebhookSignature } from "../lib/webhook-signature";

/** Content events can be larger than sign-ups: a summary of 2,000 characters and many fields. */
const MAX_EVENT_BYTES = 64 * 1024;

/**
 * POST /webhooks/content: the signed webhook for any CMS. The body is `{type, item}`, signed with
 * HMAC-SHA256 in `X-Signature-256: sha256=<hex>`, under WEBHOOK_SECRET or, while it is rotated, any
 * of its comma-separated secrets. A valid event is put on the bus and the answer is 202 only once the
 * bus has really taken it; if it did not, 503 tells the CMS to retry (replays are harmless: events are
 * idempotent on the item's id and version).
 */
export const handler = httpHandler(async (event) => {
  const d = await deps();
  const secrets = d.config.WEBHOOK_SECRET;
  if (!secrets) throw new Error("WEBHOOK_SECRET is not configured");
  const body = rawBody(event, MAX_EVENT_BYTES);
  verifyWebhookSignature(event.headers?.["x-signature-256"], body, secrets);

  let parsedJson: unknown;
  try {
    parsedJson = JSON.parse(body);
  } catch (err) {
    throw new AppError(400, "invalid_json", `The request body is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = ContentEvent.safeParse(parsedJson);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => ({ field: i.path.join(".") || "(body)", message: i.message }));
    throw new AppError(422, "invalid_event", `The content event is not valid: ${fields.map((f) => `${f.field}: ${f.message}`).join("; ")}`, fields);
  }
  try {
    await d.bus.publish([{ source: CONTENT_SOURCE, detailType: parsed.data.type, detail: parsed.data.item }]);
  } catch (err) {
    logger.error("content event not accepted by the bus", { itemId: parsed.data.item.id, error: err as Error });
    throw new AppError(503, "bus_unavailable", "The event could not be queued. Please retry; repeating the same event is safe.", undefined, { "retry-after": "5" });
  }
  return json(202, { accepted: true, type: parsed.data.type, id: parsed.data.item.id, version: parsed.data.item.version });
});

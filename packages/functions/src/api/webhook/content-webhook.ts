import { CONTENT_SOURCE, ContentEvent } from "@mission-mail/core/content/schema";
import { AppError, problemsText, zodProblems } from "@mission-mail/core/shared/errors";
import { httpRoute, json, parseJsonText, rawBody, type HttpEvent } from "../../lib/http";
import { logger } from "../../lib/logger";
import { verifyWebhookSignature } from "../../lib/webhook-signature";
import { lambdaWiring } from "../../wiring/lambda";

/** Content events can be larger than sign-ups: a summary of 2,000 characters and many fields. */
const MAX_EVENT_BYTES = 64 * 1024;

/**
 * POST /webhooks/content: the signed webhook for any CMS. The body is `{type, item}`; `X-Signature-256:
 * sha256=<hex>` is HMAC-SHA256 over `<X-Signature-Timestamp>.<body>`, under WEBHOOK_SECRET or, while it
 * is rotated, any of its comma-separated secrets, and the timestamp must be within five minutes. A valid event is put on the bus and the answer is 202 only once the
 * bus has really taken it; if it did not, 503 tells the CMS to retry (replays are harmless: events are
 * idempotent on the item's id and version).
 */
export const route = httpRoute(async (event, w) => {
  const secrets = w.config.WEBHOOK_SECRET;
  if (!secrets) throw new Error("WEBHOOK_SECRET is not configured");
  const body = rawBody(event, MAX_EVENT_BYTES);
  verifyWebhookSignature({ signature: event.headers?.["x-signature-256"], timestamp: event.headers?.["x-signature-timestamp"] }, body, secrets, w.platform.clock.now(), {
    legacy: w.config.WEBHOOK_LEGACY_SIGNATURE,
  });

  const parsed = ContentEvent.safeParse(parseJsonText(body));
  if (!parsed.success) {
    const fields = zodProblems(parsed.error);
    throw new AppError(422, "invalid_event", `The content event is not valid: ${problemsText(fields)}`, fields);
  }
  try {
    await w.platform.bus.publish([{ source: CONTENT_SOURCE, detailType: parsed.data.type, detail: parsed.data.item }]);
  } catch (err) {
    logger.error("content event not accepted by the bus", { itemId: parsed.data.item.id, error: err as Error });
    throw new AppError(503, "bus_unavailable", "The event could not be queued. Please retry; repeating the same event is safe.", undefined, { "retry-after": "5" });
  }
  return json(202, { accepted: true, type: parsed.data.type, id: parsed.data.item.id, version: parsed.data.item.version });
});

/** The Lambda function: the route on the process-wide wiring. */
export const handler = (event: HttpEvent) => route(event, lambdaWiring());

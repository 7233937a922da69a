import type { Context, EventBridgeEvent } from "aws-lambda";
import { applyContentEvent } from "@mission-mail/core/content/apply";
import { CONTENT_SOURCE, ContentEvent } from "@mission-mail/core/content/schema";
import { logger } from "../lib/logger";
import { publishingMetrics, reportLeftOut, sendMetrics } from "../lib/metrics";
import { zodReasons } from "../lib/poison";
import { contentEvents } from "../wiring/digest";
import { lambdaWiring } from "../wiring/lambda";
import type { Wiring } from "../wiring/wiring";

const metrics = sendMetrics();

/**
 * EventBridge rule target for `missions.content` events (detail-type content.published, .updated or
 * .unpublished; the detail is the item). A poison event (wrong source, unknown type, invalid item)
 * goes to the content dead-letter queue with its reason and is not retried; any other failure throws,
 * so EventBridge's async invocation retries it and finally dead-letters it too. A valid item that
 * cannot be put into an email is stored but alerts nobody, and is reported (a warning and a count).
 */
export const run = publishingMetrics(metrics, async (event: EventBridgeEvent<string, unknown>, context: Context, wiring: Wiring | Promise<Wiring>): Promise<void> => {
  const w = await wiring;
  const parsed = ContentEvent.safeParse({ type: event["detail-type"], item: event.detail });
  if (event.source !== CONTENT_SOURCE || !parsed.success) {
    const reason = event.source !== CONTENT_SOURCE ? `source is "${event.source}", expected "${CONTENT_SOURCE}"` : zodReasons(parsed.error!);
    logger.error("poison content event moved to the dead-letter queue", { eventId: event.id, reason });
    await w.platform.contentDeadLetters.put(JSON.stringify(event), reason);
    return;
  }
  const { leftOut, ...outcome } = await applyContentEvent(contentEvents(w, context.awsRequestId), parsed.data);
  reportLeftOut(metrics, leftOut ? [leftOut] : [], { eventId: event.id, type: parsed.data.type });
  logger.info("content event", { eventId: event.id, type: parsed.data.type, itemId: parsed.data.item.id, version: parsed.data.item.version, ...outcome });
});

/** The Lambda function: the rule target on the process-wide wiring. */
export const handler = (event: EventBridgeEvent<string, unknown>, context: Context) => run(event, context, lambdaWiring());

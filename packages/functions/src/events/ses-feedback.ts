import type { EventBridgeEvent } from "aws-lambda";
import { recordSesFeedback } from "@mission-mail/core/feedback/ses-feedback";
import { SES_SOURCE, SesEventDetail } from "@mission-mail/core/feedback/ses-event";
import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { logger } from "../lib/logger";
import { publishingMetrics, SendMetric, sendMetrics } from "../lib/metrics";
import { zodReasons } from "../lib/poison";
import { sesFeedback } from "../wiring/feedback";
import { lambdaWiring } from "../wiring/lambda";
import type { Wiring } from "../wiring/wiring";

const metrics = sendMetrics();

/**
 * Target of the feedback rule on the account's default bus, where SES's configuration sets publish
 * bounces, complaints, deliveries, rejects, rendering failures and delays. A malformed event goes to
 * the feedback dead-letter queue with its reason; any other failure throws, so EventBridge and
 * Lambda retry it (every step is idempotent) and finally dead-letter it too. A complaint or a hard
 * bounce may pause its announcement, digest or alert (`recordSesFeedback`): a warning log line with
 * the rates and a `CampaignsAutoPaused` metric say so.
 */
export const run = publishingMetrics(metrics, async (event: EventBridgeEvent<string, unknown>, _context: unknown, wiring: Wiring | Promise<Wiring>): Promise<void> => {
  const w = await wiring;
  const parsed = SesEventDetail.safeParse(event.detail);
  if (event.source !== SES_SOURCE || !parsed.success || typeof event.id !== "string" || !event.id) {
    const reason = event.source !== SES_SOURCE ? `source is "${event.source}", expected "${SES_SOURCE}"` : !parsed.success ? zodReasons(parsed.error) : "the event has no id";
    logger.error("poison SES event moved to the dead-letter queue", { eventId: event.id, reason });
    await w.platform.feedbackDeadLetters.put(JSON.stringify(event), reason);
    return;
  }
  const { outcome, harmful: paused } = await recordSesFeedback(sesFeedback(w), event.id, parsed.data);
  // Message id and counts only: the recipients' addresses never reach the logs.
  logger.info("SES feedback", { eventId: event.id, messageId: parsed.data.mail.messageId, ...outcome });
  if (paused) {
    const kind = outcome.campaign?.split("#")[0];
    logger.warn("campaign paused automatically", { campaign: outcome.campaign, kind, reason: paused.code, count: paused.count, sent: paused.sent, rate: paused.rate, limit: paused.limit, why: paused.message });
    metrics.addMetric(SendMetric.CampaignsAutoPaused, MetricUnit.Count, 1);
  }
});

/** The Lambda function: the rule target on the process-wide wiring. */
export const handler = (event: EventBridgeEvent<string, unknown>, context?: unknown) => run(event, context, lambdaWiring());

import type { EventBridgeEvent } from "aws-lambda";
import { checkAutoPause } from "@mission-mail/core/announcements/auto-pause";
import { applyFeedback } from "@mission-mail/core/feedback/apply-feedback";
import { SES_SOURCE, SesEventDetail } from "@mission-mail/core/feedback/ses-event";
import { deps } from "../lib/deps";
import { logger } from "../lib/logger";
import { zodReasons } from "../lib/poison";

/**
 * Target of the feedback rule on the account's default bus, where SES's configuration sets publish
 * bounces, complaints, deliveries, rejects, rendering failures and delays. A malformed event goes to
 * the feedback dead-letter queue with its reason; any other failure throws, so EventBridge and
 * Lambda retry it (every step is idempotent) and finally dead-letter it too.
 */
export async function handler(event: EventBridgeEvent<string, unknown>): Promise<void> {
  const d = await deps();
  const parsed = SesEventDetail.safeParse(event.detail);
  if (event.source !== SES_SOURCE || !parsed.success || typeof event.id !== "string" || !event.id) {
    const reason = event.source !== SES_SOURCE ? `source is "${event.source}", expected "${SES_SOURCE}"` : !parsed.success ? zodReasons(parsed.error) : "the event has no id";
    logger.error("poison SES event moved to the dead-letter queue", { eventId: event.id, reason });
    await d.feedbackDeadLetters.put(JSON.stringify(event), reason);
    return;
  }
  const outcome = await applyFeedback(
    { store: d.store, feedback: d.feedback, stats: d.stats, clock: d.clock, ids: d.ids, addressPepper: d.config.ADDRESS_PEPPER },
    event.id,
    parsed.data,
  );
  // Message id and counts only: the recipients' addresses never reach the logs.
  logger.info("SES feedback", { eventId: event.id, messageId: parsed.data.mail.messageId, ...outcome });
  // Where complaints and hard bounces are counted, an announcement may have to pause by itself. Checked
  // on every such event, counted now or before (a retry after a failed check checks again).
  const harmful = parsed.data.eventType === "Complaint" || (parsed.data.eventType === "Bounce" && parsed.data.bounce?.bounceType === "Permanent");
  if (harmful && outcome.campaign) {
    const cfg = d.config;
    const paused = await checkAutoPause({ campaigns: d.announcements, clock: d.clock }, outcome.campaign, {
      minSample: cfg.AUTO_PAUSE_MIN_SAMPLE,
      complaintRate: cfg.AUTO_PAUSE_COMPLAINT_RATE,
      bounceRate: cfg.AUTO_PAUSE_BOUNCE_RATE,
    });
    if (paused) logger.warn("announcement paused automatically", { campaign: outcome.campaign, reason: paused.code, why: paused.message });
  }
}

import { autoPauseAndRecord } from "@mission-mail/core/announcements/auto-pause";
import { DynamoFeedbackStore } from "@mission-mail/core/feedback/dynamo-feedback-store";
import { announcementStore } from "./announcement-store";
import { auditLog } from "./audit";
import { missionStats, serviceTotals } from "./stats";
import { subscriberStore } from "./subscription";
import { perWiring } from "./wiring";

/** What SES's events change: campaign counters, delivery history, event ids seen. */
export const feedbackStore = perWiring((w) => new DynamoFeedbackStore(w.platform.db, w.config.TABLE_NAME));

/**
 * What recording SES feedback needs; harmful feedback runs the automatic pause on its campaign (an
 * announcement, a digest or an immediate alert), which records a pause in the audit log.
 */
export const sesFeedback = perWiring((w) => {
  const cfg = w.config;
  const settings = { minSample: cfg.AUTO_PAUSE_MIN_SAMPLE, complaintRate: cfg.AUTO_PAUSE_COMPLAINT_RATE, bounceRate: cfg.AUTO_PAUSE_BOUNCE_RATE };
  return {
    store: subscriberStore(w),
    feedback: feedbackStore(w),
    stats: missionStats(w),
    totals: serviceTotals(w),
    clock: w.platform.clock,
    ids: w.platform.ids,
    addressPepper: cfg.ADDRESS_PEPPER,
    onHarmful: (campaign: string) => autoPauseAndRecord({ campaigns: announcementStore(w), clock: w.platform.clock, audit: auditLog(w), ids: w.platform.ids }, campaign, settings),
  };
});

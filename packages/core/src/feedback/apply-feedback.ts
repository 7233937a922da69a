import { addressHmac } from "../shared/email-address";
import { recordFor } from "../consent";
import { campaignFromTag } from "../shared/campaign-tags";
import type { Clock, Ids } from "../platform/ports";
import type { FeedbackCounter, FeedbackStore } from "./ports";
import { countForRecipients, countMembership, countService, type MissionStats, type ServiceCounter, type ServiceTotals } from "../stats";
import type { SubscriberProfiles, SuppressionList } from "../subscription";
import type { SesEventDetail } from "./ses-event";

export interface FeedbackDeps {
  store: SubscriberProfiles & SuppressionList;
  feedback: FeedbackStore;
  clock: Clock;
  ids: Ids;
  addressPepper: string;
  stats?: MissionStats;
  /** Service-wide daily totals (the health view): bounces, complaints and the suppressions they made. */
  totals?: ServiceTotals;
}

/** Soft bounces within this window that suppress an address. */
export const SOFT_BOUNCE_LIMIT = 3;
export const SOFT_BOUNCE_WINDOW_MS = 30 * 24 * 3600_000;

const COUNTERS: Partial<Record<SesEventDetail["eventType"], FeedbackCounter>> = {
  Delivery: "delivered",
  Complaint: "complained",
  Reject: "rejected",
  "Rendering Failure": "renderingFailed",
  DeliveryDelay: "delayed",
  Open: "opened",
  Click: "clicked",
};

export interface FeedbackOutcome {
  eventType: string;
  campaign?: string;
  counted: boolean;
  suppressed: number;
  unsubscribed: number;
}

/**
 * Applies one SES event. A hard bounce suppresses the address; a complaint suppresses it,
 * unsubscribes the person and records a withdrawal in the ledger; soft bounces are counted per
 * address and suppress at the third within 30 days; a rendering failure marks the batch entry failed
 * with SES's reason. The campaign's counters move once per event id, so a redelivered event counts
 * once. Every step is idempotent on its own, and the counting comes last: a retry after a crash
 * redoes the steps and counts the event then.
 */
export async function applyFeedback(deps: FeedbackDeps, eventId: string, detail: SesEventDetail): Promise<FeedbackOutcome> {
  const tag = (name: string) => detail.mail.tags?.[name]?.[0];
  const campaign = campaignFromTag(tag("campaign"));
  const batch = Number(tag("batch"));
  const recipient = tag("recipient");
  const now = deps.clock.now();
  const at = new Date(now).toISOString();
  const hmac = (email: string) => addressHmac(email.trim(), deps.addressPepper);
  let suppressed = 0;
  let unsubscribed = 0;
  /** The suppressions this event made, by reason, for the service totals. */
  const suppressions: Partial<Record<ServiceCounter, number>> = {};
  const noteSuppression = (counter: ServiceCounter) => {
    suppressed++;
    suppressions[counter] = (suppressions[counter] ?? 0) + 1;
  };
  let counter = COUNTERS[detail.eventType];
  /** The missions of each person the event is about, for the per-mission charts. */
  const missionsOf: string[][] = [];

  if (detail.eventType === "Bounce" && detail.bounce) {
    const permanent = detail.bounce.bounceType === "Permanent";
    counter = permanent ? "bounced" : "softBounced";
    for (const r of detail.bounce.bouncedRecipients) {
      const key = hmac(r.emailAddress as string);
      if (permanent) {
        await deps.store.suppress(key, "hard-bounce", at);
        noteSuppression("suppressedHardBounce");
        const subscriber = await deps.store.findByAddress(key, now);
        if (subscriber) missionsOf.push(subscriber.missions);
      } else if ((await deps.feedback.softBounce(key, eventId, now, SOFT_BOUNCE_WINDOW_MS)) >= SOFT_BOUNCE_LIMIT) {
        await deps.store.suppress(key, "soft-bounces", at);
        noteSuppression("suppressedSoftBounces");
      }
    }
  }

  if (detail.eventType === "Complaint" && detail.complaint) {
    for (const r of detail.complaint.complainedRecipients) {
      const key = hmac(r.emailAddress as string);
      await deps.store.suppress(key, "complaint", at);
      noteSuppression("suppressedComplaint");
      const subscriber = await deps.store.findByAddress(key, now);
      if (subscriber) missionsOf.push(subscriber.missions);
      if (subscriber && subscriber.status !== "unsubscribed") {
        if (await deps.store.unsubscribe(subscriber, at, recordFor(subscriber, "withdrawn", at, deps.ids.next(), "feedback"))) {
          await countMembership(deps.stats, subscriber.missions, [], now, true);
        }
        unsubscribed++;
      }
    }
  }

  if (detail.eventType === "Rendering Failure" && campaign && Number.isInteger(batch) && batch > 0 && recipient) {
    await deps.feedback.markEntryFailed(campaign, batch, recipient, `rendering: ${detail.failure?.errorMessage ?? "unknown"}`.slice(0, 500));
  }

  if (campaign && recipient && detail.eventType !== "Send") {
    await deps.feedback.noteDelivery(recipient, campaign, detail.eventType === "Bounce" ? `bounce:${detail.bounce?.bounceType ?? ""}` : detail.eventType, at);
  }

  const counted = counter ? await deps.feedback.countOnce(eventId, campaign, counter, now) : false;
  if (counted && (counter === "bounced" || counter === "complained")) await countForRecipients(deps.stats, missionsOf, counter, now);
  // The health view's rates: each bounce and complaint once (a redelivered event is not counted again).
  if (counted && (counter === "bounced" || counter === "softBounced" || counter === "complained")) await countService(deps.totals, { [counter]: 1, ...suppressions }, eventId, now);
  return { eventType: detail.eventType, ...(campaign ? { campaign } : {}), counted, suppressed, unsubscribed };
}

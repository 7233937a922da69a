/** A campaign counter SES feedback moves. */
export type FeedbackCounter = "delivered" | "bounced" | "softBounced" | "complained" | "rejected" | "renderingFailed" | "delayed" | "opened" | "clicked" | "unsubscribed";

/** What SES feedback events change, each idempotent on the event id or on its own key. */
export interface FeedbackStore {
  /** Counts an event once for its campaign (if it has one): false if this event id was already counted. */
  countOnce(eventId: string, campaignKey: string | undefined, counter: FeedbackCounter, nowMs: number): Promise<boolean>;
  /** Records a soft bounce under its event id and answers how many the address had within `windowMs`. */
  softBounce(addressHmac: string, eventId: string, atMs: number, windowMs: number): Promise<number>;
  /**
   * A batch entry SES accepted and then could not render: marks it failed with the reason and moves
   * the campaign's counters from sent to failed, once.
   */
  markEntryFailed(campaignKey: string, batch: number, subscriberId: string, reason: string): Promise<boolean>;
  /** Adds what SES reported to the recipient's delivery record, if there is one; an event noted before keeps its first time. */
  noteDelivery(subscriberId: string, campaignKey: string, event: string, at: string): Promise<void>;
}

import type { FeedbackCounter, FeedbackStore } from "../../packages/core/src/feedback";

/**
 * SES feedback state in memory: counts once per event id; soft bounces kept per address under their
 * event id (a redelivered event is the same bounce) and counted within the window; a rendering failure
 * marks an entry once.
 */
export class MemoryFeedbackStore implements FeedbackStore {
  readonly counted = new Map<string, { campaign: string | undefined; counter: FeedbackCounter }>();
  readonly softBounces = new Map<string, Map<string, number>>();
  readonly failedEntries = new Map<string, string>();
  readonly notes: { subscriberId: string; campaign: string; event: string; at: string }[] = [];

  /** `onCount` sees each counted event, e.g. to move a fake campaign's counters. */
  constructor(private readonly onCount?: (campaign: string, counter: FeedbackCounter) => void) {}

  async countOnce(eventId: string, campaignKey: string | undefined, counter: FeedbackCounter): Promise<boolean> {
    if (this.counted.has(eventId)) return false;
    this.counted.set(eventId, { campaign: campaignKey, counter });
    if (campaignKey) this.onCount?.(campaignKey, counter);
    return true;
  }

  async softBounce(addressHmac: string, eventId: string, atMs: number, windowMs: number): Promise<number> {
    const mine = this.softBounces.get(addressHmac) ?? new Map<string, number>();
    if (!mine.has(eventId)) mine.set(eventId, atMs);
    this.softBounces.set(addressHmac, mine);
    return [...mine.values()].filter((t) => t > atMs - windowMs).length;
  }

  async markEntryFailed(campaignKey: string, batch: number, subscriberId: string, reason: string): Promise<boolean> {
    const key = `${campaignKey}|${batch}|${subscriberId}`;
    if (this.failedEntries.has(key)) return false;
    this.failedEntries.set(key, reason);
    return true;
  }

  async noteDelivery(subscriberId: string, campaignKey: string, event: string, at: string): Promise<void> {
    this.notes.push({ subscriberId, campaign: campaignKey, event, at });
  }
}

import type { ServiceCounter, ServiceTotals } from "./ports";
import { statsDay } from "./mission-stats";

/** Every service counter, in the order the health view lists them. */
export const SERVICE_COUNTERS: ServiceCounter[] = ["sent", "bounced", "softBounced", "complained", "suppressedHardBounce", "suppressedSoftBounces", "suppressedComplaint"];

/**
 * Adds to the service-wide totals of the Stockholm day of `atMs`, if there are totals to add to.
 * Never fails what it counts: the port swallows its own errors.
 */
export async function countService(totals: ServiceTotals | undefined, counts: Partial<Record<ServiceCounter, number>>, shardKey: string, atMs: number): Promise<void> {
  if (!totals || !Object.values(counts).some((n) => n)) return;
  await totals.add(statsDay(atMs), counts, shardKey);
}
